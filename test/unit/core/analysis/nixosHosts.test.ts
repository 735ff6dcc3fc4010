import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { discoverFiles } from '../../../../src/core/analysis/discovery';
import { DiskFileSource } from '../../../../src/core/analysis/fileSource';
import { loadHostConfiguration } from '../../../../src/core/analysis/hostConfiguration';
import { initNixParser } from '../../../../src/core/nix';
import { findHosts, withoutImportedHosts } from '../../../../src/core/analysis/nixosHosts';
import type { NixosHost } from '../../../../src/core/analysis/types';

function tempTree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nhl-hosts-'));
  for (const [name, content] of Object.entries(files)) {
    const full = path.join(root, name);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
  }
  return root;
}

function hostsOf(root: string, explicit: string[] = []): NixosHost[] {
  return findHosts(discoverFiles([root]), [root], explicit, new DiskFileSource());
}

const summary = (root: string, hosts: NixosHost[]) => hosts.map((host) => `${host.name}:${path.relative(root, host.entry)}:${host.source}`).sort();

test('a literal nixosConfigurations set: each host with its own module list', () => {
  const root = tempTree({
    'flake.nix': '{ outputs = { nixpkgs, ... }: { nixosConfigurations = {\n  nas = nixpkgs.lib.nixosSystem { modules = [ ./hosts/nas/configuration.nix ./modules/docker.nix ]; };\n  # pi = old;\n  pi = nixpkgs.lib.nixosSystem { modules = [ ./hosts/pi ]; };\n}; }; }\n',
    'hosts/nas/configuration.nix': '{ }', 'hosts/pi/default.nix': '{ }', 'modules/docker.nix': '{ }',
  });
  const hosts = hostsOf(root);
  assert.deepEqual(summary(root, hosts), ['nas:hosts/nas/configuration.nix:flake', 'pi:hosts/pi/default.nix:flake']);
  assert.deepEqual(hosts.find((host) => host.name === 'nas')?.modules.map((module) => path.relative(root, module.file)), ['hosts/nas/configuration.nix', 'modules/docker.nix']);
});

test('hosts made by a function: mapAttrs mkHost over a bound set, genAttrs over a list, readDir of the host folder', () => {
  const mkHost = 'mkHost = name: cfg: lib.nixosSystem { modules = [ ./hosts/${name} ./common.nix ]; };';
  const files = { 'hosts/nas/default.nix': '{ }', 'hosts/edge/default.nix': '{ }', 'common.nix': '{ }' };
  const mapAttrs = tempTree({ ...files, 'flake.nix': `{ outputs = { nixpkgs, ... }: let lib = nixpkgs.lib; hosts = { nas = { }; edge = { }; }; ${mkHost} in { nixosConfigurations = lib.mapAttrs mkHost hosts; }; }` });
  assert.deepEqual(summary(mapAttrs, hostsOf(mapAttrs)), ['edge:hosts/edge/default.nix:flake', 'nas:hosts/nas/default.nix:flake']);
  assert.deepEqual(hostsOf(mapAttrs).find((host) => host.name === 'nas')?.modules.map((module) => path.relative(mapAttrs, module.file)), ['hosts/nas/default.nix', 'common.nix']);
  const genAttrs = tempTree({ ...files, 'flake.nix': `{ outputs = { nixpkgs, ... }: let lib = nixpkgs.lib; ${mkHost} in { nixosConfigurations = lib.genAttrs [ "nas" "edge" ] (name: mkHost name { }); }; }` });
  assert.deepEqual(summary(genAttrs, hostsOf(genAttrs)), ['edge:hosts/edge/default.nix:flake', 'nas:hosts/nas/default.nix:flake']);
  const readDir = tempTree({ ...files, 'flake.nix': '{ outputs = { nixpkgs, ... }: { nixosConfigurations = nixpkgs.lib.mapAttrs (name: _: import ./lib/mk.nix name) (builtins.readDir ./hosts); }; }' });
  assert.deepEqual(summary(readDir, hostsOf(readDir)), ['edge:hosts/edge/default.nix:flake', 'nas:hosts/nas/default.nix:flake']);
  const calls = tempTree({ ...files, 'flake.nix': `{ outputs = { nixpkgs, ... }: let lib = nixpkgs.lib; ${mkHost} in { nixosConfigurations = { nas = mkHost "nas" { }; edge = mkHost "edge" { }; }; }; }` });
  assert.deepEqual(summary(calls, hostsOf(calls)), ['edge:hosts/edge/default.nix:flake', 'nas:hosts/nas/default.nix:flake']);
});

test('a function defined elsewhere: the host folder by convention', () => {
  const root = tempTree({ 'flake.nix': '{ outputs = inputs: { nixosConfigurations.nas = (import ./lib inputs).mkHost "nas"; }; }', 'machines/nas/configuration.nix': '{ }' });
  assert.deepEqual(summary(root, hostsOf(root)), ['nas:machines/nas/configuration.nix:flake']);
});

test('a Colmena hive: each node a host, its own set a module, defaults shared', async () => {
  await initNixParser();
  const root = tempTree({
    'flake.nix': '{ outputs = { self, colmena, ... }: { colmenaHive = colmena.lib.makeHive self.colmena; colmena = { meta = { }; defaults = { imports = [ ./common.nix ]; }; media = { imports = [ ./machines/media ]; }; dns = { virtualisation.docker.enable = true; }; }; }; }\n',
    'common.nix': '{ users.users.ops.uid = 1000; }', 'machines/media/default.nix': '{ networking.hostName = "media"; }',
  });
  const hosts = hostsOf(root);
  assert.deepEqual(summary(root, hosts), ['dns:flake.nix:colmena', 'media:machines/media/default.nix:colmena']);
  const dns = loadHostConfiguration(hosts.find((host) => host.name === 'dns') as NixosHost, new DiskFileSource());
  assert.equal(dns.definitionsOf(['virtualisation', 'docker', 'enable'])[0]?.value.kind, 'bool');
  assert.equal(dns.users.get('ops')?.uid, 1000, 'defaults are read for every node');
  assert.ok(!dns.definitionsOf(['deployment']).length && !dns.files.some((file) => file.endsWith('.nixos-homelab-host-modules.nix')));
  const media = loadHostConfiguration(hosts.find((host) => host.name === 'media') as NixosHost, new DiskFileSource());
  assert.equal(media.entry, path.join(root, 'machines/media/default.nix'));
  assert.equal(media.definitionsOf(['virtualisation', 'docker', 'enable']).length, 0, 'another node\'s set is not this one\'s');
});

test('flake-parts / import-tree: flake.modules.nixos.* sets referenced by name, their imports read here', async () => {
  await initNixParser();
  const root = tempTree({
    'flake.nix': '{ outputs = inputs: inputs.flake-parts.lib.mkFlake { inherit inputs; } (inputs.import-tree ./modules); }',
    'modules/hosts/box.nix': '{ inputs, config, ... }: {\n  flake.nixosConfigurations.box = inputs.nixpkgs.lib.nixosSystem { modules = [ config.flake.modules.nixos.box ]; };\n  flake.modules.nixos.box = { pkgs, ... }: {\n    imports = with config.flake.modules.nixos; [ docker ];\n    networking.hostName = "box";\n  };\n}\n',
    'modules/docker.nix': '{ flake.modules.nixos.docker = { virtualisation.docker.enable = true; }; }',
  });
  const hosts = hostsOf(root);
  assert.deepEqual(summary(root, hosts), ['box:modules/hosts/box.nix:flake-parts']);
  const box = loadHostConfiguration(hosts[0] as NixosHost, new DiskFileSource());
  assert.equal(box.definitionsOf(['virtualisation', 'docker', 'enable']).length, 1);
  assert.equal(box.definitionsOf(['networking', 'hostName']).length, 1);
  assert.deepEqual(box.unreadableImports, [], 'the imports by name are read here, not reported as unreadable');
  assert.equal(box.definitionsUnder(['flake']).length, 0, 'only the NixOS module is read, not the flake-parts module around it');
});

test('configuration.nix files: each a host, unless another host imports it (a shared module)', async () => {
  await initNixParser();
  const root = tempTree({
    'hosts/common/configuration.nix': '{ time.timeZone = "UTC"; }',
    'hosts/nas/configuration.nix': '{ imports = [ ../common/configuration.nix ]; }',
    'hosts/pi/configuration.nix': '{ imports = [ ../common/configuration.nix ]; }',
  });
  const hosts = hostsOf(root);
  assert.deepEqual(summary(root, hosts), ['common:hosts/common/configuration.nix:configuration.nix', 'nas:hosts/nas/configuration.nix:configuration.nix', 'pi:hosts/pi/configuration.nix:configuration.nix']);
  const kept = withoutImportedHosts(hosts, (host) => loadHostConfiguration(host, new DiskFileSource()).files);
  assert.deepEqual(kept.map((host) => host.name).sort(), ['nas', 'pi']);
});

test('explicit entry modules win, named by their folder', () => {
  const root = tempTree({ 'flake.nix': '{ outputs = _: { nixosConfigurations.x = y; }; }', 'nixos/configuration.nix': '{ }' });
  assert.deepEqual(summary(root, hostsOf(root, ['nixos/configuration.nix'])), ['nixos:nixos/configuration.nix:explicit']);
});
