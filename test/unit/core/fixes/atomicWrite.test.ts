import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { applyEdits } from '../../../../src/core/edits/applyEdits';
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

test('a symbolic link is written through: the target gets the text atomically and keeps its mode, the link stays', () => {
  const dir = tempDir();
  const dotfiles = path.join(dir, 'dotfiles');
  fs.mkdirSync(dotfiles);
  const real = path.join(dotfiles, 'configuration.nix');
  fs.writeFileSync(real, 'old');
  fs.chmodSync(real, 0o600);
  const link = path.join(dir, 'configuration.nix');
  fs.symlinkSync('dotfiles/configuration.nix', link);
  assert.deepEqual(checkWritable(link, { baseText: 'old' }), { ok: true });
  assert.deepEqual(writeFileAtomic(link, 'new', { baseText: 'old' }), { ok: true });
  assert.ok(fs.lstatSync(link).isSymbolicLink());
  assert.equal(fs.readlinkSync(link), 'dotfiles/configuration.nix');
  assert.equal(fs.readFileSync(real, 'utf8'), 'new');
  assert.equal(fs.statSync(real).mode & 0o777, 0o600);
  assert.deepEqual(fs.readdirSync(dotfiles), ['configuration.nix']);
  // A chain of links ends at the same file; generate --out --force writes through too.
  const second = path.join(dir, 'second.nix');
  fs.symlinkSync(link, second);
  assert.deepEqual(writeFileAtomically(second, 'newer', { overwrite: true }), { ok: true });
  assert.ok(fs.lstatSync(second).isSymbolicLink());
  assert.equal(fs.readFileSync(real, 'utf8'), 'newer');
  assert.equal(fs.statSync(real).mode & 0o777, 0o600);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a link to nothing is refused with a message naming the link and its target; nothing is created', () => {
  const dir = tempDir();
  const link = path.join(dir, 'configuration.nix');
  fs.symlinkSync('gone/configuration.nix', link);
  for (const result of [
    writeFileAtomic(link, 'new', { baseText: 'old' }),
    writeFileAtomic(link, 'new', { baseText: undefined }),
    writeFileAtomically(link, 'new', { overwrite: true }),
    checkWritable(link, { baseText: undefined }),
  ]) {
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.kind, 'dangling-link');
    assert.match(!result.ok ? result.message : '', /configuration\.nix is a symbolic link to gone\/configuration\.nix, which does not exist; nothing written/);
  }
  assert.ok(fs.lstatSync(link).isSymbolicLink());
  assert.deepEqual(fs.readdirSync(dir), ['configuration.nix']);
  fs.rmSync(dir, { recursive: true, force: true });
});
