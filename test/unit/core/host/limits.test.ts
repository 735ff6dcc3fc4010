/**
 * Snapshot inputs that once crashed or hung the analysis (issue #13) become findings on their file, in bounded time,
 * and the rest of the snapshot is still used. Times are CPU time (helpers/cpuTime.ts) with generous bounds.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DiskFileSource } from '../../../../src/core/analysis/fileSource';
import { MAX_LSBLK_DEPTH, MAX_PROBLEMS_PER_FILE, MAX_SNAPSHOT_FILE_CHARS } from '../../../../src/core/host/limits';
import { loadSnapshotFromFiles } from '../../../../src/core/host/loadSnapshot';
import { loadSnapshotDir } from '../../../../src/core/host/loadSnapshotDir';
import { parseLsblkJson } from '../../../../src/core/host/lsblkJson';
import { cpuMillis } from '../../helpers/cpuTime';
import { fixture, memoryHost, POP_OS_SNAPSHOT } from './hostFixtures';

const BOUND_MS = 2000;
const FSTAB = fixture(POP_OS_SNAPSHOT, 'pre_nixos_fstab.txt');
const ID = fixture(POP_OS_SNAPSHOT, 'pre_nixos_id.txt');

test('lsblk JSON nested 20,000 deep: no stack overflow, the devices above the limit are kept', () => {
  const depth = 20_000;
  const text = `{"blockdevices":[${'{"name":"d","children":['.repeat(depth)}${']}'.repeat(depth)}]}`;
  const { result, ms } = cpuMillis(() => parseLsblkJson(text));
  assert.ok(ms < BOUND_MS, `${ms} ms`);
  assert.equal(result.value.length, MAX_LSBLK_DEPTH);
  assert.match(result.warnings.map((warning) => warning.message).join('\n'), /nested more than 16 levels deep; too deep to check/);
  // Order is unchanged: each child right after its parent.
  const tree = parseLsblkJson('{"blockdevices":[{"name":"sda","children":[{"name":"sda1","children":[{"name":"crypt"}]},{"name":"sda2"}]},{"name":"sdb"}]}');
  assert.deepEqual(tree.value.map((device) => [device.name, device.parent]), [['sda', undefined], ['sda1', 'sda'], ['crypt', 'sda1'], ['sda2', 'sda'], ['sdb', undefined]]);
});

test('a snapshot file of 16,000 unreadable lines: a bounded list of findings, in linear time', () => {
  const lines = 16_000;
  const host = memoryHost('/ws/snap', { 'pre_nixos_fstab.txt': 'garbage\n'.repeat(lines), 'pre_nixos_id.txt': ID });
  const { result, ms } = cpuMillis(() => loadSnapshotDir('/ws/snap', host));
  assert.ok(ms < BOUND_MS, `${ms} ms`);
  assert.equal(result.problems.length, MAX_PROBLEMS_PER_FILE + 1);
  assert.deepEqual(result.problems[1]?.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 7 } });
  assert.match(result.problems.at(-1)?.message ?? '', /^pre_nixos_fstab\.txt: 15,980 more problems in this file are not listed/);
  assert.equal(result.snapshot?.users[0]?.name, 'palav');
});

test('a snapshot file over the size limit is a finding naming it; the other files are read', () => {
  const loaded = loadSnapshotFromFiles(new Map([['pre_nixos_fstab.txt', '#'.repeat(MAX_SNAPSHOT_FILE_CHARS + 1)], ['pre_nixos_id.txt', ID]]));
  assert.deepEqual(loaded.problems, [{ file: 'pre_nixos_fstab.txt', message: 'the file is 1.0 MB, too large to check (limit 1 MB); it was not read. It should hold the output of one command: extract the snapshot again' }]);
  assert.equal(loaded.snapshot.users[0]?.name, 'palav');
  assert.ok(loaded.snapshot.gaps.some((gap) => gap.command === 'cat /etc/fstab'));
});

test('snapshot files that cannot be read are reported with the reason, not skipped without a word', () => {
  const dir = mkdtempSync(join(tmpdir(), 'snapshot-limits-'));
  try {
    writeFileSync(join(dir, 'pre_nixos_fstab.txt'), FSTAB);
    mkdirSync(join(dir, 'gpu.txt')); // a folder where a file is expected (also what root sees instead of EACCES)
    writeFileSync(join(dir, 'lsblk.txt'), Buffer.alloc(5 * 1024 * 1024, 'x')); // over the disk source's 4 MB
    const { snapshot, problems } = loadSnapshotDir(dir, new DiskFileSource());
    assert.equal(snapshot?.fstab.length, 6);
    assert.deepEqual(problems.map((problem) => [problem.file, problem.message]), [
      [join(dir, 'gpu.txt'), 'gpu.txt is not a regular file. The rest of the snapshot is used; extract it again or fix the file.'],
      [join(dir, 'lsblk.txt'), 'lsblk.txt is 5.0 MB, larger than the 4 MB a configuration file can reasonably be; skipped. The rest of the snapshot is used; extract it again or fix the file.'],
    ]);
    // A host that cannot say why still reports the file.
    const silent = { ...memoryHost(dir, { 'gpu.txt': '' }), readText: () => undefined };
    assert.deepEqual(loadSnapshotDir(dir, silent).problems.map((problem) => problem.message), ['gpu.txt cannot be read. The rest of the snapshot is used; extract it again or fix the file.']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
