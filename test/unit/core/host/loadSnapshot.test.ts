import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadSnapshotFromFiles } from '../../../../src/core/host/loadSnapshot';
import { loadSnapshotDir } from '../../../../src/core/host/loadSnapshotDir';
import { serializeSnapshot } from '../../../../src/core/host/serializeSnapshot';
import { FILE_START } from '../../../../src/core/text';
import { diskHost, folderFiles, memoryHost, NIXOS_HOST, POP_OS_SNAPSHOT, UBUNTU_HOST } from './hostFixtures';

test('raw-only folder with pre_nixos_ names loads completely (Pop!_OS example)', () => {
  const { snapshot, problems } = loadSnapshotDir(POP_OS_SNAPSHOT, diskHost);
  assert.deepEqual(problems, []);
  assert.ok(snapshot);
  assert.equal(snapshot.source, 'files');
  assert.deepEqual(snapshot.os, { id: 'pop', versionId: '22.04', prettyName: 'Pop!_OS 22.04 LTS' });
  assert.equal(snapshot.blockDevices.length, 12);
  assert.equal(snapshot.fstab.length, 6);
  assert.deepEqual(snapshot.users.map((u) => [u.name, u.uid, u.gid]), [['palav', 1000, 1000]]);
  assert.deepEqual(snapshot.groups, [{ name: 'render', gid: 110, members: ['palav'] }]);
  assert.equal(snapshot.dri.length, 4);
  assert.deepEqual(snapshot.gpus.map((g) => g.vendor), ['intel', 'nvidia']);
  assert.deepEqual(snapshot.gaps, []);
});

test('Ubuntu 24.04 folder: lsblk.json preferred over the table, several users and groups', () => {
  const { snapshot, problems } = loadSnapshotFromFiles(folderFiles(UBUNTU_HOST));
  assert.deepEqual(problems, []);
  assert.equal(snapshot.blockDevices.find((d) => d.name === 'sda1')?.label, 'media');
  assert.deepEqual(snapshot.users.map((u) => u.name), ['alex', 'svc-immich']);
  assert.deepEqual(snapshot.groups.map((g) => [g.name, g.gid]), [['svc-immich', 1001], ['render', 993]]);
});

test('missing raw files become gaps; extraction gaps replace the generic ones', () => {
  const { snapshot } = loadSnapshotFromFiles(folderFiles(NIXOS_HOST));
  assert.deepEqual(snapshot.gaps, [{ command: 'lspci -nn', reason: 'gpu.txt not found in the snapshot folder' }]);
  const observed = { command: 'lspci -nn', reason: 'lspci: command not found (install it on the host to fill this in)' };
  assert.deepEqual(loadSnapshotFromFiles(folderFiles(NIXOS_HOST), 'ssh', [observed]).snapshot.gaps, [observed]);
  const empty = loadSnapshotFromFiles(new Map([['fstab.txt', '']])).snapshot;
  assert.deepEqual(empty.gaps.map((g) => g.command), [
    'cat /etc/os-release',
    'lsblk -f -o NAME,FSTYPE,UUID,MOUNTPOINT',
    'ls -ln /dev/dri',
    'lspci -nn',
    'id <user>',
  ]);
});

test('a valid snapshot.json wins; raw files fill only what it lacks', () => {
  const base = loadSnapshotFromFiles(folderFiles(POP_OS_SNAPSHOT)).snapshot;
  const partial = { ...base, source: 'ssh' as const, host: 'palav@pop-os', gpus: [], users: [{ ...base.users[0]!, uid: 4242 }], gaps: [{ command: 'lspci -nn', reason: 'lspci: command not found' }] };
  const files = folderFiles(POP_OS_SNAPSHOT);
  files.set('snapshot.json', serializeSnapshot(partial));
  files.set('id-bob.txt', 'uid=1001(bob) gid=1001(bob) groups=1001(bob)\n');
  const { snapshot, problems } = loadSnapshotFromFiles(files);
  assert.deepEqual(problems, []);
  assert.equal(snapshot.source, 'ssh');
  assert.equal(snapshot.host, 'palav@pop-os');
  assert.deepEqual(snapshot.users.map((u) => [u.name, u.uid]), [['palav', 4242], ['bob', 1001]]);
  assert.equal(snapshot.gpus.length, 2, 'gpu.txt fills the empty gpus section');
  assert.deepEqual(snapshot.gaps, [], 'the lspci gap is gone once gpu.txt filled it');
});

test('an invalid snapshot.json is a problem naming the field; the raw files are used instead', () => {
  const files = folderFiles(POP_OS_SNAPSHOT);
  files.set('snapshot.json', JSON.stringify({ version: 1, source: 'ssh', blockDevices: 'sda' }));
  const { snapshot, problems } = loadSnapshotFromFiles(files);
  assert.equal(problems.length, 1);
  assert.equal(problems[0]?.file, 'snapshot.json');
  assert.match(problems[0]?.message ?? '', /blockDevices: Expected array, received string/);
  assert.equal(snapshot.fstab.length, 6);
  const broken = loadSnapshotFromFiles(new Map([['snapshot.json', '{ nope']]));
  assert.match(broken.problems[0]?.message ?? '', /not valid JSON/);
});

test('loadSnapshotDir: missing or empty folder gives no snapshot and no problem', () => {
  assert.deepEqual(loadSnapshotDir('/nonexistent/snapshot', diskHost), { problems: [] });
  assert.deepEqual(loadSnapshotDir('/ws/snap', memoryHost('/ws/snap', { 'notes.md': '# hi' })), { problems: [] });
});

test('loadSnapshotDir: problems carry the file path and the line range', () => {
  const dir = '/ws/.nixos-homelab/snapshot';
  const host = memoryHost(dir, {
    'fstab.txt': '# fstab\ngarbage\nUUID=1234-ABCD /mnt/usb vfat defaults 0 0\n',
    'id-palav.txt': "id: 'palav': no such user\n",
  });
  const { snapshot, problems } = loadSnapshotDir(dir, host);
  assert.equal(snapshot?.fstab.length, 1);
  const fstabProblem = problems.find((p) => p.file === join(dir, 'fstab.txt'));
  assert.deepEqual(fstabProblem?.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 7 } });
  assert.match(fstabProblem?.message ?? '', /^fstab\.txt: only one field/);
  const idProblem = problems.find((p) => p.file === join(dir, 'id-palav.txt'));
  assert.deepEqual(idProblem?.range, FILE_START);
});
