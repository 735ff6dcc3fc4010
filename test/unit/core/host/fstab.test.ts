import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFstab } from '../../../../src/core/host/fstab';
import { fixture, NIXOS_HOST, POP_OS_SNAPSHOT, UBUNTU_HOST } from './hostFixtures';

test('fstab: Pop!_OS file with comments, PARTUUID, /dev/mapper swap, tabs and btrfs options', () => {
  const { value, warnings } = parseFstab(fixture(POP_OS_SNAPSHOT, 'pre_nixos_fstab.txt'));
  assert.deepEqual(warnings, []);
  assert.deepEqual(value.map((e) => e.mountpoint), ['/boot/efi', '/recovery', 'none', '/', '/mnt/PlexStorage', '/mnt/MediaArchive']);
  assert.deepEqual(value[0], {
    spec: 'PARTUUID=5f0c9e8a-3d47-4b21-a6f8-1e2b7c9d0a34',
    specKind: 'partuuid',
    specValue: '5f0c9e8a-3d47-4b21-a6f8-1e2b7c9d0a34',
    mountpoint: '/boot/efi',
    fsType: 'vfat',
    options: ['umask=0077'],
    dump: 0,
    pass: 0,
    line: 8,
  });
  assert.deepEqual([value[2]?.specKind, value[2]?.specValue, value[2]?.fsType], ['device', '/dev/mapper/cryptswap', 'swap']);
  const plex = value[4];
  assert.deepEqual([plex?.specKind, plex?.specValue, plex?.options, plex?.pass, plex?.line], ['uuid', '3b6f2a9e-8c1d-4e57-9a0b-52d7c4e1f806', ['defaults', 'nofail', 'noatime'], 2, 14]);
  assert.deepEqual(value[5]?.options, ['subvol=@media', 'compress=zstd:3', 'noatime', 'nofail', 'x-systemd.device-timeout=10s']);
});

test('fstab: by-uuid paths, \\040 escapes, LABEL, tmpfs, nfs without dump/pass (Ubuntu 24.04)', () => {
  const { value, warnings } = parseFstab(fixture(UBUNTU_HOST, 'fstab.txt'));
  assert.deepEqual(warnings, []);
  const byMount = new Map(value.map((e) => [e.mountpoint, e]));
  assert.equal(byMount.get('/')?.specKind, 'device');
  assert.deepEqual([byMount.get('/boot')?.specKind, byMount.get('/boot')?.specValue], ['uuid', '1c8e5f3a-7b20-4d69-a4e1-f0b9c2d7e853']);
  assert.deepEqual([byMount.get('/boot/efi')?.specKind, byMount.get('/boot/efi')?.specValue], ['uuid', 'B2D4-91C7']);
  const scratch = byMount.get('/mnt/scratch space');
  assert.deepEqual([scratch?.specKind, scratch?.specValue, scratch?.pass], ['label', 'Scratch', 2]);
  assert.deepEqual([byMount.get('/mnt/transcode')?.specKind, byMount.get('/mnt/transcode')?.fsType], ['other', 'tmpfs']);
  const nas = byMount.get('/mnt/nas');
  assert.deepEqual([nas?.specKind, nas?.specValue, nas?.fsType, nas?.dump, nas?.pass], ['other', 'nas.lan:/volume1/backup', 'nfs4', 0, 0]);
  assert.deepEqual(nas?.options, ['_netdev', 'noauto', 'x-systemd.automount']);
  assert.deepEqual(byMount.get('none')?.options, ['sw']);
});

test('fstab: NixOS generated file, swap line without dump and pass', () => {
  const { value } = parseFstab(fixture(NIXOS_HOST, 'fstab.txt'));
  assert.equal(value.length, 4);
  assert.deepEqual(value.at(-1), {
    spec: '/dev/disk/by-uuid/6b1f8e42-9d3c-4a57-8e20-c4a9f7d1b035',
    specKind: 'uuid',
    specValue: '6b1f8e42-9d3c-4a57-8e20-c4a9f7d1b035',
    mountpoint: 'none',
    fsType: 'swap',
    options: ['defaults'],
    dump: 0,
    pass: 0,
    line: 15,
  });
});

test('fstab: PARTLABEL, quoted UUID, trailing comment, quoted option with comma, CRLF', () => {
  const text = [
    'PARTLABEL=data /srv/data xfs defaults 0 2 # data disk',
    'UUID="1b2c3d4e-5f60-4718-9a0b-c1d2e3f4a5b6" /srv/a ext4 context="system_u:object_r:a_t:s0,c1",noatime 0 0',
  ].join('\r\n');
  const { value, warnings } = parseFstab(text);
  assert.deepEqual(warnings, []);
  assert.deepEqual([value[0]?.specKind, value[0]?.specValue, value[0]?.pass], ['partlabel', 'data', 2]);
  assert.equal(value[1]?.specValue, '1b2c3d4e-5f60-4718-9a0b-c1d2e3f4a5b6');
  assert.deepEqual(value[1]?.options, ['context="system_u:object_r:a_t:s0,c1"', 'noatime']);
});

test('fstab: malformed lines are warnings with line numbers, the rest still parses', () => {
  const { value, warnings } = parseFstab('garbage\nUUID=1234-ABCD /mnt/usb\n/dev/sdb1 /mnt/b ext4 defaults x y\n');
  assert.deepEqual(value.map((e) => [e.mountpoint, e.fsType, e.options]), [['/mnt/usb', 'auto', ['defaults']], ['/mnt/b', 'ext4', ['defaults']]]);
  assert.deepEqual(warnings.map((w) => w.line), [1, 2, 3, 3]);
});
