import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initNixParser } from '../../../../src/core/nix/syntax';
import { loadNixConfiguration } from '../../../../src/core/nix/configuration';
import { memoryHost } from '../../helpers/memoryHost';
import { loadFiles, only } from './nixFixture';

before(async () => {
  await initNixParser();
});

test('imports across three files, depth-first in import order, relative to the importing file', () => {
  const configuration = loadFiles({
    '/etc/nixos/configuration.nix': '{ ... }: { imports = [ ./hardware-configuration.nix ./modules/media.nix ]; networking.hostName = "nas"; }',
    '/etc/nixos/hardware-configuration.nix': '{ fileSystems."/" = { device = "/dev/sda1"; }; }',
    '/etc/nixos/modules/media.nix': '{ imports = [ ../extra ]; users.groups.media.gid = 2000; }',
    '/etc/nixos/extra/default.nix': '{ users.users.palav.uid = 1000; }',
  });
  assert.deepEqual(configuration.problems, []);
  assert.equal(configuration.entry, '/etc/nixos/configuration.nix');
  assert.deepEqual(configuration.files, [
    '/etc/nixos/configuration.nix',
    '/etc/nixos/hardware-configuration.nix',
    '/etc/nixos/modules/media.nix',
    '/etc/nixos/extra/default.nix',
  ]);
  assert.equal(only(configuration, 'users.users.palav.uid').file, '/etc/nixos/extra/default.nix');
  assert.equal(only(configuration, 'users.groups.media.gid').file, '/etc/nixos/modules/media.nix');
  const files = configuration.definitions.filter((definition) => definition.value.kind !== 'attrs' && definition.path[0] !== 'imports').map((definition) => definition.file);
  assert.deepEqual(files, ['/etc/nixos/configuration.nix', '/etc/nixos/hardware-configuration.nix', '/etc/nixos/modules/media.nix', '/etc/nixos/extra/default.nix']);
});

test('imports inside let/with, through a let-bound path, inline modules and ++', () => {
  const configuration = loadFiles({
    '/cfg/configuration.nix': `{ lib, ... }:
let hw = ./hw.nix; in with lib; {
  imports = [ hw { networking.hostName = "inline"; } ] ++ [ ./b.nix ];
}`,
    '/cfg/hw.nix': '{ a = 1; }',
    '/cfg/b.nix': '{ b = 2; }',
  });
  assert.deepEqual(configuration.problems, []);
  assert.deepEqual(configuration.files, ['/cfg/configuration.nix', '/cfg/hw.nix', '/cfg/b.nix']);
  assert.equal(only(configuration, 'networking.hostName').file, '/cfg/configuration.nix');
  assert.equal(only(configuration, 'b').file, '/cfg/b.nix');
});

test('a missing import is an unreadable import at the import (not a problem), and the rest is still read', () => {
  const text = '{ imports = [ ./exists.nix ./modules/missing.nix <nixpkgs/nixos/modules/foo.nix> ]; a = 1; }';
  const configuration = loadFiles({ '/cfg/configuration.nix': text, '/cfg/exists.nix': '{ b = 2; }' });
  assert.deepEqual(configuration.problems, [], 'incomplete input is no parse error');
  assert.deepEqual(
    configuration.unreadableImports.map((u) => [u.kind, u.written, u.target]),
    [
      ['nixpkgs', '<nixpkgs/nixos/modules/foo.nix>', undefined],
      ['missing-file', './modules/missing.nix', '/cfg/modules/missing.nix'],
    ],
  );
  const missing = configuration.unreadableImports.find((u) => u.kind === 'missing-file');
  assert.equal(missing?.loc.file, '/cfg/configuration.nix');
  assert.deepEqual(missing?.loc.range, { start: { line: 0, character: 27 }, end: { line: 0, character: 48 } });
  assert.equal(only(configuration, 'a').value.kind, 'int');
  assert.equal(only(configuration, 'b').file, '/cfg/exists.nix');
});

test('imports that name no file are recorded by kind: channel, flake input, nixpkgs, computed', () => {
  const text = [
    '{ inputs, modulesPath, lib, ... }:',
    'let hosts = [ ./exists.nix ]; in {',
    '  imports = [',
    '    <home-manager/nixos>',
    '    inputs.sops-nix.nixosModules.sops',
    '    (modulesPath + "/installer/scan/not-detected.nix")',
    '    (import ./exists.nix { inherit lib; })',
    '  ] ++ hosts ++ lib.optionals true [ ./gpu.nix ] ++ (map (n: ./modules + "/${n}.nix") [ "a" ]);',
    '}',
  ].join('\n');
  const configuration = loadFiles({ '/cfg/configuration.nix': text, '/cfg/exists.nix': '{ b = 2; }', '/cfg/gpu.nix': '{ c = 3; }' });
  assert.deepEqual(
    configuration.unreadableImports.map((u) => [u.kind, u.written]),
    [
      ['search-path', '<home-manager/nixos>'],
      ['flake-input', 'inputs.sops-nix.nixosModules.sops'],
      ['nixpkgs', '(modulesPath + "/installer/scan/not-detected.nix")'],
      ['expression', '(import ./exists.nix { inherit lib; })'],
      ['expression', '(map (n: ./modules + "/${n}.nix") [ "a" ])'],
    ],
  );
  assert.deepEqual(configuration.files, ['/cfg/configuration.nix', '/cfg/exists.nix', '/cfg/gpu.nix'], 'let-bound lists and lib.optionals are followed');
  assert.deepEqual(configuration.problems, []);
});

test('an import cycle is reported once and does not loop', () => {
  const configuration = loadFiles({
    '/cfg/a.nix': '{ imports = [ ./b.nix ]; a = 1; }',
    '/cfg/b.nix': '{ imports = [ ./c.nix ]; b = 2; }',
    '/cfg/c.nix': '{ imports = [ ./a.nix ./b.nix ]; c = 3; }',
  });
  assert.deepEqual(configuration.files, ['/cfg/a.nix', '/cfg/b.nix', '/cfg/c.nix']);
  assert.equal(configuration.problems.length, 2, configuration.problems.map((problem) => problem.message).join('\n'));
  for (const problem of configuration.problems) {
    assert.equal(problem.file, '/cfg/c.nix');
    assert.match(problem.message, /^Import cycle/);
  }
  assert.match(configuration.problems[0]?.message ?? '', /a\.nix → b\.nix → c\.nix → a\.nix/);
  assert.equal(configuration.definitions.filter((definition) => definition.path[0] === 'a').length, 1);
});

test('a file imported twice (not a cycle) is read once', () => {
  const configuration = loadFiles({
    '/cfg/a.nix': '{ imports = [ ./b.nix ./c.nix ]; }',
    '/cfg/b.nix': '{ imports = [ ./c.nix ]; }',
    '/cfg/c.nix': '{ c = 3; }',
  });
  assert.deepEqual(configuration.problems, []);
  assert.equal(configuration.definitionsOf(['c']).length, 1);
});

test('a missing entry file is a problem, not an exception', () => {
  const configuration = loadFiles({ '/cfg/configuration.nix': '{ }' });
  assert.deepEqual(configuration.problems, []);
  const missing = loadNixConfiguration('/nowhere/configuration.nix', memoryHost({}));
  assert.equal(missing.files.length, 0);
  assert.equal(missing.problems.length, 1);
  assert.match(missing.problems[0]?.message ?? '', /\/nowhere\/configuration\.nix/);
});

test('syntax errors of imported files are reported in those files', () => {
  const configuration = loadFiles({
    '/cfg/a.nix': '{ imports = [ ./b.nix ]; }',
    '/cfg/b.nix': '{\n  x = ;\n  y = 1;\n}',
  });
  assert.equal(configuration.problems.length, 1);
  assert.equal(configuration.problems[0]?.file, '/cfg/b.nix');
  assert.equal(configuration.problems[0]?.range.start.line, 1);
  assert.equal(only(configuration, 'y').file, '/cfg/b.nix');
});
