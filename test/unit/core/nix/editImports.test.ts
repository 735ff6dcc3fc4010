import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../../../../src/core/edits/applyEdits';
import { importPathFor, planAddImport } from '../../../../src/core/nix/editImports';
import { initNixParser, parseNix } from '../../../../src/core/nix/syntax';
import { memoryHost } from '../../helpers/memoryHost';

before(async () => {
  await initNixParser();
});

const ENTRY = '/etc/nixos/configuration.nix';
const MODULE = '/etc/nixos/homelab.nix';

function addImport(text: string, module = MODULE): string {
  const plan = planAddImport(ENTRY, module, memoryHost({ [ENTRY]: text }));
  assert.equal(plan.kind, 'edit', JSON.stringify(plan));
  if (plan.kind !== 'edit') return text;
  const result = applyEdits(text, plan.edit.edits);
  assert.deepEqual(parseNix(result).errors, [], result);
  return result;
}

test('appends to an existing multi-line imports list in its style', () => {
  const text = '{ config, pkgs, ... }:\n\n{\n  imports = [\n    ./hardware-configuration.nix\n  ];\n\n  networking.hostName = "nas";\n}\n';
  assert.equal(addImport(text), '{ config, pkgs, ... }:\n\n{\n  imports = [\n    ./hardware-configuration.nix\n    ./homelab.nix\n  ];\n\n  networking.hostName = "nas";\n}\n');
});

test('creates `imports = [ … ];` as the first binding when there is none', () => {
  const text = '{ pkgs, ... }:\n{\n  networking.hostName = "nas";\n}\n';
  assert.equal(addImport(text), '{ pkgs, ... }:\n{\n  imports = [ ./homelab.nix ];\n  networking.hostName = "nas";\n}\n');
  assert.match(addImport('{ ... }:\n{\n}\n'), /imports = \[ \.\/homelab\.nix \];/);
});

test('a module already imported is reported, not added twice (applying twice is a no-op)', () => {
  const once = addImport('{ ... }: { imports = [ ./hardware-configuration.nix ]; }\n');
  const plan = planAddImport(ENTRY, MODULE, memoryHost({ [ENTRY]: once }));
  assert.deepEqual(plan, { kind: 'already-imported', written: './homelab.nix' });
});

test('refuses with a reason: imports not a list literal, a body that is not an attribute set, a syntax error', () => {
  const computed = planAddImport(ENTRY, MODULE, memoryHost({ [ENTRY]: '{ lib, ... }: { imports = lib.optional true ./x.nix; }\n' }));
  assert.equal(computed.kind, 'error');
  assert.match(computed.kind === 'error' ? computed.message : '', /`imports` is not a list literal; add it by hand/);
  const notSet = planAddImport(ENTRY, MODULE, memoryHost({ [ENTRY]: 'args: import ./real.nix args\n' }));
  assert.equal(notSet.kind, 'error');
  const broken = planAddImport(ENTRY, MODULE, memoryHost({ [ENTRY]: '{ imports = [ ; }\n' }));
  assert.equal(broken.kind, 'error');
  assert.match(broken.kind === 'error' ? broken.message : '', /syntax error at line 1/);
});

test('importPathFor: relative near the entry, absolute far away, quoted when a path literal cannot hold it', () => {
  assert.equal(importPathFor(ENTRY, MODULE), './homelab.nix');
  assert.equal(importPathFor(ENTRY, '/etc/nixos/modules/homelab.nix'), './modules/homelab.nix');
  assert.equal(importPathFor('/repo/hosts/nas/configuration.nix', '/repo/modules/homelab.nix'), '../../modules/homelab.nix');
  assert.equal(importPathFor('/repo/a/b/c/configuration.nix', '/srv/homelab.nix'), '/srv/homelab.nix');
  assert.equal(importPathFor(ENTRY, '/etc/nixos/my modules/homelab.nix'), '(./. + "/my modules/homelab.nix")');
  assert.equal(importPathFor(undefined, '/x/homelab.nix'), './homelab.nix');
  const text = addImport('{ imports = [ ]; }\n', '/etc/nixos/my modules/homelab.nix');
  assert.equal(text, '{ imports = [ (./. + "/my modules/homelab.nix") ]; }\n');
});
