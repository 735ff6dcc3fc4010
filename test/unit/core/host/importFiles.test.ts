import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completeSnapshotFiles, selectImportFiles, validateSnapshot } from '../../../../src/core/host';
import { folderFiles, POP_OS_SNAPSHOT, UBUNTU_HOST } from './hostFixtures';

test('import: the manual procedure names and the extraction names are recognised, the rest is reported', () => {
  const selection = selectImportFiles([
    'pre_nixos_lsblk.txt',
    'pre_nixos_fstab.txt',
    'pre_nixos_id.txt',
    'pre_nixos_id_alex.txt',
    'pre_nixos_gid110.txt',
    'group-993.txt',
    'dri.txt',
    'gpu.txt',
    'os-release.txt',
    'lsblk.json',
    'snapshot.json',
    'notes.md',
    'pre_nixos_docker_ps.txt',
    'screenshot.png',
    '.DS_Store',
  ]);
  assert.deepEqual(
    selection.recognised.map((file) => `${file.name}:${file.kind}`),
    [
      'dri.txt:dri',
      'gpu.txt:gpu',
      'group-993.txt:group',
      'lsblk.json:lsblk-json',
      'os-release.txt:os-release',
      'pre_nixos_fstab.txt:fstab',
      'pre_nixos_gid110.txt:group',
      'pre_nixos_id.txt:id',
      'pre_nixos_id_alex.txt:id',
      'pre_nixos_lsblk.txt:lsblk',
      'snapshot.json:snapshot',
    ],
  );
  assert.deepEqual(selection.unrecognised, ['notes.md', 'pre_nixos_docker_ps.txt', 'screenshot.png']);
});

test('import: the example folder of pre_nixos files becomes a valid snapshot.json with its users, groups and disks', () => {
  const raw = folderFiles(POP_OS_SNAPSHOT);
  const completed = completeSnapshotFiles(raw, { source: 'import' });
  assert.ok(completed.ok, completed.ok ? '' : completed.message);
  assert.equal(completed.snapshot.source, 'import');
  assert.ok(completed.snapshot.users.some((user) => user.name === 'palav' && user.uid === 1000));
  assert.ok(completed.snapshot.groups.some((group) => group.name === 'render' && group.gid === 110));
  // The raw files are kept as they are, snapshot.json is added and parses back to the same snapshot.
  for (const [name, text] of raw) assert.equal(completed.files.get(name), text, name);
  const json = completed.files.get('snapshot.json');
  assert.ok(json);
  const reread = validateSnapshot(JSON.parse(json));
  assert.ok(reread.ok);
  assert.deepEqual(reread.snapshot, completed.snapshot);
});

test('extraction metadata (host, time, observed gaps) lands in snapshot.json', () => {
  const completed = completeSnapshotFiles(folderFiles(UBUNTU_HOST), {
    source: 'ssh',
    host: 'alex@ubuntu',
    takenAt: '2025-03-08T09:12:00.000Z',
    gaps: [{ command: 'lspci -nn', reason: 'lspci: command not found (install it on the host to fill this in)' }],
  });
  assert.ok(completed.ok);
  const json = JSON.parse(completed.files.get('snapshot.json') ?? '{}') as { host: string; takenAt: string; source: string };
  assert.equal(json.host, 'alex@ubuntu');
  assert.equal(json.takenAt, '2025-03-08T09:12:00.000Z');
  assert.equal(json.source, 'ssh');
});

test('a line that cannot be read is a problem, not a failure: the rest of the snapshot is kept', () => {
  const raw = new Map([['pre_nixos_id.txt', 'this is not id output\n'], ['pre_nixos_gid110.txt', 'render:x:110:palav\n']]);
  const completed = completeSnapshotFiles(raw, { source: 'import' });
  assert.ok(completed.ok);
  assert.ok(completed.problems.some((problem) => problem.file === 'pre_nixos_id.txt'), JSON.stringify(completed.problems));
  assert.deepEqual(completed.snapshot.groups.map((g) => g.gid), [110]);
});
