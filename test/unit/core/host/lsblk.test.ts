import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLsblkText } from '../../../../src/core/host/lsblk';
import { parseLsblkJson } from '../../../../src/core/host/lsblkJson';
import { fixture, NIXOS_HOST, POP_OS_SNAPSHOT, UBUNTU_HOST } from './hostFixtures';

test('lsblk table: tree characters, empty cells and crypt children (Pop!_OS)', () => {
  const { value, warnings } = parseLsblkText(fixture(POP_OS_SNAPSHOT, 'pre_nixos_lsblk.txt'));
  assert.deepEqual(warnings, []);
  assert.deepEqual(
    value.map((d) => d.name),
    ['sda', 'sda1', 'sdb', 'sdb1', 'sdc', 'sdc1', 'nvme0n1', 'nvme0n1p1', 'nvme0n1p2', 'nvme0n1p3', 'nvme0n1p4', 'cryptswap'],
  );
  assert.deepEqual(value[0], { name: 'sda' });
  assert.deepEqual(value.find((d) => d.name === 'sda1'), {
    name: 'sda1',
    fsType: 'ext4',
    uuid: '3b6f2a9e-8c1d-4e57-9a0b-52d7c4e1f806',
    mountpoint: '/mnt/PlexStorage',
    parent: 'sda',
  });
  // Unmounted partition: the MOUNTPOINT cell is empty, not the UUID shifted into it.
  assert.deepEqual(value.find((d) => d.name === 'sdc1'), { name: 'sdc1', fsType: 'ext4', uuid: '7d0a5c3e-1f92-4b6d-8e47-a3c5b9f2d018', parent: 'sdc' });
  assert.deepEqual(value.find((d) => d.name === 'nvme0n1p4'), { name: 'nvme0n1p4', parent: 'nvme0n1' });
  assert.equal(value.find((d) => d.name === 'cryptswap')?.parent, 'nvme0n1p4');
  assert.equal(value.find((d) => d.name === 'cryptswap')?.mountpoint, '[SWAP]');
  assert.equal(value.find((d) => d.name === 'nvme0n1p1')?.uuid, '8C3A-1F2E');
});

test('lsblk table: MOUNTPOINTS continuation rows, loop devices, LVM names and \\x20 escapes (Ubuntu 24.04)', () => {
  const { value, warnings } = parseLsblkText(fixture(UBUNTU_HOST, 'lsblk.txt'));
  assert.deepEqual(warnings, []);
  const media = value.find((d) => d.name === 'sda1');
  assert.equal(media?.mountpoint, '/srv/photos');
  assert.deepEqual(media?.mountpoints, ['/srv/photos', '/srv/media']);
  assert.equal(value.find((d) => d.name === 'sdb1')?.mountpoint, '/media/alex/Backup Drive');
  assert.deepEqual(value.find((d) => d.name === 'loop0'), { name: 'loop0', fsType: 'squashfs', mountpoint: '/snap/core22/1380' });
  const lv = value.find((d) => d.name === 'ubuntu--vg-ubuntu--lv');
  assert.equal(lv?.parent, 'nvme0n1p3');
  assert.equal(lv?.mountpoint, '/');
  assert.equal(value.find((d) => d.name === 'nvme0n1p3')?.mountpoint, undefined);
  assert.equal(value.find((d) => d.name === 'nvme0n1p3')?.uuid, 'Tq3v9K-mW2e-Lr8X-pN4d-Zs6Y-hB1c-Fg7Jua');
});

test('lsblk table: ASCII tree fallback (|- and `-)', () => {
  const { value } = parseLsblkText(fixture(NIXOS_HOST, 'lsblk.txt'));
  assert.deepEqual(
    value.map((d) => [d.name, d.parent ?? null]),
    [['nvme0n1', null], ['nvme0n1p1', 'nvme0n1'], ['nvme0n1p2', 'nvme0n1'], ['nvme0n1p3', 'nvme0n1'], ['sda', null], ['sda1', 'sda']],
  );
  assert.equal(value.find((d) => d.name === 'nvme0n1p3')?.mountpoint, '[SWAP]');
});

test('lsblk table: deep ASCII nesting under a vertical bar, and a stray prompt line before the header', () => {
  const text = [
    '$ lsblk -f -o NAME,FSTYPE,UUID,MOUNTPOINT',
    'NAME              FSTYPE      UUID                                   MOUNTPOINT',
    'sda                                                                  ',
    '|-sda1            crypto_LUKS 0d7c5e3a-2b81-4f69-a3e0-9c4b1d8f2e76   ',
    '| `-cryptdata     LVM2_member aB3dEf-GhIj-KlMn-OpQr-StUv-WxYz-012345 ',
    '|   `-vg-data     xfs         6e9a2c14-8b3f-4d70-95e1-c7f0a3b2d948   /srv/data',
    '`-sda2            ext4        f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b   /mnt/My\\x20Files',
  ].join('\n');
  const { value } = parseLsblkText(text);
  assert.deepEqual(
    value.map((d) => [d.name, d.parent ?? null, d.mountpoint ?? null]),
    [
      ['sda', null, null],
      ['sda1', 'sda', null],
      ['cryptdata', 'sda1', null],
      ['vg-data', 'cryptdata', '/srv/data'],
      ['sda2', 'sda', '/mnt/My Files'],
    ],
  );
});

test('lsblk table: a value wider than its column (hand-edited file) does not leak into the next cell', () => {
  const text = ['NAME FSTYPE UUID MOUNTPOINT', 'sdb1 ext4   1234-ABCD /mnt/x'].join('\n');
  const { value } = parseLsblkText(text);
  assert.deepEqual(value[0], { name: 'sdb1', fsType: 'ext4', uuid: '1234-ABCD', mountpoint: '/mnt/x' });
});

test('lsblk table: no header gives a warning, not an exception', () => {
  const { value, warnings } = parseLsblkText('lsblk: command not found\n');
  assert.deepEqual(value, []);
  assert.match(warnings[0]?.message ?? '', /no header line/);
});

test('lsblk -J: nested children, mountpoints arrays with null, labels with spaces', () => {
  const { value, warnings } = parseLsblkJson(fixture(UBUNTU_HOST, 'lsblk.json'));
  assert.deepEqual(warnings, []);
  assert.deepEqual(value.find((d) => d.name === 'sda'), { name: 'sda' });
  assert.deepEqual(value.find((d) => d.name === 'sda1'), {
    name: 'sda1',
    fsType: 'btrfs',
    uuid: '9a7e3c51-4d2b-4f86-b0c9-e1d5a2f7b364',
    partUuid: '3e8b1f72-05d4-4c9a-8b6f-a2d7e0c9f154',
    label: 'media',
    mountpoint: '/srv/photos',
    mountpoints: ['/srv/photos', '/srv/media'],
    parent: 'sda',
  });
  assert.equal(value.find((d) => d.name === 'sdb1')?.mountpoint, '/media/alex/Backup Drive');
  assert.equal(value.find((d) => d.name === 'ubuntu--vg-ubuntu--lv')?.parent, 'nvme0n1p3');
});

test('lsblk -J: older single "mountpoint" with nulls', () => {
  const json = JSON.stringify({
    blockdevices: [
      { name: 'sda', fstype: null, uuid: null, partuuid: null, label: null, mountpoint: null, children: [
        { name: 'sda1', fstype: 'ext4', uuid: '3b6f2a9e-8c1d-4e57-9a0b-52d7c4e1f806', partuuid: 'a1b2c3d4-01', label: null, mountpoint: '/mnt/PlexStorage' },
      ] },
    ],
  });
  const { value } = parseLsblkJson(json);
  assert.deepEqual(value, [
    { name: 'sda' },
    { name: 'sda1', fsType: 'ext4', uuid: '3b6f2a9e-8c1d-4e57-9a0b-52d7c4e1f806', partUuid: 'a1b2c3d4-01', mountpoint: '/mnt/PlexStorage', parent: 'sda' },
  ]);
});

test('lsblk -J: invalid JSON and a wrong shape are warnings', () => {
  assert.match(parseLsblkJson('{"blockdevices": [').warnings[0]?.message ?? '', /not valid JSON/);
  assert.match(parseLsblkJson('{"devices": []}').warnings[0]?.message ?? '', /no "blockdevices"/);
});
