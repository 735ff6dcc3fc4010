import { test } from 'node:test';
import assert from 'node:assert/strict';
import { entryImportsModule, isGeneratedModuleText } from '../../../src/client/state/generatedModule';

const entry = '/ws/nixos/configuration.nix';

test('a module is imported when the entry imports list names it, relative or absolute', () => {
  assert.equal(entryImportsModule(entry, '{ imports = [ ./hardware-configuration.nix ./homelab.nix ]; }', '/ws/nixos/homelab.nix'), true);
  assert.equal(entryImportsModule(entry, '{\n  imports =\n    [\n      ./homelab.nix\n    ];\n}', '/ws/nixos/homelab.nix'), true);
  assert.equal(entryImportsModule(entry, '{ imports = [ ../modules/homelab.nix ]; }', '/ws/modules/homelab.nix'), true);
  assert.equal(entryImportsModule(entry, '{ imports = [ /ws/nixos/homelab.nix ]; }', '/ws/nixos/homelab.nix'), true);
  assert.equal(entryImportsModule(entry, '{ imports = [ (./. + "/my dir/homelab.nix") ]; }', '/ws/nixos/my dir/homelab.nix'), true);
});

test('a module is not imported when only a comment, another list or a similar name mentions it', () => {
  assert.equal(entryImportsModule(entry, '{ imports = [ ./hardware-configuration.nix ]; }', '/ws/nixos/homelab.nix'), false);
  assert.equal(entryImportsModule(entry, '{ imports = [ ./hardware-configuration.nix # ./homelab.nix\n ]; }', '/ws/nixos/homelab.nix'), false);
  assert.equal(entryImportsModule(entry, '{ /* imports = [ ./homelab.nix ]; */ imports = [ ]; }', '/ws/nixos/homelab.nix'), false);
  assert.equal(entryImportsModule(entry, '{ imports = [ ./old-homelab.nix ]; environment.etc = [ ./homelab.nix ]; }', '/ws/nixos/homelab.nix'), false);
  assert.equal(entryImportsModule(entry, '', '/ws/nixos/homelab.nix'), false);
});

test('a generated module is recognised by its header', () => {
  assert.equal(isGeneratedModuleText('# NixOS module for the Docker Compose stacks of this homelab, written by `nixos-homelab generate`.\n{ }'), true);
  assert.equal(isGeneratedModuleText('# my own homelab.nix\n{ }'), false);
});
