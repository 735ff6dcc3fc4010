import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nix } from '../../../../src/core/edits/nixExpr';
import { renderModule } from '../../../../src/core/fixes/renderModule';
import { append, set } from '../../../../src/core/edits/setting';
import { dockerBlock, groupBlock, userBlock } from '../../../../src/core/fixes/blocks';

test('groups settings by their option owner and keeps collections dotted', () => {
  const { text } = renderModule([dockerBlock(undefined), groupBlock({ name: 'render', gid: 110 }), groupBlock({ name: 'media', gid: 2000 })]);
  assert.match(
    text,
    /  virtualisation\.docker = \{\n    enable = true;\n    daemon\.settings = \{\n      log-driver = "json-file";\n      log-opts = \{\n        max-size = "10m";\n        max-file = "3";\n      \};\n    \};\n  \};\n/,
  );
  assert.match(text, /\n  users\.groups\.render\.gid = lib\.mkForce 110;\n/);
  assert.match(text, /\n  users\.groups\.media\.gid = 2000;\n/);
  assert.ok(!/users\.groups = \{/.test(text), 'users.groups is a collection: never opened as a whole');
  assert.ok(text.startsWith('{ config, lib, pkgs, ... }:\n\n{\n'));
  assert.ok(text.endsWith('}\n'));
});

test('appends to one list path from several blocks become one deduplicated list in the first block', () => {
  const blocks = [
    userBlock({ name: 'palav', uid: 1000, exists: false }),
    groupBlock({ name: 'render', gid: 110, members: ['palav'] }),
    dockerBlock('palav'),
    { title: 'again', settings: [append(['users', 'users', 'palav', 'extraGroups'], nix.strings(['render', 'video']))] },
  ];
  const { text } = renderModule(blocks);
  assert.equal(text.match(/extraGroups/g)?.length, 1, text);
  assert.match(text, /  users\.users\.palav = \{\n    isNormalUser = true;\n(    #.*\n)?    uid = 1000;\n    extraGroups = \[ "render" "docker" "video" \];\n  \};/);
  // The block whose every setting merged into an earlier binding leaves no empty comment behind.
  assert.ok(!text.includes('# again'));
});

test('a title comment above each block, reasons above their value, header at the top', () => {
  const { text } = renderModule(
    [
      { title: 'First block', settings: [set(['a', 'b'], nix.int(1), { reason: 'because' })] },
      { title: 'Only a note\nsecond line', settings: [] },
    ],
    { header: ['Made by a test', '', 'end'] },
  );
  assert.ok(text.startsWith('# Made by a test\n#\n# end\n\n{ config, lib, pkgs, ... }:'), text);
  assert.match(text, /  # First block\n  # because\n  a\.b = 1;\n\n  # Only a note\n  # second line\n\}/);
});

test('the same value twice is written once; a different value is reported as a conflict and the first kept', () => {
  const { text, conflicts } = renderModule([
    { title: 'one', settings: [set(['hardware', 'graphics', 'enable'], nix.bool(true)), set(['x', 'y'], nix.int(1))] },
    { title: 'two', settings: [set(['hardware', 'graphics', 'enable'], nix.bool(true)), set(['x', 'y'], nix.int(2))] },
  ]);
  assert.equal(text.match(/graphics\.enable/g)?.length, 1);
  assert.match(text, /x\.y = 1;/);
  assert.deepEqual(conflicts, [{ path: ['x', 'y'], kept: '1', dropped: '2' }]);
});

test('quoted attribute names and multi-line raw values are indented where the binding starts', () => {
  const { text } = renderModule([
    {
      title: 't',
      settings: [
        set(['fileSystems', '/mnt/data', 'device'], nix.str('/dev/disk/by-uuid/x')),
        set(['fileSystems', '/mnt/data', 'fsType'], nix.str('ext4')),
        set(['systemd', 'services', 's', 'script'], nix.raw("''\n  echo hi\n''")),
        set(['systemd', 'services', 's', 'wants'], nix.strings(['network-online.target'])),
      ],
    },
  ]);
  assert.match(text, /  fileSystems\."\/mnt\/data" = \{\n    device = "\/dev\/disk\/by-uuid\/x";\n    fsType = "ext4";\n  \};/);
  assert.match(text, /    script = ''\n      echo hi\n    '';\n/);
});

test('rendering is deterministic', () => {
  const blocks = [dockerBlock('palav'), groupBlock({ name: 'render', gid: 110, members: ['palav'] })];
  assert.equal(renderModule(blocks).text, renderModule(blocks).text);
});
