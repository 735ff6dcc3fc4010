import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initNixParser } from '../../../../src/core/nix/syntax';
import { loadFiles, loadModule } from './nixFixture';

before(async () => {
  await initNixParser();
});

test('NixOS built-in groups are present with their default gids; docker only when Docker is enabled', () => {
  const without = loadModule('{ }');
  const gids = Object.fromEntries([...without.groups.values()].map((group) => [group.name, group.gid]));
  for (const [name, gid] of Object.entries({ users: 100, video: 26, render: 303, audio: 17, input: 174, kvm: 302, sgx: 304, 'systemd-network': 152, 'systemd-timesync': 154 })) assert.equal(gids[name], gid, name);
  assert.equal(gids['systemd-journal-gateway'], undefined, 'declared only with services.journald.gateway.enable');
  assert.equal(loadModule('{ services.journald.gateway.enable = true; }').findGroupByGid(110)?.nixosDeclaredBy, 'services.journald.gateway.enable');
  assert.equal(without.groups.get('render')?.nixosDefaultGid, 303);
  assert.equal(without.groups.get('render')?.gidDef, undefined);
  assert.equal(without.findGroupByGid(131), undefined);
  assert.equal(without.findGroupByGid(303)?.name, 'render');

  const withDocker = loadModule('{ virtualisation.docker.enable = true; }');
  assert.equal(withDocker.groups.get('docker')?.gid, 131);
  assert.equal(withDocker.findGroupByGid(131)?.name, 'docker');

  const disabled = loadModule('{ virtualisation.docker.enable = false; }');
  assert.equal(disabled.groups.has('docker'), false);
});

test('user gid definitions of built-in groups: plain keeps the value, mkForce wins, mkDefault loses to NixOS', () => {
  const plain = loadModule('{ users.groups.render.gid = 110; }').groups.get('render');
  assert.equal(plain?.gid, 110);
  assert.equal(plain?.priority, 'plain');
  assert.equal(plain?.nixosDefaultGid, 303);
  assert.ok(plain?.gidDef);

  const forced = loadModule('{ lib, ... }: { users.groups.render.gid = lib.mkForce 110; }');
  assert.equal(forced.groups.get('render')?.gid, 110);
  assert.equal(forced.groups.get('render')?.priority, 'force');
  assert.equal(forced.findGroupByGid(110)?.name, 'render');
  assert.equal(forced.findGroupByGid(303), undefined);

  const defaulted = loadModule('{ lib, ... }: { users.groups.render.gid = lib.mkDefault 110; }');
  assert.equal(defaulted.groups.get('render')?.gid, 303, 'mkDefault is ignored: NixOS declares render at normal priority');
  assert.equal(defaulted.groups.get('render')?.priority, 'default');
  assert.equal(defaulted.findGroupByGid(110), undefined);
});

test('user-declared groups (users.groups and users.extraGroups) merge across files', () => {
  const configuration = loadFiles({
    '/cfg/configuration.nix': '{ imports = [ ./media.nix ]; users.groups.media = { }; }',
    '/cfg/media.nix': '{ users.extraGroups.media.gid = 2000; users.groups.plain.gid = 3000; }',
  });
  const media = configuration.groups.get('media');
  assert.equal(media?.gid, 2000);
  assert.equal(media?.declaredAt?.file, '/cfg/configuration.nix');
  assert.equal(media?.gidDef?.file, '/cfg/media.nix');
  assert.equal(media?.nixosDefaultGid, undefined);
  assert.equal(configuration.findGroupByGid(3000)?.name, 'plain');
});

test('users: uid, group, isNormalUser, extraGroups merged across definitions', () => {
  const configuration = loadFiles({
    '/cfg/configuration.nix': `{ lib, ... }: let uid = 1000; in {
  imports = [ ./more.nix ];
  users.users.palav = { isNormalUser = true; inherit uid; group = "palav"; extraGroups = [ "wheel" "docker" ]; };
  users.extraUsers.svc.uid = 990;
}`,
    '/cfg/more.nix': '{ users.users.palav.extraGroups = [ "render" "docker" ]; }',
  });
  const palav = configuration.users.get('palav');
  assert.equal(palav?.uid, 1000);
  assert.equal(palav?.group, 'palav');
  assert.equal(palav?.isNormalUser, true);
  assert.deepEqual(palav?.extraGroups, ['wheel', 'docker', 'render']);
  assert.equal(palav?.extraGroupsDef?.file, '/cfg/configuration.nix');
  assert.deepEqual(palav?.declaredAt?.path, ['users', 'users', 'palav']);
  assert.equal(configuration.findUserByUid(1000)?.name, 'palav');
  assert.equal(configuration.findUserByUid(990)?.name, 'svc');
  assert.equal(configuration.findUserByUid(1001), undefined);
});

test('a user without an explicit uid has none (NixOS allocates it dynamically)', () => {
  const user = loadModule('{ users.users.palav.isNormalUser = true; }').users.get('palav');
  assert.equal(user?.uid, undefined);
  assert.deepEqual(user?.extraGroups, []);
});

test('systemd services: ordering lists, RequiresMountsFor (string or list), scripts', () => {
  const configuration = loadModule(`{ pkgs, ... }: {
  systemd.services.stacks = {
    after = [ "network-online.target" "docker.service" ];
    wants = [ "network-online.target" ];
    requires = [ "docker.service" ];
    unitConfig.RequiresMountsFor = "/mnt/a /mnt/b";
    preStart = "echo pre";
  };
  systemd.services.other.unitConfig.RequiresMountsFor = [ "/mnt/c" ];
}`);
  const stacks = configuration.systemdServices.get('stacks');
  assert.deepEqual(stacks?.after, ['network-online.target', 'docker.service']);
  assert.deepEqual(stacks?.wants, ['network-online.target']);
  assert.deepEqual(stacks?.requires, ['docker.service']);
  assert.deepEqual(stacks?.requiresMountsFor, ['/mnt/a', '/mnt/b']);
  assert.deepEqual(stacks?.scripts.map((script) => [script.attribute, script.text]), [['preStart', 'echo pre']]);
  assert.deepEqual(configuration.systemdServices.get('other')?.requiresMountsFor, ['/mnt/c']);
  assert.deepEqual(configuration.systemdServices.get('other')?.after, []);
});

test("indented-string scripts: text as Nix produces it and an exact sourceOffset into the file", () => {
  const text = `# Médiathèque ✓
{ pkgs, ... }: {
  systemd.services.stacks = {
    script = ''
      #!/bin/bash
      for f in /srv/*; do
        echo "''\${f}" \${pkgs.docker}/bin/docker
      done
      find /srv -print0 | while IFS= read -r f; do :; done
    '';
  };
}
`;
  const configuration = loadModule(text);
  assert.deepEqual(configuration.problems, []);
  const [script] = configuration.systemdServices.get('stacks')?.scripts ?? [];
  assert.ok(script);
  assert.equal(script.attribute, 'script');
  assert.equal(script.file, '/etc/nixos/configuration.nix');
  assert.equal(script.text, '#!/bin/bash\nfor f in /srv/*; do\n  echo "${f}" ${pkgs.docker}/bin/docker\ndone\nfind /srv -print0 | while IFS= read -r f; do :; done\n');
  const read = script.text.indexOf('read -r');
  assert.equal(script.sourceOffset(read), text.indexOf('read -r'));
  assert.equal(script.sourceOffset(0), text.indexOf('#!/bin/bash'));
  const interpolation = script.text.indexOf('${pkgs.docker}');
  assert.equal(script.sourceOffset(interpolation), text.indexOf('${pkgs.docker}'));
  assert.equal(script.sourceOffset(script.text.indexOf('${f}')), text.indexOf("''${f}"), 'an escape maps to its start');
  assert.equal(script.definition.path.join('.'), 'systemd.services.stacks.script');
});
