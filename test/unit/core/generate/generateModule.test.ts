import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { analyseWorkspace } from '../../../../src/core/analysis/pipeline';
import { DiskFileSource } from '../../../../src/core/analysis/fileSource';
import { generateModule, isAnswered, type GeneratedModule } from '../../../../src/core/generate';
import { initNixParser, loadNixConfiguration } from '../../../../src/core/nix';
import type { NixConfiguration } from '../../../../src/core/nix/model';
import { memoryHost } from '../../helpers/memoryHost';
import { snapshotOf, stacks } from './fixtures';
import type { Finding } from '../../../../src/core/types';
import { DEFAULT_SETTINGS } from '../../../../src/core/settings';

/**
 * The promise of `generate` (issue #18 item 2): generate into the homelab, add the module to the configuration's
 * `imports`, lint again — no finding the module claims to answer may remain, and the module brings no finding of
 * its own beyond what its notes tell the user to decide.
 */

const EXAMPLE = resolve(__dirname, '../../../../examples/pop-os-homelab');

before(async () => {
  await initNixParser();
});

function copyOfExample(): string {
  const root = join(mkdtempSync(join(tmpdir(), 'nixoshl-generate-')), 'pop-os-homelab');
  cpSync(EXAMPLE, root, { recursive: true });
  return root;
}

function analyse(root: string, snapshot: boolean) {
  return analyseWorkspace({ roots: [root], snapshotDir: snapshot ? 'snapshot' : 'no-such-snapshot', settings: DEFAULT_SETTINGS }, new DiskFileSource());
}

/** What a person counts as one finding: rule, file, and the ids, service or mount it is about. */
function key(root: string, finding: Finding): string {
  const data = finding.data ?? {};
  const about = ['service', 'uid', 'gid', 'mountpoint', 'source'].map((name) => data[name]).filter((value) => value !== undefined && value !== null);
  return [finding.code, relative(root, finding.file), ...about.map(String)].join(' ');
}

/** Generate, save as nixos/homelab.nix, add it to the imports of nixos/configuration.nix, lint again. */
function roundTrip(snapshot: boolean): { root: string; before: Finding[]; after: Finding[]; generated: GeneratedModule } {
  const root = copyOfExample();
  const analysis = analyse(root, snapshot);
  const out = join(root, 'nixos', 'homelab.nix');
  const generated = generateModule(analysis, { workspaceRoot: root, replaces: out });
  writeFileSync(out, generated.text);
  const configuration = join(root, 'nixos', 'configuration.nix');
  const text = readFileSync(configuration, 'utf8');
  assert.ok(text.includes('./hardware-configuration.nix\n'));
  writeFileSync(configuration, text.replace('./hardware-configuration.nix\n', './hardware-configuration.nix\n      ./homelab.nix\n'));
  return { root, before: analysis.findings, after: analyse(root, snapshot).findings, generated };
}

function assertKept(result: ReturnType<typeof roundTrip>, allowedNew: string[]): void {
  const { root, before, after, generated } = result;
  const remaining = after.filter((finding) => isAnswered(finding, generated.answers));
  assert.deepEqual(remaining.map((finding) => `${key(root, finding)}: ${finding.message}`), [], 'a finding the module claims to answer remains');
  const beforeKeys = before.map((finding) => key(root, finding));
  const added = after.map((finding) => key(root, finding)).filter((k) => !beforeKeys.includes(k));
  assert.deepEqual(added, allowedNew, 'findings the module brought');
  // Every answer was a finding before the module (autostart and the Docker package are the module's own units).
  const answeredBefore = generated.answers.filter((answer) => before.some((finding) => isAnswered(finding, [answer])));
  assert.deepEqual(generated.answers.filter((answer) => !answeredBefore.includes(answer)).map((answer) => answer.code).sort(), ['autostart-without-mount-deps', 'docker-package-insecure']);
}

test('with the snapshot: generate + imports leaves none of the findings it answers, and brings none', () => {
  const result = roundTrip(true);
  assertKept(result, []);
  const codes = new Set(result.after.map((finding) => finding.code));
  for (const code of ['puid-unmapped', 'pgid-unmapped', 'docker-not-enabled', 'gpu-without-toolkit', 'bind-mount-undeclared']) assert.ok(!codes.has(code), `${code} remains`);
  assert.ok(result.before.some((finding) => finding.code === 'pgid-unmapped'));
});

test('without a snapshot: no group is guessed, nothing contradicts, and only what the notes name remains', () => {
  const result = roundTrip(false);
  const { root, after, generated } = result;
  // hardware.nvidia.open is the user's call without GPU data: its finding is the one the module brings.
  assertKept(result, ['nvidia-open-unset nixos/homelab.nix']);
  assert.ok(generated.notes.some((note) => /hardware\.nvidia\.open is not set/.test(note)));
  // One group, one gid: no group is declared at all, and the gids are listed for the user to name.
  const code = generated.text.split('\n').filter((line) => !/^\s*#/.test(line)).join('\n');
  assert.doesNotMatch(code, /users\.groups|render/);
  for (const gid of [110, 1000]) assert.ok(generated.notes.some((note) => note.startsWith(`gid ${gid} `)), `gid ${gid} is in the notes`);
  const pgids = after.filter((finding) => finding.code === 'pgid-unmapped').map((finding) => finding.data?.['gid']);
  assert.deepEqual([...new Set(pgids)].sort((a, b) => Number(a) - Number(b)), [110, 1000]);
  // No statement about the old host and no made-up mount point.
  assert.doesNotMatch(generated.text, /(was|were|on the old host\b(?! \(it records)(?!, then)(?! are unknown))/);
  assert.doesNotMatch(generated.text, /fileSystems\."|RequiresMountsFor/);
  assert.ok(!after.some((finding) => finding.code === 'puid-unmapped'), key(root, after[0] as Finding));
});

test('gids and uids: one name never gets two ids, and a gid another group holds is left out', () => {
  const files = {
    '/ws/a/compose.yaml': 'services:\n  a:\n    image: x\n    environment:\n      PUID: "1000"\n      PGID: "1000"\n    volumes:\n      - /srv/a:/a\n',
    '/ws/b/compose.yaml': 'services:\n  b:\n    image: x\n    user: "1001:1001"\n    devices:\n      - /dev/dri:/dev/dri\n    volumes:\n      - /srv/b:/b\n',
  };
  // The configuration's one normal user would name both uids: only the first gets it.
  const configurations = [configuration('{ users.users.palav.isNormalUser = true; }')];
  const generated = generateModule({ projects: stacks(files), configurations, snapshot: undefined, release: '25.05', releaseSource: 'test' }, { workspaceRoot: '/ws' });
  assert.match(generated.text, /^ +uid = 1000;/m);
  assert.doesNotMatch(generated.text, /^ +uid = 1001;/m);
  assert.ok(generated.notes.some((note) => note.startsWith('uid 1001 ') && note.includes('already given uid 1000')));
  assert.doesNotMatch(generated.text, /^ *users\.groups/m);
  assert.deepEqual(generated.answers.filter((answer) => answer.code === 'puid-unmapped'), [{ code: 'puid-unmapped', data: { uid: 1000 } }]);
  // A snapshot naming the gid, while the configuration gives it to another group: the group is left out, with why.
  const snapshot = snapshotOf({ 'group-1001.txt': 'media:x:1001:\n' });
  const held = [configuration('{ users.users.palav.isNormalUser = true; users.groups.shared.gid = 1001; }')];
  const second = generateModule({ projects: stacks(files), configurations: held, snapshot, release: '25.05', releaseSource: 'test' }, { workspaceRoot: '/ws' });
  assert.doesNotMatch(second.text, /users\.groups\.media/);
  assert.ok(second.notes.some((note) => note.startsWith('gid 1001 ') && note.includes('UIDs and GIDs must be unique')));
});

test('the GPU firmware, not hardware.graphics, for /dev/dri; none when the old host only had an NVIDIA GPU', () => {
  const files = { '/ws/jf/compose.yaml': 'services:\n  jf:\n    image: jellyfin/jellyfin\n    devices:\n      - /dev/dri:/dev/dri\n' };
  const intel = snapshotOf({ 'gpu.txt': '00:02.0 VGA compatible controller [0300]: Intel Corporation AlderLake-S GT1 [8086:4680] (rev 0c)\n' });
  const generated = generateModule({ projects: stacks(files), configurations: [], snapshot: intel, release: '25.05', releaseSource: 'test' }, { workspaceRoot: '/ws' });
  assert.match(generated.text, /hardware\.enableRedistributableFirmware = true;/);
  assert.doesNotMatch(generated.text, /hardware\.(graphics|opengl)|intel-media-driver/);
  assert.ok(generated.answers.some((answer) => answer.code === 'dri-without-gpu-firmware'));
  const nvidiaOnly = snapshotOf({ 'gpu.txt': '01:00.0 VGA compatible controller [0300]: NVIDIA Corporation GA106 [GeForce RTX 3060] [10de:2504] (rev a1)\n' });
  const none = generateModule({ projects: stacks(files), configurations: [], snapshot: nvidiaOnly, release: '25.05', releaseSource: 'test' }, { workspaceRoot: '/ws' });
  assert.doesNotMatch(none.text, /enableRedistributableFirmware/);
});

test('a value the configuration already sets otherwise is left out, with a note, and not claimed', () => {
  const files = { '/ws/s/compose.yaml': 'services:\n  s:\n    image: x\n' };
  // A mkDefault is simply overridden; a plain value of another kind is the user's choice.
  const configurations = [configuration('{ lib, ... }: { virtualisation.docker.daemon.settings.log-driver = "journald"; virtualisation.docker.enable = lib.mkDefault false; }')];
  const generated = generateModule({ projects: stacks(files), configurations, snapshot: undefined, release: '25.05', releaseSource: 'test' }, { workspaceRoot: '/ws' });
  assert.match(generated.text, /enable = true;/);
  assert.doesNotMatch(generated.text, /^ +log-driver = /m);
  assert.match(generated.text, /max-size = "10m";/);
  assert.ok(generated.notes.some((note) => note.startsWith('virtualisation.docker.daemon.settings.log-driver is already set to "journald" in nixos/configuration.nix')));
  assert.ok(!generated.answers.some((answer) => answer.code === 'docker-not-enabled'));
});

/** A configuration read from one in-memory `/ws/nixos/configuration.nix`. */
function configuration(text: string): NixConfiguration {
  return loadNixConfiguration('/ws/nixos/configuration.nix', memoryHost({ '/ws/nixos/configuration.nix': text }));
}

test('regenerating a module the configuration already imports: its own file systems are not "already mounted"', () => {
  const { root, generated } = roundTrip(true);
  assert.match(generated.text, /fileSystems\."\/mnt\/PlexStorage"/);
  // The configuration now imports nixos/homelab.nix; generating again over it gives the same module …
  const again = generateModule(analyse(root, true), { workspaceRoot: root, replaces: join(root, 'nixos', 'homelab.nix') });
  assert.equal(again.text, generated.text);
  // … while a module written elsewhere would leave out what homelab.nix already declares.
  const elsewhere = generateModule(analyse(root, true), { workspaceRoot: root, replaces: join(root, 'nixos', 'other.nix') });
  assert.doesNotMatch(elsewhere.text, /fileSystems\."\/mnt\/PlexStorage"/);
  assert.match(elsewhere.text, /\/mnt\/PlexStorage: bound by .*; already mounted by the configuration/);
});
