import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { computeFixes } from '../../../../src/core/fixes';
import { nix } from '../../../../src/core/edits/nixExpr';
import { set } from '../../../../src/core/edits/setting';
import { initNixParser, loadNixConfiguration } from '../../../../src/core/nix';
import { planSettings } from '../../../../src/core/nix/editPlanner';
import { settingSpot } from '../../../../src/core/nix/settingSpot';
import { DiskFileSource } from '../../../../src/core/analysis/fileSource';
import { analyseWorkspace } from '../../../../src/core/analysis/pipeline';
import type { SourceLocation } from '../../../../src/core/text';
import type { Finding } from '../../../../src/core/types';
import { DEFAULT_SETTINGS } from '../../../../src/core/settings';
import { memoryHost } from '../../helpers/memoryHost';
import { realShapes, SHAPES } from '../../../helpers/realShapes';
import { analyse, HOMELAB_STACK, makeWorkspace } from '../fixes/workspaceFixture';
import { textAt } from './nixFixture';

before(() => initNixParser());

const ENTRY = '/cfg/configuration.nix';
const DOCKER = ['virtualisation', 'docker', 'enable'];

function spotOf(files: Record<string, string>, optionPath: string[], fixTarget: 'entry' | 'module' = 'entry'): SourceLocation | undefined {
  return settingSpot(loadNixConfiguration(ENTRY, memoryHost(files)), optionPath, fixTarget);
}

/** The text the spot covers. */
function spotText(files: Record<string, string>, spot: SourceLocation | undefined): string {
  assert.ok(spot, 'a spot');
  return textAt(files[spot.file] as string, spot.range);
}

/**
 * The planner, given the one setting, writes in the spot's file on one of the spot's lines (an insertion goes at
 * the end of the anchor's line, a change inside the definition). A plan that creates homelab.nix has no spot in
 * the files as they are: its edit of the entry's `imports` must be on the spot's lines.
 */
function assertPlannerAgrees(files: Record<string, string>, optionPath: string[], spot: SourceLocation | undefined, fixTarget: 'entry' | 'module' = 'entry'): void {
  const host = memoryHost(files);
  const plan = planSettings([set(optionPath, nix.bool(true))], { configuration: loadNixConfiguration(ENTRY, host), reader: host, fixTarget });
  assert.ok(!('error' in plan), JSON.stringify(plan));
  assert.ok(spot);
  const edit = plan.edits.find((candidate) => candidate.spot !== undefined);
  if (plan.creates.length > 0) {
    const imports = plan.edits.find((candidate) => candidate.file === spot.file);
    assert.ok(imports && !edit, `the plan extends ${spot.file}: ${JSON.stringify(plan)}`);
    assert.ok(imports.edits.some((e) => e.range.start.line >= spot.range.start.line && e.range.start.line <= spot.range.end.line), JSON.stringify(imports.edits));
    return;
  }
  assert.ok(edit?.spot, `the plan has a spot: ${JSON.stringify(plan)}`);
  assert.equal(edit.file, spot.file);
  assert.ok(edit.spot.line >= spot.range.start.line && edit.spot.line <= spot.range.end.line, `planner line ${edit.spot.line} within ${JSON.stringify(spot.range)}`);
}

test('nothing related: the last binding above system.stateVersion of the entry, where the planner inserts', () => {
  const files = {
    [ENTRY]: `{ config, pkgs, ... }:
{
  networking.hostName = "nas";
  services.openssh.enable = true;

  system.stateVersion = "25.05";
}
`,
  };
  const spot = spotOf(files, DOCKER);
  assert.equal(spot?.file, ENTRY);
  assert.equal(spotText(files, spot), 'services.openssh.enable = true;');
  assertPlannerAgrees(files, DOCKER, spot);
});

test('the option family set in another module (homelab.nix) pulls the spot there, beside its siblings', () => {
  const homelab = '/cfg/homelab.nix';
  const files = {
    [ENTRY]: `{ ... }:
{
  imports = [ ./homelab.nix ];
  networking.hostName = "nas";
}
`,
    [homelab]: `{ pkgs, ... }:
{
  virtualisation.docker = {
    autoPrune.enable = true;
    daemon.settings.log-driver = "json-file";
  };
  environment.systemPackages = [ pkgs.docker-compose ];
}
`,
  };
  const spot = spotOf(files, DOCKER);
  assert.equal(spot?.file, homelab);
  // Nothing in the set shares `enable`: the planner goes after the set's last binding.
  assert.equal(spotText(files, spot), 'daemon.settings.log-driver = "json-file";');
  assertPlannerAgrees(files, DOCKER, spot);
});

test('a dotted neighbour: after the last binding sharing the longest prefix; a multi-line one gives its last line', () => {
  const files = {
    [ENTRY]: `{ ... }:
{
  users.users.palav = {
    isNormalUser = true;
  };
  users.groups.media.gid = 2000;
  networking.hostName = "nas";
}
`,
  };
  const group = ['users', 'groups', 'render', 'gid'];
  assert.equal(spotText(files, spotOf(files, group)), 'users.groups.media.gid = 2000;');
  assertPlannerAgrees(files, group, spotOf(files, group));
  const uid = ['users', 'users', 'palav', 'uid'];
  assert.deepEqual(spotOf(files, uid)?.range, { start: { line: 3, character: 4 }, end: { line: 3, character: 24 } });
  assertPlannerAgrees(files, uid, spotOf(files, uid));
  const user = ['users', 'users', 'kim', 'isNormalUser'];
  assert.equal(spotText(files, spotOf(files, user)), '};');
  assertPlannerAgrees(files, user, spotOf(files, user));
});

test('an empty set the setting belongs in: its opening brace', () => {
  const files = {
    [ENTRY]: `{ ... }:
{
  users.groups = { };
  networking.hostName = "nas";
}
`,
  };
  const group = ['users', 'groups', 'render', 'gid'];
  const spot = spotOf(files, group);
  assert.equal(spotText(files, spot), '{');
  assert.deepEqual(spot?.range.start, { line: 2, character: 17 });
  assertPlannerAgrees(files, group, spot);
});

test('defined with another value: the definition the fix changes', () => {
  const files = {
    [ENTRY]: `{ ... }:
{
  virtualisation.docker = {
    enable = false;
  };
}
`,
  };
  const spot = spotOf(files, DOCKER);
  assert.equal(spotText(files, spot), 'enable = false;');
  assertPlannerAgrees(files, DOCKER, spot);
});

test('fileSystems: never the generated hardware-configuration.nix, nor a module sharing only `fileSystems` — the entry, as the planner', () => {
  const hardware = '/cfg/hardware-configuration.nix';
  const disks = '/cfg/disks.nix';
  const files: Record<string, string> = {
    [ENTRY]: `{ ... }:
{
  imports = [ ./hardware-configuration.nix ./disks.nix ];
  networking.hostName = "nas";
}
`,
    [hardware]: `{ ... }:
{
  fileSystems."/" = { device = "/dev/sda1"; fsType = "ext4"; };
  fileSystems."/mnt/a" = { device = "/dev/sdb1"; fsType = "ext4"; };
}
`,
    [disks]: `{ ... }:
{
  fileSystems."/mnt/b" = {
    device = "/dev/sdc1";
  };
}
`,
  };
  // A parent as generic as `fileSystems` does not pull a setting out of the entry (editPlace.ts).
  const mount = ['fileSystems', '/mnt/media', 'device'];
  let spot = spotOf(files, mount);
  assert.equal(spotText(files, spot), 'networking.hostName = "nas";');
  assertPlannerAgrees(files, mount, spot);
  // The mount point's own set does, wherever it is (its fsType is missing).
  const fsType = ['fileSystems', '/mnt/b', 'fsType'];
  spot = spotOf(files, fsType);
  assert.equal(spot?.file, disks);
  assert.equal(spotText(files, spot), 'device = "/dev/sdc1";');
  assertPlannerAgrees(files, fsType, spot);
});

test('an opaque parent that no module can take: the entry\'s imports, where homelab.nix gets imported', () => {
  const files = {
    [ENTRY]: `{ lib, ... }:
{
  imports = [
    ./x.nix
  ];
  virtualisation = lib.mkIf true { podman.enable = true; };
}
`,
    '/cfg/x.nix': '{ }\n',
  };
  const spot = spotOf(files, DOCKER);
  assert.equal(spot?.file, ENTRY);
  assert.equal(spotText(files, spot), 'imports = [\n    ./x.nix\n  ];');
  assertPlannerAgrees(files, DOCKER, spot);
});

test('fixTarget "module": homelab.nix when it is imported, else the entry\'s imports the fix extends; a definition is still changed in place', () => {
  const homelab = '/cfg/homelab.nix';
  const files: Record<string, string> = {
    [ENTRY]: `{ ... }:
{
  imports = [ ./hardware.nix ];
  virtualisation.docker.autoPrune.enable = true;
  users.groups.render.gid = 110;
}
`,
    '/cfg/hardware.nix': '{ }\n',
  };
  let spot = spotOf(files, DOCKER, 'module');
  assert.equal(spotText(files, spot), 'imports = [ ./hardware.nix ];');
  assertPlannerAgrees(files, DOCKER, spot, 'module');
  const gid = ['users', 'groups', 'render', 'gid'];
  assert.equal(spotText(files, spotOf(files, gid, 'module')), 'users.groups.render.gid = 110;');
  assertPlannerAgrees(files, gid, spotOf(files, gid, 'module'), 'module');
  files[ENTRY] = (files[ENTRY] as string).replace('./hardware.nix', './hardware.nix ./homelab.nix');
  files[homelab] = `{ ... }:
{
  networking.firewall.enable = true;
}
`;
  spot = spotOf(files, DOCKER, 'module');
  assert.equal(spot?.file, homelab);
  assert.equal(spotText(files, spot), 'networking.firewall.enable = true;');
  assertPlannerAgrees(files, DOCKER, spot, 'module');
  // The same configuration, fixTarget "entry": beside the entry's own virtualisation.docker binding.
  assert.equal(spotText(files, spotOf(files, DOCKER)), 'virtualisation.docker.autoPrune.enable = true;');
  assertPlannerAgrees(files, DOCKER, spotOf(files, DOCKER));
});

test('no configuration, and one path asked twice: the same answer without reading again', () => {
  assert.equal(settingSpot(undefined, DOCKER), undefined);
  const configuration = loadNixConfiguration(ENTRY, memoryHost({ [ENTRY]: '{ networking.hostName = "nas"; }\n' }));
  const first = settingSpot(configuration, DOCKER);
  assert.equal(settingSpot(configuration, DOCKER), first);
  assert.equal(first?.file, ENTRY);
});

test('a module with syntax errors or no module set still gives a place, never throws', () => {
  for (const text of ['{ networking.hostName = "nas"; virtualisation.docker = { ', 'let x = 1; in x', '', '{ config, ... }: { options = { }; config = { }; }']) {
    const configuration = loadNixConfiguration(ENTRY, memoryHost({ [ENTRY]: text }));
    const spot = settingSpot(configuration, DOCKER);
    assert.equal(spot?.file, ENTRY, JSON.stringify(text));
  }
});

// For every finding of the fixtures whose related information says what "is missing here": the place is in a file
// its quick fix edits, on a line the fix writes on (or one before it: an edit can start at the next line's start).
const dirs: string[] = [];
after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function assertFixWritesAtRelated(findings: readonly Finding[], label: string, fixesOf: (finding: Finding) => ReturnType<typeof computeFixes>): number {
  let checked = 0;
  for (const finding of findings) {
    for (const related of finding.related ?? []) {
      if (!related.location.file.endsWith('.nix') || !/is missing here$/.test(related.message)) continue;
      const fix = fixesOf(finding).fixes.find((candidate) => candidate.preferred && candidate.edits.some((edit) => edit.file.endsWith('.nix')));
      if (!fix) continue;
      const { file, range } = related.location;
      const edit = fix.edits.find((candidate) => candidate.file === file);
      const where = `${label}: ${finding.code} "${related.message}" at ${file}:${range.start.line + 1}`;
      assert.ok(edit, `${where}: the fix edits ${fix.edits.map((e) => e.file).join(', ')}`);
      const lines = [...edit.edits.map((e) => e.range.start.line), ...(edit.spot ? [edit.spot.line] : [])];
      assert.ok(lines.some((line) => line >= range.start.line && line <= range.end.line + 1), `${where}: the fix writes on lines ${lines.map((l) => l + 1).join(', ')}`);
      checked++;
    }
  }
  return checked;
}

test('the fixtures: every "is missing here" points where the finding\'s fix writes', async () => {
  const host = new DiskFileSource();
  let checked = 0;
  const example = path.resolve(__dirname, '../../../../examples/pop-os-homelab');
  const cases: { label: string; roots: string[]; snapshotDir: string; release?: string }[] = [
    { label: 'pop-os-homelab', roots: [example], snapshotDir: path.join(example, 'snapshot') },
    ...realShapes().map((name) => {
      const folder = path.join(SHAPES, name);
      return { label: name, roots: [folder], snapshotDir: path.join(folder, 'snapshot'), release: '24.11' };
    }),
  ];
  for (const { label, roots, snapshotDir, release } of cases) {
    const settings = { ...DEFAULT_SETTINGS };
    const analysis = analyseWorkspace({ roots, snapshotDir, settings, ...(release ? { release } : {}) }, host);
    checked += assertFixWritesAtRelated(analysis.findings, label, (finding) => computeFixes(finding, analysis, host, settings));
  }
  // The homelab stack against a configuration that keeps its Docker settings in homelab.nix.
  const dir = makeWorkspace(
    {
      'docker/media/compose.yaml': HOMELAB_STACK,
      'nixos/configuration.nix': `{ config, pkgs, ... }:
{
  imports = [ ./homelab.nix ];
  users.users.palav = {
    isNormalUser = true;
    extraGroups = [ "wheel" ];
  };
  system.stateVersion = "25.05";
}
`,
      'nixos/homelab.nix': `{ ... }:
{
  virtualisation.docker.autoPrune.enable = true;
  users.groups.media = { };
}
`,
    },
    { snapshot: true },
  );
  dirs.push(dir);
  const analysis = await analyse(dir);
  const docker = analysis.findings.find((finding) => finding.code === 'docker-not-enabled');
  assert.equal(docker?.related?.[0]?.location.file, path.join(dir, 'nixos/homelab.nix'));
  checked += assertFixWritesAtRelated(analysis.findings, 'homelab.nix', (finding) => computeFixes(finding, analysis, host, DEFAULT_SETTINGS));
  // fixTarget "module": everything new goes to homelab.nix, and the related information with it.
  const moduleSettings = { ...DEFAULT_SETTINGS, fixTarget: 'module' as const };
  const modular = await analyse(dir, moduleSettings);
  const group = modular.findings.find((finding) => finding.code === 'pgid-unmapped' && /is missing here$/.test(finding.related?.[0]?.message ?? ''));
  assert.equal(group?.related?.[0]?.location.file, path.join(dir, 'nixos/homelab.nix'));
  checked += assertFixWritesAtRelated(modular.findings, 'homelab.nix, fixTarget module', (finding) => computeFixes(finding, modular, host, moduleSettings));
  assert.ok(checked >= 5, `checked ${checked} related locations`);
});
