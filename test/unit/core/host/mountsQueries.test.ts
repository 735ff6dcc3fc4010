import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSnapshotFromFiles } from '../../../../src/core/host/loadSnapshot';
import { dataMounts, mountCovering } from '../../../../src/core/host/mounts';
import { gpuVendors, groupByGid, groupByName, renderGroupGid, userByUid } from '../../../../src/core/host/queries';
import type { DataMount } from '../../../../src/core/host/model';
import { folderFiles, NIXOS_HOST, POP_OS_SNAPSHOT, UBUNTU_HOST } from './hostFixtures';

const load = (dir: string) => loadSnapshotFromFiles(folderFiles(dir)).snapshot;

test('dataMounts (Pop!_OS): the two data disks with their fstab options, system mounts excluded', () => {
  assert.deepEqual(dataMounts(load(POP_OS_SNAPSHOT)), [
    { mountpoint: '/mnt/PlexStorage', uuid: '3b6f2a9e-8c1d-4e57-9a0b-52d7c4e1f806', fsType: 'ext4', options: ['nofail', 'noatime'], origin: 'fstab line 14' },
    {
      mountpoint: '/mnt/MediaArchive',
      uuid: 'c2e94d17-5a3b-4f08-b6e2-9d1f0a7c3b54',
      fsType: 'btrfs',
      options: ['subvol=@media', 'compress=zstd:3', 'noatime', 'nofail', 'x-systemd.device-timeout=10s'],
      origin: 'fstab line 15',
    },
  ]);
});

test('dataMounts (Ubuntu): subvolumes, LABEL without device, NFS, lsblk-only mounts; no tmpfs, snaps, swap, /boot', () => {
  const mounts = dataMounts(load(UBUNTU_HOST));
  assert.deepEqual(mounts.map((m) => [m.mountpoint, m.uuid ?? m.device, m.fsType]), [
    ['/srv/media', '9a7e3c51-4d2b-4f86-b0c9-e1d5a2f7b364', 'btrfs'],
    ['/srv/photos', '9a7e3c51-4d2b-4f86-b0c9-e1d5a2f7b364', 'btrfs'],
    ['/mnt/scratch space', 'LABEL=Scratch', 'ext4'],
    ['/mnt/nas', 'nas.lan:/volume1/backup', 'nfs4'],
    ['/media/alex/Backup Drive', '64A1-0E2F', 'exfat'],
  ]);
  assert.equal(mounts.at(-1)?.origin, 'lsblk (sdb1 mounted, not in fstab)');
});

test('dataMounts: UUID resolved through lsblk for PARTUUID and /dev/mapper specs', () => {
  const snapshot = load(POP_OS_SNAPSHOT);
  snapshot.blockDevices.push({ name: 'vg-data', fsType: 'xfs', uuid: '6e9a2c14-8b3f-4d70-95e1-c7f0a3b2d948', mountpoint: '/srv/data' });
  snapshot.fstab.push({ spec: '/dev/mapper/vg-data', specKind: 'device', specValue: '/dev/mapper/vg-data', mountpoint: '/srv/data', fsType: 'auto', options: ['defaults'], dump: 0, pass: 2, line: 20 });
  const mount = dataMounts(snapshot).find((m) => m.mountpoint === '/srv/data');
  assert.deepEqual(mount, { mountpoint: '/srv/data', uuid: '6e9a2c14-8b3f-4d70-95e1-c7f0a3b2d948', fsType: 'xfs', options: [], origin: 'fstab line 20 (UUID from lsblk)' });
});

test('dataMounts (NixOS): by-uuid fstab paths give the UUID', () => {
  assert.deepEqual(dataMounts(load(NIXOS_HOST)).map((m) => [m.mountpoint, m.uuid]), [['/mnt/PlexStorage', '3b6f2a9e-8c1d-4e57-9a0b-52d7c4e1f806']]);
});

test('mountCovering: longest prefix on path-segment boundaries', () => {
  const mount = (mountpoint: string): DataMount => ({ mountpoint, options: [], origin: 'test' });
  const mounts = [mount('/mnt/PlexStorage'), mount('/mnt/PlexStorage/transcode'), mount('/srv')];
  assert.equal(mountCovering('/mnt/PlexStorage/movies', mounts)?.mountpoint, '/mnt/PlexStorage');
  assert.equal(mountCovering('/mnt/PlexStorage', mounts)?.mountpoint, '/mnt/PlexStorage');
  assert.equal(mountCovering('/mnt/PlexStorage/', mounts)?.mountpoint, '/mnt/PlexStorage');
  assert.equal(mountCovering('/mnt/PlexStorage/transcode/tmp', mounts)?.mountpoint, '/mnt/PlexStorage/transcode');
  assert.equal(mountCovering('/mnt/PlexStorage2/movies', mounts), undefined);
  assert.equal(mountCovering('/mnt', mounts), undefined);
  assert.equal(mountCovering('/srv//photos', mounts)?.mountpoint, '/srv');
});

test('user and group lookups, including groups only seen in id output', () => {
  const snapshot = load(POP_OS_SNAPSHOT);
  assert.equal(userByUid(snapshot, 1000)?.name, 'palav');
  assert.equal(userByUid(snapshot, 1001), undefined);
  assert.deepEqual(groupByGid(snapshot, 110), { name: 'render', gid: 110, members: ['palav'] });
  assert.deepEqual(groupByName(snapshot, 'docker'), { name: 'docker', gid: 998, members: ['palav'] });
  assert.deepEqual(groupByGid(snapshot, 1000), { name: 'palav', gid: 1000, members: [] });
  assert.equal(groupByName(snapshot, 'plex'), undefined);
});

test('gpuVendors and renderGroupGid', () => {
  const pop = load(POP_OS_SNAPSHOT);
  assert.deepEqual(gpuVendors(pop), ['intel', 'nvidia']);
  assert.equal(renderGroupGid(pop), 110);
  assert.equal(renderGroupGid(load(UBUNTU_HOST)), 993);
  assert.equal(renderGroupGid({ ...pop, dri: [] }), 110, 'falls back to the render group');
  assert.equal(renderGroupGid({ ...pop, dri: [], users: [], groups: [] }), undefined);
  assert.deepEqual(gpuVendors(load(NIXOS_HOST)), []);
});
