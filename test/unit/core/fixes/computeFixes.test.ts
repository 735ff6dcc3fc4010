import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { applyEdits } from '../../../../src/core/edits/applyEdits';
import { computeFixes } from '../../../../src/core/fixes';
import type { CodeFix } from '../../../../src/core/fixes/model';
import { DiskFileSource } from '../../../../src/core/analysis/fileSource';
import { isFixable } from '../../../../src/core/rules';
import type { Finding } from '../../../../src/core/types';
import type { WorkspaceAnalysis } from '../../../../src/core/analysis/types';
import { DEFAULT_SETTINGS } from '../../../../src/core/settings';
import { oracle } from './planFixture';
import { analyse, HOMELAB_STACK, makeWorkspace } from './workspaceFixture';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

const CONFIG = `{ config, pkgs, ... }:
{
  users.users.palav = {
    isNormalUser = true;
    extraGroups = [ "wheel" ];
  };
  system.stateVersion = "25.05";
}
`;

async function workspace(files: Record<string, string>, snapshot = true): Promise<{ dir: string; analysis: WorkspaceAnalysis }> {
  const dir = makeWorkspace(files, { snapshot });
  dirs.push(dir);
  return { dir, analysis: await analyse(dir) };
}

function findingOf(analysis: WorkspaceAnalysis, code: string, predicate: (f: Finding) => boolean = () => true): Finding {
  const finding = analysis.findings.find((f) => f.code === code && predicate(f));
  assert.ok(finding, `a ${code} finding (got ${analysis.findings.map((f) => f.code).join(', ')})`);
  return finding;
}

/** The text of `file` after the fix (created files included), checked against the fix's base texts. */
function afterFix(fix: CodeFix, file: string): string {
  const created = fix.creates.find((c) => c.file === file);
  if (created) return created.text;
  const edit = fix.edits.find((e) => e.file === file);
  assert.ok(edit, `the fix edits ${file}`);
  assert.equal(edit.baseText, fs.readFileSync(file, 'utf8'), 'baseText is the text on disk the fix was computed from');
  const text = applyEdits(edit.baseText, edit.edits);
  if (file.endsWith('.nix')) oracle.add(`computeFixes:${fix.code}`, text);
  return text;
}

const fixesOf = (finding: Finding, analysis: WorkspaceAnalysis) => computeFixes(finding, analysis, new DiskFileSource(), DEFAULT_SETTINGS);

test('rules say "fixable" exactly when computeFixes returns a preferred fix (pop-os example, with and without configuration)', async () => {
  const example = path.resolve(__dirname, '../../../../examples/pop-os-homelab');
  const full = await analyse(example);
  const { analysis: bare } = await workspace({ 'stack/compose.yaml': HOMELAB_STACK });
  let checked = 0;
  for (const analysis of [full, bare]) {
    const ctx = { hasConfiguration: analysis.configurations.length > 0 };
    for (const finding of analysis.findings) {
      const preferred = fixesOf(finding, analysis).fixes.some((fix) => fix.preferred);
      assert.equal(isFixable(finding, ctx), preferred, `${finding.code} (configuration: ${ctx.hasConfiguration}): ${finding.message.slice(0, 80)}`);
      checked++;
    }
  }
  // The example's findings (one per PUID/PGID of a stack, one per service's ports) and the bare stack's one port
  // finding: without a configuration only the checks that need no host run.
  assert.ok(checked > 30);
});

test('puid-unmapped adds uid to the existing user; an already fixed other uid is offered, not preferred', async () => {
  const { dir, analysis } = await workspace({ 'nixos/configuration.nix': CONFIG, 'stack/compose.yaml': HOMELAB_STACK });
  const finding = findingOf(analysis, 'puid-unmapped');
  const [fix] = fixesOf(finding, analysis).fixes;
  assert.ok(fix?.preferred);
  assert.match(afterFix(fix, path.join(dir, 'nixos/configuration.nix')), /extraGroups = \[ "wheel" \];\n    uid = 1000;\n  \};/);

  const fixedUid = await workspace({ 'nixos/configuration.nix': CONFIG.replace('isNormalUser = true;', 'isNormalUser = true;\n    uid = 1001;'), 'stack/compose.yaml': HOMELAB_STACK });
  const other = fixesOf(findingOf(fixedUid.analysis, 'puid-unmapped'), fixedUid.analysis).fixes[0];
  assert.equal(other?.preferred, false);
  assert.match(afterFix(other as CodeFix, path.join(fixedUid.dir, 'nixos/configuration.nix')), /uid = 1000;/);
});

test('puid-unmapped without a user name (no snapshot, several users) is a hint to run extract', async () => {
  const twoUsers = CONFIG.replace('system.stateVersion', 'users.users.alex.isNormalUser = true;\n  system.stateVersion');
  const { analysis } = await workspace({ 'nixos/configuration.nix': twoUsers, 'stack/compose.yaml': HOMELAB_STACK }, false);
  const outcome = fixesOf(findingOf(analysis, 'puid-unmapped'), analysis);
  assert.deepEqual(outcome.fixes, []);
  assert.match(outcome.hints[0]?.message ?? '', /nixos-homelab extract/);
});

test('pgid-unmapped: render is forced (lib added) and palav joins it; a personal group becomes the primary group', async () => {
  const { dir, analysis } = await workspace({ 'nixos/configuration.nix': CONFIG, 'stack/compose.yaml': HOMELAB_STACK });
  const config = path.join(dir, 'nixos/configuration.nix');
  const render = fixesOf(findingOf(analysis, 'pgid-unmapped', (f) => f.data?.['gid'] === 110), analysis).fixes[0];
  assert.ok(render?.preferred);
  const renderText = afterFix(render, config);
  assert.match(renderText, /^\{ config, lib, pkgs, \.\.\. \}:/);
  assert.match(renderText, /extraGroups = \[ "wheel" "render" \];/);
  assert.match(renderText, /users\.groups\.render\.gid = lib\.mkForce 110;/);
  const personal = fixesOf(findingOf(analysis, 'pgid-unmapped', (f) => f.data?.['gid'] === 1000), analysis).fixes[0];
  const personalText = afterFix(personal as CodeFix, config);
  assert.match(personalText, /group = "palav";/);
  assert.match(personalText, /users\.groups\.palav\.gid = 1000;/);
  assert.doesNotMatch(personalText, /"palav" \]/, 'not also an extra group');
});

test('dri-group-mismatch (render nodes restricted by a udev rule): group_add with NixOS\'s render gid (preferred), or force render to the old gid', async () => {
  const restricted = CONFIG.replace('system.stateVersion', 'services.udev.extraRules = \'\'\n    KERNEL=="renderD*", MODE="0660"\n  \'\';\n  system.stateVersion');
  const { dir, analysis } = await workspace({ 'nixos/configuration.nix': restricted, 'stack/compose.yaml': HOMELAB_STACK });
  const [yaml, forced] = fixesOf(findingOf(analysis, 'dri-group-mismatch'), analysis).fixes;
  assert.ok(yaml?.preferred);
  assert.match(afterFix(yaml, path.join(dir, 'stack/compose.yaml')), /      - \/dev\/dri\/renderD128:\/dev\/dri\/renderD128\n    group_add: \["303"\]\n  ml:/);
  assert.equal(forced?.preferred, false);
  assert.match(afterFix(forced as CodeFix, path.join(dir, 'nixos/configuration.nix')), /users\.groups\.render\.gid = lib\.mkForce 110;/);
});

test('GPU firmware, NVIDIA, Docker and fileSystems blocks come from the snapshot and the release', async () => {
  const { dir, analysis } = await workspace({ 'nixos/configuration.nix': CONFIG, 'stack/compose.yaml': HOMELAB_STACK, 'flake.lock': JSON.stringify({ root: 'root', nodes: { root: { inputs: { nixpkgs: 'nixpkgs' } }, nixpkgs: { original: { ref: 'nixos-24.05' } } } }) });
  const config = path.join(dir, 'nixos/configuration.nix');
  const firmware = afterFix(fixesOf(findingOf(analysis, 'dri-without-gpu-firmware'), analysis).fixes[0] as CodeFix, config);
  assert.match(firmware, /hardware\.enableRedistributableFirmware = true;/);
  assert.doesNotMatch(firmware, /hardware\.(graphics|opengl)/, 'containers bring their own VA-API userspace');
  const nvidia = afterFix(fixesOf(findingOf(analysis, 'gpu-without-toolkit'), analysis).fixes[0] as CodeFix, config);
  assert.match(nvidia, /services\.xserver\.videoDrivers = \[ "nvidia" \];/);
  assert.match(nvidia, /open = true;/, 'RTX 3060: open modules');
  assert.match(nvidia, /hardware\.nvidia-container-toolkit\.enable = true;/);
  const docker = afterFix(fixesOf(findingOf(analysis, 'docker-not-enabled'), analysis).fixes[0] as CodeFix, config);
  assert.match(docker, /extraGroups = \[ "wheel" "docker" \];/);
  assert.match(docker, /max-file = "3";/);
  const disk = afterFix(fixesOf(findingOf(analysis, 'bind-mount-undeclared'), analysis).fixes[0] as CodeFix, config);
  assert.match(disk, /fileSystems\."\/mnt\/PlexStorage" = \{\n    device = "\/dev\/disk\/by-uuid\/3b6f2a9e-8c1d-4e57-9a0b-52d7c4e1f806";\n    fsType = "ext4";\n    options = \[ "nofail" "noatime" \];\n  \};/);
});

test('compose rewrites: CDI reservation (also for runtime: nvidia) and 127.0.0.1 ports; unknown disks get hints', async () => {
  const stack = `${HOMELAB_STACK}  ollama:\n    image: ollama/ollama\n    runtime: nvidia\n    volumes:\n      - /mnt/Other/models:/models\n`;
  const { dir, analysis } = await workspace({ 'nixos/configuration.nix': CONFIG, 'stack/compose.yaml': stack }, false);
  const compose = path.join(dir, 'stack/compose.yaml');
  const cdi = fixesOf(findingOf(analysis, 'gpu-request-not-cdi', (f) => f.data?.['kind'] === 'reservation'), analysis).fixes[0];
  assert.match(afterFix(cdi as CodeFix, compose), /- driver: cdi\n {14}device_ids: \["nvidia\.com\/gpu=0"\]\n {14}capabilities: \[gpu\]/);
  const port = fixesOf(findingOf(analysis, 'published-port-bypasses-firewall'), analysis).fixes[0];
  assert.match(afterFix(port as CodeFix, compose), /- "127\.0\.0\.1:32400:32400"/);
  assert.equal(port?.preferred, false, "binding to 127.0.0.1 is offered, never applied by --fix");
  const runtime = fixesOf(findingOf(analysis, 'gpu-request-not-cdi', (f) => f.data?.['kind'] === 'runtime'), analysis).fixes[0];
  assert.equal(runtime?.preferred, true);
  assert.match(afterFix(runtime as CodeFix, compose), /  ollama:\n    image: ollama\/ollama\n    deploy:\n      resources:\n        reservations:\n          devices:\n            - driver: cdi\n              device_ids: \["nvidia\.com\/gpu=all"\]\n              capabilities: \[gpu\]\n    volumes:/);
  const disk = fixesOf(findingOf(analysis, 'bind-mount-undeclared', (f) => f.data?.['kind'] === 'unknown-disk'), analysis);
  assert.deepEqual(disk.fixes, []);
  assert.match(disk.hints[0]?.message ?? '', /nixos-homelab extract/);
});

test('without a NixOS configuration, no cross-check is reported (nothing to fix in Nix) and YAML fixes still work', async () => {
  const { analysis } = await workspace({ 'stack/compose.yaml': HOMELAB_STACK });
  assert.deepEqual([...new Set(analysis.findings.map((f) => f.code))], ['published-port-bypasses-firewall']);
  assert.equal(fixesOf(findingOf(analysis, 'published-port-bypasses-firewall'), analysis).fixes.length, 1);
});

test('a Nix file with a syntax error: Nix fixes are refused with where the error is', async () => {
  const { analysis } = await workspace({ 'nixos/configuration.nix': CONFIG.replace('isNormalUser = true;', 'isNormalUser = true'), 'stack/compose.yaml': HOMELAB_STACK });
  const outcome = fixesOf(findingOf(analysis, 'docker-not-enabled'), analysis);
  assert.deepEqual(outcome.fixes, []);
  assert.match(outcome.hints[0]?.message ?? '', /configuration\.nix has a Nix syntax error at line/);
});

test('Nix-side findings are dispatched to the Nix-side fixes', async () => {
  const { analysis } = await workspace({ 'nixos/configuration.nix': CONFIG.replace('system.stateVersion', 'users.groups.render.gid = 110;\n  system.stateVersion') });
  const finding = findingOf(analysis, 'reserved-gid-conflict');
  const fix = fixesOf(finding, analysis).fixes[0];
  assert.ok(fix, 'a fix for reserved-gid-conflict');
  assert.match(applyEdits(fix.edits[0]?.baseText ?? '', fix.edits[0]?.edits ?? []), /lib\.mkForce 110/);
});

test('every Nix text computed here parses (one nix-instantiate call)', () => {
  assert.ok(oracle.size >= 8);
  oracle.check();
});
