import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { snapshotDirBlocked, writeSnapshotDir } from '../../../src/platform/snapshotStore';

const now = new Date('2025-03-08T09:12:00.500Z');

test('replacing a snapshot twice in the same second keeps both previous ones as separate backups', () => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'nh-store-'));
  const dir = path.join(parent, 'snapshot');
  assert.equal(snapshotDirBlocked(dir), undefined);
  assert.ok(writeSnapshotDir(dir, new Map([['fstab.txt', 'one\n']]), { force: false, now }).ok);
  assert.match(snapshotDirBlocked(dir) ?? '', /already holds a snapshot/);
  const refused = writeSnapshotDir(dir, new Map([['fstab.txt', 'two\n']]), { force: false, now });
  assert.equal(refused.ok ? '' : refused.kind, 'exists');

  const second = writeSnapshotDir(dir, new Map([['fstab.txt', 'two\n']]), { force: true, now });
  const third = writeSnapshotDir(dir, new Map([['fstab.txt', 'three\n']]), { force: true, now });
  assert.ok(second.ok && third.ok, JSON.stringify([second, third]));
  assert.equal(second.backup, `${dir}.bak-20250308T091200Z`);
  assert.equal(third.backup, `${dir}.bak-20250308T091200Z-2`);
  assert.equal(fs.readFileSync(path.join(second.backup ?? '', 'fstab.txt'), 'utf8'), 'one\n');
  assert.equal(fs.readFileSync(path.join(third.backup ?? '', 'fstab.txt'), 'utf8'), 'two\n');
  assert.equal(fs.readFileSync(path.join(dir, 'fstab.txt'), 'utf8'), 'three\n');
});
