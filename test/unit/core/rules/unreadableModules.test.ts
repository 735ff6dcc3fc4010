import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initNixParser, loadNixConfiguration } from '../../../../src/core/nix';
import { capSeverity, dependsOnUnreadableImport, qualifyByUnreadableImports, unreadableImportMessage, unreadableModulesThatMayDeclare } from '../../../../src/core/rules/unreadableModules';
import { isFixable, type RuleFinding } from '../../../../src/core/rules';
import { memoryHost } from '../../helpers/memoryHost';
import { said } from './said';

const ENTRY = '/etc/nixos/configuration.nix';

async function configuration(imports: string, extra: Record<string, string> = {}) {
  await initNixParser();
  return loadNixConfiguration(ENTRY, memoryHost({ [ENTRY]: `{ inputs, modulesPath, ... }:\n{\n  imports = [ ${imports} ];\n}\n`, ...extra }));
}

const found = (data: RuleFinding['data'] = {}): RuleFinding => ({ file: '/s/compose.yaml', range: { start: { line: 1, character: 2 }, end: { line: 1, character: 6 } }, message: 'no NixOS user has uid 1000.', related: [], data });

test('a missing hardware-configuration.nix may hold file systems and firmware, not users or Docker', async () => {
  const nix = await configuration('./hardware-configuration.nix');
  assert.equal(unreadableModulesThatMayDeclare(nix, [['fileSystems', '/mnt/data']]).length, 1);
  assert.equal(unreadableModulesThatMayDeclare(nix, [['hardware', 'enableRedistributableFirmware']]).length, 1);
  assert.deepEqual(unreadableModulesThatMayDeclare(nix, [['users', 'users', '*', 'uid']]), []);
  assert.deepEqual(unreadableModulesThatMayDeclare(nix, [['virtualisation', 'docker', 'enable']]), []);
  const text = unreadableImportMessage(nix.unreadableImports[0]!);
  assert.equal(text?.message, './hardware-configuration.nix is not in the repository (no nixos/hardware-configuration.nix here)');
  assert.match(text?.explanation ?? '', /^nixos-generate-config writes it on the host/);
});

test('home-manager declares users.users.<name>.packages, not a uid; an unknown flake input may declare anything; NixOS modules are not reported', async () => {
  const nix = await configuration('<home-manager/nixos> inputs.sops-nix.nixosModules.sops (modulesPath + "/installer/scan/not-detected.nix")');
  const uid = unreadableModulesThatMayDeclare(nix, [['users', 'users', '*', 'uid']]);
  assert.deepEqual(uid.map((u) => u.written), ['inputs.sops-nix.nixosModules.sops']);
  assert.deepEqual(nix.unreadableImports.map((u) => unreadableImportMessage(u) === undefined), [false, false, true]);
  // not-detected.nix sets the firmware, and at most the root file system: never a data disk.
  assert.deepEqual(unreadableModulesThatMayDeclare(nix, [['fileSystems', '/mnt/data']]).map((u) => u.written), ['inputs.sops-nix.nixosModules.sops']);
});

test('a finding that depends on an unreadable import names it, becomes information at most and has no fix', async () => {
  const nix = await configuration('inputs.self.nixosModules.users');
  const qualified = qualifyByUnreadableImports('puid-unmapped', found({ uid: 1000, userName: 'alex' }), nix);
  assert.equal(qualified.message, 'no NixOS user has uid 1000. (may be in an unread import)');
  assert.equal(qualified.explanation, 'Unless `inputs.self.nixosModules.users` (imported by configuration.nix), which is not read here, declares it: information only, with no fix.');
  assert.deepEqual(qualified.related.map((r) => [r.location.file, r.location.range.start.line]), [[ENTRY, 2]]);
  assert.ok(dependsOnUnreadableImport(qualified.data));
  assert.equal(capSeverity('error', qualified.data), 'information');
  assert.equal(capSeverity('hint', qualified.data), 'hint');
  assert.equal(isFixable({ code: 'puid-unmapped', data: qualified.data }, { hasConfiguration: true }), false);
  assert.equal(isFixable({ code: 'puid-unmapped', data: found({ uid: 1000, userName: 'alex' }).data }, { hasConfiguration: true }), true);
  // A rule that reports what the configuration does say is not touched; nor is anything without unreadable imports.
  assert.equal(qualifyByUnreadableImports('duplicate-id', found(), nix).message, 'no NixOS user has uid 1000.');
  const complete = await configuration('./users.nix', { '/etc/nixos/users.nix': '{ }' });
  const plain = found();
  assert.equal(qualifyByUnreadableImports('puid-unmapped', plain, complete), plain);
});
