import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateSnapshot } from '../../../../src/core/host/schema';
import { serializeSnapshot } from '../../../../src/core/host/serializeSnapshot';
import { loadSnapshotFromFiles } from '../../../../src/core/host/loadSnapshot';
import { folderFiles, POP_OS_SNAPSHOT } from './hostFixtures';

const popSnapshot = () => loadSnapshotFromFiles(folderFiles(POP_OS_SNAPSHOT)).snapshot;

test('schema: a loaded snapshot validates and survives a serialize/parse round trip', () => {
  const snapshot = popSnapshot();
  const text = serializeSnapshot(snapshot);
  const result = validateSnapshot(JSON.parse(text));
  assert.ok(result.ok);
  assert.deepEqual(result.snapshot, snapshot);
});

test('schema: the message names the bad field', () => {
  const json = JSON.parse(serializeSnapshot(popSnapshot()));
  json.users[0].uid = '1000';
  const result = validateSnapshot(json);
  assert.equal(result.ok, false);
  assert.match(result.ok ? '' : result.message, /users\[0\]\.uid: Expected number, received string/);
});

test('schema: wrong version, missing section, bad enum', () => {
  const v2 = validateSnapshot({ ...JSON.parse(serializeSnapshot(popSnapshot())), version: 2 });
  assert.match(v2.ok ? '' : v2.message, /version: unsupported version 2/);
  const { fstab: _fstab, ...withoutFstab } = JSON.parse(serializeSnapshot(popSnapshot()));
  const missing = validateSnapshot(withoutFstab);
  assert.match(missing.ok ? '' : missing.message, /fstab: Required/);
  const badVendor = JSON.parse(serializeSnapshot(popSnapshot()));
  badVendor.gpus[1].vendor = 'NVIDIA';
  const vendor = validateSnapshot(badVendor);
  assert.match(vendor.ok ? '' : vendor.message, /gpus\[1\]\.vendor/);
  const root = validateSnapshot([]);
  assert.match(root.ok ? '' : root.message, /\(root\)/);
});

test('serializeSnapshot: stable key order and 2-space indentation whatever the input order', () => {
  const snapshot = popSnapshot();
  const shuffled = Object.fromEntries(Object.entries(snapshot).reverse()) as typeof snapshot;
  assert.equal(serializeSnapshot(shuffled), serializeSnapshot(snapshot));
  const text = serializeSnapshot(snapshot);
  assert.ok(text.startsWith('{\n  "version": 1,\n  "source": "files",'));
  assert.ok(text.endsWith('}\n'));
});
