import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { dockerBlock, fileSystemBlock, graphicsBlock, groupBlock, nvidiaBlock, userBlock } from '../../../../src/core/fixes/blocks';
import type { DesiredSetting } from '../../../../src/core/edits/setting';
import { ENTRY, fixed, oracle, planOnce, ready, ROOT } from './planFixture';

before(ready);

const uidAndRender: DesiredSetting[] = [...userBlock({ name: 'palav', uid: 1000, exists: true }).settings, ...groupBlock({ name: 'render', gid: 110, members: ['palav'] }).settings];

test('dotted file: uid next to the user\'s other dotted bindings, extraGroups appended, lib added to the formals', () => {
  const files = fixed('dotted', {
    [ENTRY]: `{ config, pkgs, ... }:
{
  users.users.palav.isNormalUser = true;
  users.users.palav.extraGroups = [ "wheel" ];
  networking.hostName = "nas";
}
`,
  }, uidAndRender);
  assert.equal(files[ENTRY], `{ config, lib, pkgs, ... }:
{
  users.users.palav.isNormalUser = true;
  users.users.palav.extraGroups = [ "wheel" "render" ];
  users.users.palav.uid = 1000;
  users.groups.render.gid = lib.mkForce 110;
  networking.hostName = "nas";
}
`);
});

test('nested sets: the user set gains uid, an empty groups set gains render.gid', () => {
  const files = fixed('nested', {
    [ENTRY]: `{ lib, ... }:
{
  users = {
    users.palav = {
      isNormalUser = true;
      extraGroups = [
        "wheel"
      ];
    };
    groups = { };
  };
}
`,
  }, uidAndRender);
  assert.equal(files[ENTRY], `{ lib, ... }:
{
  users = {
    users.palav = {
      isNormalUser = true;
      extraGroups = [
        "wheel"
        "render"
      ];
      uid = 1000;
    };
    groups = {
      render.gid = lib.mkForce 110;
    };
  };
}
`);
});

test('a let … in module is edited in its body; bindings of the let are left alone', () => {
  const files = fixed('let-in', {
    [ENTRY]: `{ pkgs, ... }:
let
  user = "palav";
in
{
  users.users.palav = {
    isNormalUser = true;
    description = user;
  };
}
`,
  }, uidAndRender);
  const text = files[ENTRY] ?? '';
  assert.match(text, /^\{ lib, pkgs, \.\.\. \}:\nlet\n  user = "palav";\nin\n/);
  assert.match(text, /    description = user;\n    uid = 1000;\n    extraGroups = \[ "render" \];\n  \};\n  users\.groups\.render\.gid = lib\.mkForce 110;\n\}\n$/);
});

test('a bare attribute-set module becomes a function of lib when lib.mkForce is written', () => {
  const files = fixed('bare-module', { [ENTRY]: `{\n  networking.hostName = "nas";\n}\n` }, groupBlock({ name: 'video', gid: 44 }).settings);
  assert.equal(files[ENTRY], `{ lib, ... }:\n{\n  networking.hostName = "nas";\n  users.groups.video.gid = lib.mkForce 44;\n}\n`);
});

test('users.users split over two imported files: the uid goes where the user is declared', () => {
  const usersFile = `${ROOT}/users.nix`;
  const files = fixed('split-users', {
    [ENTRY]: `{ ... }:
{
  imports = [ ./users.nix ];
  users.users.alice = { isNormalUser = true; };
}
`,
    [usersFile]: `{ pkgs, ... }:
{
  users.users.palav = {
    isNormalUser = true;
  };
}
`,
  }, userBlock({ name: 'palav', uid: 1000, exists: true }).settings);
  assert.match(files[usersFile] ?? '', /isNormalUser = true;\n    uid = 1000;\n  \};/);
  assert.doesNotMatch(files[ENTRY] ?? '', /uid/);
});

test('indentation follows the file: 4 spaces, tabs', () => {
  const four = fixed('indent-4', { [ENTRY]: `{ lib, ... }:\n{\n    networking.hostName = "nas";\n}\n` }, dockerBlock(undefined).settings.slice(0, 4));
  assert.match(four[ENTRY] ?? '', /\n    virtualisation\.docker = \{\n        enable = true;\n        daemon\.settings = \{\n            log-driver = "json-file";\n            log-opts = \{\n                max-size = "10m";/);
  const tabs = fixed('indent-tab', { [ENTRY]: `{ lib, ... }:\n{\n\tusers.users.palav = {\n\t\tisNormalUser = true;\n\t};\n}\n` }, uidAndRender);
  assert.match(tabs[ENTRY] ?? '', /\n\t\tisNormalUser = true;\n\t\tuid = 1000;\n\t\textraGroups = \[ "render" \];\n\t\};\n\tusers\.groups\.render\.gid = lib\.mkForce 110;\n/);
});

test('comments between bindings and after them stay where they are', () => {
  const files = fixed('comments', {
    [ENTRY]: `{ lib, ... }:
{
  # The admin.
  users.users.palav = {
    isNormalUser = true; # can log in
    # groups below
    extraGroups = [ "wheel" ]; # admin
  };
  # end
}
`,
  }, uidAndRender);
  assert.equal(files[ENTRY], `{ lib, ... }:
{
  # The admin.
  users.users.palav = {
    isNormalUser = true; # can log in
    # groups below
    extraGroups = [ "wheel" "render" ]; # admin
    uid = 1000;
  };
  users.groups.render.gid = lib.mkForce 110;
  # end
}
`);
});

test('Windows line endings stay CRLF', () => {
  const crlf = `{ config, ... }:\r\n{\r\n  users.users.palav = {\r\n    isNormalUser = true;\r\n  };\r\n}\r\n`;
  const files = fixed('crlf', { [ENTRY]: crlf }, [...uidAndRender, ...dockerBlock('palav').settings]);
  const text = files[ENTRY] ?? '';
  assert.doesNotMatch(text.replace(/\r\n/g, ''), /[\r\n]/, 'no lone LF or CR');
  assert.match(text, /\{ config, lib, pkgs, \.\.\. \}:\r\n/);
  assert.match(text, /    uid = 1000;\r\n/);
});

test('a differing value is replaced in place (110 → lib.mkForce 110), never defined twice', () => {
  const files = fixed('replace', { [ENTRY]: `{ lib, ... }:\n{\n  users.groups.render.gid = 110; # from Ubuntu\n}\n` }, groupBlock({ name: 'render', gid: 110 }).settings);
  assert.equal(files[ENTRY], `{ lib, ... }:\n{\n  users.groups.render.gid = lib.mkForce 110; # from Ubuntu\n}\n`);
});

test('settings under one missing parent become one nested binding (fileSystems, docker)', () => {
  const files = fixed('grouped', {
    [ENTRY]: `{ pkgs, ... }:
{
  fileSystems."/" = { device = "/dev/sda1"; fsType = "ext4"; };
  environment.systemPackages = with pkgs; [
    vim
  ];
  users.users.palav.isNormalUser = true;
}
`,
  }, [
    ...fileSystemBlock({ mountpoint: '/mnt/PlexStorage', uuid: 'abcd', fsType: 'ext4', options: ['defaults', 'nofail'], origin: 'fstab' }).settings,
    ...dockerBlock('palav').settings,
  ]);
  assert.equal(files[ENTRY], `{ pkgs, ... }:
{
  fileSystems."/" = { device = "/dev/sda1"; fsType = "ext4"; };
  fileSystems."/mnt/PlexStorage" = {
    device = "/dev/disk/by-uuid/abcd";
    fsType = "ext4";
    options = [ "nofail" ];
  };
  environment.systemPackages = with pkgs; [
    vim
    docker-compose
  ];
  users.users.palav.isNormalUser = true;
  users.users.palav.extraGroups = [ "docker" ];
  virtualisation.docker = {
    enable = true;
    daemon.settings = {
      log-driver = "json-file";
      log-opts = {
        max-size = "10m";
        max-file = "3";
      };
    };
  };
}
`);
});

test('new top-level settings go above system.stateVersion and its comment, where people keep them', () => {
  const files = fixed('stateVersion', {
    [ENTRY]: `{ config, pkgs, ... }:
{
  services.openssh.enable = true;

  # This value determines the NixOS release …
  system.stateVersion = "25.05"; # Did you read the comment?
}
`,
  }, graphicsBlock('25.05', []).settings);
  assert.equal(files[ENTRY], `{ config, pkgs, ... }:
{
  services.openssh.enable = true;
  hardware.graphics.enable = true;

  # This value determines the NixOS release …
  system.stateVersion = "25.05"; # Did you read the comment?
}
`);
});

test('a parent behind mkIf cannot be merged into: the setting goes to homelab.nix, imported by the entry', () => {
  const files = fixed('opaque-parent', {
    [ENTRY]: `{ lib, config, ... }:
{
  imports = [ ./hardware-configuration.nix ];
  hardware.nvidia = lib.mkIf true { modesetting.enable = true; };
}
`,
    [`${ROOT}/hardware-configuration.nix`]: `{ ... }:\n{\n  boot.kernelModules = [ ];\n}\n`,
  }, [nvidiaBlock('25.05', { open: true }).settings[3] as DesiredSetting]);
  assert.match(files[ENTRY] ?? '', /imports = \[ \.\/hardware-configuration\.nix \.\/homelab\.nix \];/);
  assert.match(files[`${ROOT}/homelab.nix`] ?? '', /\{\n  hardware\.nvidia\.open = true;\n\}\n$/);
  assert.doesNotMatch(files[`${ROOT}/hardware-configuration.nix`] ?? '', /nvidia/, 'the generated hardware file is never a target');
});

test('a computed attribute name that may clash sends the setting to another module', () => {
  const files = fixed('computed-name', {
    [ENTRY]: `{ lib, ... }:
let name = "palav"; in
{
  users.users.\${name} = { isNormalUser = true; };
}
`,
  }, userBlock({ name: 'palav', uid: 1000, exists: true }).settings);
  assert.doesNotMatch(files[ENTRY] ?? '', /uid/);
  assert.match(files[`${ROOT}/homelab.nix`] ?? '', /users\.users\.palav\.uid = 1000;/);
  assert.match(files[ENTRY] ?? '', /^\{ lib, \.\.\. \}:\nlet name = "palav"; in\n\{\n  imports = \[ \.\/homelab\.nix \];\n  users\.users/);
});

test('fixTarget "module": new settings go to homelab.nix; list items the user has are not repeated', () => {
  const entry = `{ config, pkgs, ... }:
{
  imports =
    [ # hardware
      ./hardware-configuration.nix
    ];
  users.users.palav = { isNormalUser = true; extraGroups = [ "wheel" "docker" ]; };
}
`;
  const files = fixed('module-target', { [ENTRY]: entry, [`${ROOT}/hardware-configuration.nix`]: '{ ... }: { }\n' }, [...uidAndRender, ...dockerBlock('palav').settings], 'module');
  assert.equal(files[ENTRY], entry.replace('./hardware-configuration.nix\n', './hardware-configuration.nix\n      ./homelab.nix\n'));
  const homelab = files[`${ROOT}/homelab.nix`] ?? '';
  assert.match(homelab, /\n  users\.users\.palav = \{\n    uid = 1000;\n    extraGroups = \[ "render" \];\n  \};\n/, 'only the missing item, not "docker"');
  assert.match(homelab, /users\.groups\.render\.gid = lib\.mkForce 110;/);
  assert.match(homelab, /environment\.systemPackages = \[ pkgs\.docker-compose \];/);
});

test('explicit { options; config; } modules are edited under config', () => {
  const files = fixed('explicit-config', {
    [ENTRY]: `{ lib, ... }:
{
  options = { };
  config = {
    users.users.palav.isNormalUser = true;
  };
}
`,
  }, uidAndRender);
  assert.match(files[ENTRY] ?? '', /  config = \{\n    users\.users\.palav\.isNormalUser = true;\n    users\.users\.palav\.uid = 1000;\n    users\.users\.palav\.extraGroups = \[ "render" \];\n    users\.groups\.render\.gid = lib\.mkForce 110;\n  \};/);
});

test('a one-line set stays on one line; an empty module set opens up', () => {
  const oneLine = fixed('one-line-set', { [ENTRY]: `{ ... }: { users.users.palav = { isNormalUser = true; }; }\n` }, userBlock({ name: 'palav', uid: 1000, exists: true }).settings);
  assert.equal(oneLine[ENTRY], `{ ... }: { users.users.palav = { isNormalUser = true; uid = 1000; }; }\n`);
  const empty = fixed('empty-module', { [ENTRY]: `{ pkgs, ... }: { }\n` }, graphicsBlock('25.05', ['intel']).settings);
  assert.equal(empty[ENTRY], `{ pkgs, ... }: {\n  hardware.graphics = {\n    enable = true;\n    extraPackages = [ pkgs.intel-media-driver pkgs.intel-vaapi-driver ];\n  };\n}\n`);
});

test('a file that does not parse is refused with its name and line; nothing is planned', () => {
  const result = planOnce({ [ENTRY]: `{ ... }:\n{\n  users.users.palav = {\n    isNormalUser = true\n  };\n}\n` }, uidAndRender).result;
  assert.ok('error' in result);
  assert.match(result.error, /configuration\.nix has a Nix syntax error at line \d+/);
  const imported = planOnce({ [ENTRY]: `{ ... }: { imports = [ ./broken.nix ]; }\n`, [`${ROOT}/broken.nix`]: `{ a = ; }\n` }, uidAndRender).result;
  assert.ok('error' in imported && /broken\.nix/.test(imported.error));
});

test('already satisfied settings produce no edits at all', () => {
  const text = `{ lib, pkgs, ... }:\n{\n  users.users.palav = { isNormalUser = true; uid = 1000; extraGroups = [ "render" ]; };\n  users.groups.render.gid = lib.mkForce 110;\n}\n`;
  const { result } = planOnce({ [ENTRY]: text }, uidAndRender);
  assert.deepEqual(result, { edits: [], creates: [] });
});

test('every planner result parses (one nix-instantiate call)', () => {
  assert.ok(oracle.size >= 15, `collected ${oracle.size} results`);
  oracle.check();
});
