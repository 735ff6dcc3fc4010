import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initNixParser } from '../../../../src/core/nix/syntax';
import { leaves, loadModule, only, textAt } from './nixFixture';

before(async () => {
  await initNixParser();
});

const int = (value: number) => ({ kind: 'int', value });

test('module shapes all yield the same definition', () => {
  const shapes = [
    '{ config, lib, pkgs, ... }: { networking.hostName = "nas"; }',
    '{ networking.hostName = "nas"; }',
    '{ config, ... }: let name = "nas"; in { networking.hostName = name; }',
    '{ lib, ... }: with lib; { networking.hostName = "nas"; }',
    '{ lib, ... }: lib.mkMerge [ { networking.hostName = "nas"; } { } ]',
    '{ config, lib, ... }: { options = { }; config = { networking.hostName = "nas"; }; }',
    '{ config, lib, ... }: { config.networking.hostName = "nas"; }',
    '{ pkgs, ... }: (rec { networking.hostName = "nas"; })',
  ];
  for (const shape of shapes) {
    const configuration = loadModule(shape);
    assert.deepEqual(configuration.problems, [], shape);
    assert.deepEqual(leaves(configuration), [['networking.hostName', { kind: 'string', value: 'nas', interpolated: false }]], shape);
    assert.equal(only(configuration, 'networking.hostName').conditional, false, shape);
  }
});

test('a module body under mkIf (plain or explicit config form) is conditional', () => {
  for (const shape of [
    '{ config, lib, ... }: lib.mkIf config.x { networking.hostName = "nas"; }',
    '{ config, lib, ... }: { options.x = lib.mkEnableOption "x"; config = lib.mkIf config.x { networking.hostName = "nas"; }; }',
    '{ lib, ... }: lib.mkMerge [ (lib.mkIf true { networking.hostName = "nas"; }) ]',
  ]) {
    const configuration = loadModule(shape);
    assert.equal(only(configuration, 'networking.hostName').conditional, true, shape);
    assert.equal(configuration.definitionsUnder(['options']).length, 0, 'option declarations are not definitions');
  }
});

test('dotted, nested and mixed forms define the same path', () => {
  const forms = [
    '{ users.groups.render.gid = 110; }',
    '{ users = { groups.render = { gid = 110; }; }; }',
    '{ users.groups = { render.gid = 110; }; }',
    '{ users = { groups = { render = { gid = 110; }; }; }; }',
  ];
  for (const form of forms) {
    assert.deepEqual(leaves(loadModule(form)), [['users.groups.render.gid', int(110)]], form);
  }
});

test('attribute-set bindings get an attrs definition pointing at the whole binding', () => {
  const text = '{\n  users.users.palav = {\n    isNormalUser = true;\n  };\n}\n';
  const configuration = loadModule(text);
  const user = only(configuration, 'users.users.palav');
  assert.deepEqual(user.value, { kind: 'attrs' });
  assert.equal(textAt(text, user.loc.range), 'users.users.palav = {\n    isNormalUser = true;\n  };');
  assert.deepEqual(configuration.definitionsOf(['users', 'users']), [], 'no definition for an attrpath segment');
});

test('locations: loc is the binding, valueLoc the wrapped value, exprLoc the value with its wrapper', () => {
  const text = '{ lib, ... }: {\n  users.groups.render.gid = lib.mkForce 110;\n}\n';
  const gid = only(loadModule(text), 'users.groups.render.gid');
  assert.equal(textAt(text, gid.loc.range), 'users.groups.render.gid = lib.mkForce 110;');
  assert.equal(textAt(text, gid.valueLoc.range), '110');
  assert.equal(textAt(text, gid.exprLoc.range), 'lib.mkForce 110');
  assert.equal(gid.file, '/etc/nixos/configuration.nix');
});

test('priorities: mkForce, mkForce under with lib, mkDefault, mkOverride, mkIf, nested wrappers', () => {
  const configuration = loadModule(`{ lib, config, ... }: with lib; {
    a = lib.mkForce 1;
    b = mkForce 2;
    c = lib.mkDefault 3;
    d = lib.mkOverride 50 4;
    e = lib.mkIf config.x 5;
    f = lib.mkIf config.x (lib.mkForce 6);
    g = lib.mkForce { h = 7; };
    i = 8;
  }`);
  const summary = (path: string) => {
    const definition = only(configuration, path);
    return [definition.value, definition.priority, definition.numericPriority, definition.conditional];
  };
  assert.deepEqual(summary('a'), [int(1), 'force', 50, false]);
  assert.deepEqual(summary('b'), [int(2), 'force', 50, false]);
  assert.deepEqual(summary('c'), [int(3), 'default', 1000, false]);
  assert.deepEqual(summary('d'), [int(4), 'override', 50, false]);
  assert.deepEqual(summary('e'), [int(5), 'plain', 100, true]);
  assert.deepEqual(summary('f'), [int(6), 'force', 50, true]);
  assert.deepEqual(summary('g.h'), [int(7), 'force', 50, false], 'a wrapper on a set applies to its attributes');
  assert.deepEqual(summary('i'), [int(8), 'plain', 100, false]);
});

test('mkMerge in value position defines each element at the same path', () => {
  const configuration = loadModule('{ lib, ... }: { environment.systemPackages = lib.mkMerge [ [ "a" ] (lib.mkIf true [ "b" ]) ]; services = lib.mkMerge [ { x.enable = true; } { y.enable = false; } ]; }');
  const packages = configuration.definitionsOf(['environment', 'systemPackages']);
  assert.deepEqual(packages.map((definition) => [definition.value, definition.conditional]), [
    [{ kind: 'list', items: [{ kind: 'string', value: 'a', interpolated: false }] }, false],
    [{ kind: 'list', items: [{ kind: 'string', value: 'b', interpolated: false }] }, true],
  ]);
  assert.deepEqual(only(configuration, 'services.x.enable').value, { kind: 'bool', value: true });
  assert.deepEqual(only(configuration, 'services.y.enable').value, { kind: 'bool', value: false });
});

test('values: literals, paths, lists, let-resolved variables, with-lists, unknown expressions', () => {
  const configuration = loadModule(`{ config, pkgs, ... }:
let
  myUid = 1000;
  name = "palav";
  alias = myUid;
in {
  users.users.palav.uid = myUid;
  users.users.other.uid = alias;
  a.float = 1.5;
  a.null = null;
  a.path = ./secrets/key;
  a.name = name;
  a.list = [ 1 "two" true ];
  environment.systemPackages = with pkgs; [ docker-compose ];
  a.call = builtins.toString 3;
  a.interpolated = "\${name}-x";
  a.selected = config.networking.hostName;
}`);
  assert.deepEqual(only(configuration, 'users.users.palav.uid').value, int(1000));
  assert.deepEqual(only(configuration, 'users.users.other.uid').value, int(1000));
  assert.deepEqual(only(configuration, 'a.float').value, { kind: 'float', value: 1.5 });
  assert.deepEqual(only(configuration, 'a.null').value, { kind: 'null' });
  assert.deepEqual(only(configuration, 'a.path').value, { kind: 'path', value: './secrets/key' });
  assert.deepEqual(only(configuration, 'a.name').value, { kind: 'string', value: 'palav', interpolated: false });
  assert.deepEqual(only(configuration, 'a.list').value, { kind: 'list', items: [int(1), { kind: 'string', value: 'two', interpolated: false }, { kind: 'bool', value: true }] });
  assert.deepEqual(only(configuration, 'environment.systemPackages').value, { kind: 'list', items: [{ kind: 'unknown', text: 'docker-compose' }] });
  assert.deepEqual(only(configuration, 'a.call').value, { kind: 'unknown', text: 'builtins.toString 3' });
  assert.deepEqual(only(configuration, 'a.interpolated').value, { kind: 'string', value: '-x', interpolated: true });
  assert.deepEqual(only(configuration, 'a.selected').value, { kind: 'unknown', text: 'config.networking.hostName' });
});

test('inherit, rec sets, quoted names and computed names', () => {
  const configuration = loadModule(`{ pkgs, ... }:
let gid = 110; in rec {
  inherit (pkgs) hello;
  users.groups.media = { inherit gid; };
  fileSystems."/mnt/PlexStorage" = { device = "/dev/disk/by-uuid/abc"; fsType = "ext4"; };
  port = 8080;
  services.x.port = port;
  \${"dyn"} = 1;
  "a.b" = 2;
}`);
  assert.deepEqual(only(configuration, 'hello').value, { kind: 'unknown', text: 'pkgs.hello' });
  assert.deepEqual(only(configuration, 'users.groups.media.gid').value, int(110));
  assert.deepEqual(configuration.definitionsOf(['fileSystems', '/mnt/PlexStorage', 'fsType'])[0]?.value, { kind: 'string', value: 'ext4', interpolated: false });
  assert.deepEqual(only(configuration, 'services.x.port').value, int(8080));
  assert.equal(configuration.definitionsOf(['a.b']).length, 1, 'a quoted dotted name is one segment');
  assert.ok(!configuration.definitions.some((definition) => definition.path.includes('dyn')), 'computed names are skipped');
});

test('definitionsUnder matches whole segments', () => {
  const configuration = loadModule('{ users.users.a.uid = 1; users.usersX = 2; users.groups.b.gid = 3; }');
  assert.deepEqual(configuration.definitionsUnder(['users', 'users']).map((definition) => definition.path.join('.')), ['users.users.a.uid']);
  assert.equal(configuration.definitionsUnder([]).length, configuration.definitions.length);
});

test('half-typed files still yield the intact definitions, with problems reported', () => {
  const cases = [
    '{ config, ... }: {\n  foo.bar = ;\n  networking.hostName = "nas";\n}\n',
    '{ config, ... }: {\n  networking.hostName = "nas";\n  users.users.palav = {\n    uid = 1000;\n',
    '{ config, ... }: {\n  networking.hostName = "nas"; ) \n  users.users.palav.uid = 1000;\n}\n',
    '{ config, ... }: {\n  networking.hostName = "nas";\n  users.users.palav.uid = 1000;\n  foo.\n}\n',
  ];
  for (const text of cases) {
    const configuration = loadModule(text);
    assert.ok(configuration.problems.length > 0, `problems reported for ${JSON.stringify(text)}`);
    assert.equal(configuration.problems[0]?.file, '/etc/nixos/configuration.nix');
    assert.deepEqual(only(configuration, 'networking.hostName').value, { kind: 'string', value: 'nas', interpolated: false }, text);
    if (text.includes('uid')) assert.deepEqual(only(configuration, 'users.users.palav.uid').value, int(1000), text);
    assert.deepEqual(configuration.definitionsOf(['foo', 'bar']), [], 'the half-typed binding defines nothing');
  }
});

test('CRLF modules: same definitions, ranges on the right lines', () => {
  const text = '{ config, ... }:\r\n{\r\n  users.users.palav.uid = 1000;\r\n  networking.hostName = "nas";\r\n}\r\n';
  const configuration = loadModule(text);
  assert.deepEqual(configuration.problems, []);
  const hostName = only(configuration, 'networking.hostName');
  assert.deepEqual(hostName.loc.range, { start: { line: 3, character: 2 }, end: { line: 3, character: 30 } });
  assert.deepEqual(hostName.value, { kind: 'string', value: 'nas', interpolated: false });
});

test('unicode before a binding: ranges in UTF-16 characters', () => {
  const text = '# Mediaserver für café ✓ 😀\n{ users.groups.render.gid = 110; } # 😀\n';
  const gid = only(loadModule(text), 'users.groups.render.gid');
  assert.deepEqual(gid.valueLoc.range, { start: { line: 1, character: 28 }, end: { line: 1, character: 31 } });
  assert.equal(textAt(text, gid.valueLoc.range), '110');
});

test('stateVersion is read from system.stateVersion', () => {
  assert.equal(loadModule('{ system.stateVersion = "24.05"; }').stateVersion, '24.05');
  assert.equal(loadModule('{ }').stateVersion, undefined);
});
