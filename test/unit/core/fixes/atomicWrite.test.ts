import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { applyEdits } from '../../../../src/core/fixes/applyEdits';
import { checkWritable, writeFileAtomic, writeFileAtomically } from '../../../../src/platform/atomicWrite';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'nixos-homelab-write-'));
}

test('applyEdits applies edits given against the original text, in any order; overlapping edits throw', () => {
  const text = 'a\nbb\nccc\n';
  const edits = [
    { range: { start: { line: 2, character: 0 }, end: { line: 2, character: 3 } }, newText: 'C' },
    { range: { start: { line: 0, character: 1 }, end: { line: 0, character: 1 } }, newText: '!' },
    { range: { start: { line: 0, character: 1 }, end: { line: 0, character: 1 } }, newText: '?' },
  ];
  assert.equal(applyEdits(text, edits), 'a!?\nbb\nC\n');
  assert.throws(() => applyEdits(text, [
    { range: { start: { line: 0, character: 0 }, end: { line: 1, character: 1 } }, newText: 'x' },
    { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 2 } }, newText: 'y' },
  ]), /overlapping/);
});

test('an atomic write replaces the text, keeps the mode and leaves no temporary file', () => {
  const dir = tempDir();
  const file = path.join(dir, 'configuration.nix');
  fs.writeFileSync(file, 'old');
  fs.chmodSync(file, 0o640);
  assert.deepEqual(writeFileAtomic(file, 'new', { baseText: 'old' }), { ok: true });
  assert.equal(fs.readFileSync(file, 'utf8'), 'new');
  assert.equal(fs.statSync(file).mode & 0o777, 0o640);
  assert.deepEqual(fs.readdirSync(dir), ['configuration.nix']);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a file changed on disk since analysis is refused and left untouched', () => {
  const dir = tempDir();
  const file = path.join(dir, 'configuration.nix');
  fs.writeFileSync(file, 'edited by the user meanwhile');
  const result = writeFileAtomic(file, 'new', { baseText: 'old' });
  assert.equal(result.ok, false);
  assert.match(!result.ok ? result.message : '', /changed on disk since analysis/);
  assert.equal(fs.readFileSync(file, 'utf8'), 'edited by the user meanwhile');
  assert.deepEqual(fs.readdirSync(dir), ['configuration.nix']);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a read-only file is refused with a clear message, even for root', () => {
  const dir = tempDir();
  const file = path.join(dir, 'configuration.nix');
  fs.writeFileSync(file, 'old');
  fs.chmodSync(file, 0o444);
  const result = writeFileAtomic(file, 'new', { baseText: 'old' });
  assert.deepEqual(result.ok ? undefined : result.kind, 'read-only');
  assert.match(!result.ok ? result.message : '', /is read-only/);
  assert.equal(fs.readFileSync(file, 'utf8'), 'old');
  fs.chmodSync(file, 0o644);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('creating refuses an existing file; writeFileAtomically overwrites only when asked', () => {
  const dir = tempDir();
  const file = path.join(dir, 'homelab.nix');
  assert.deepEqual(checkWritable(file, { baseText: undefined }), { ok: true });
  assert.deepEqual(writeFileAtomic(file, 'one', { baseText: undefined }), { ok: true });
  assert.equal(writeFileAtomic(file, 'two', { baseText: undefined }).ok, false);
  const refused = writeFileAtomically(file, 'two', { overwrite: false });
  assert.equal(refused.ok ? undefined : refused.kind, 'exists');
  assert.deepEqual(writeFileAtomically(file, 'two', { overwrite: true }), { ok: true });
  assert.equal(fs.readFileSync(file, 'utf8'), 'two');
  fs.rmSync(dir, { recursive: true, force: true });
});
