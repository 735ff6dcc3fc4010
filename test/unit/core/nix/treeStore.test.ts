import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AnalysisCache } from '../../../../src/core/analysis/incremental';
import { DiskFileSource } from '../../../../src/core/analysis/fileSource';
import { createDiskTreeStore, initNixParser, parseNix } from '../../../../src/core/nix';
import { DEFAULT_SETTINGS } from '../../../../src/core/settings';

const repo = path.resolve(__dirname, '..', '..', '..', '..');
const example = path.join(repo, 'examples', 'pop-os-homelab');

before(() => initNixParser());

function nixFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile() && e.name.endsWith('.nix')).map((e) => path.join(e.parentPath ?? e.path, e.name));
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'nixos-homelab-trees-'));
}

test('a stored tree reads back as the tree parsing gives, for every module of the example and a broken one', () => {
  const dir = tempDir();
  try {
    const texts = [...nixFiles(example).map((file) => fs.readFileSync(file, 'utf8')), '{ a = ', ''];
    const store = createDiskTreeStore(dir, 'producer-1');
    for (const text of texts) {
      assert.equal(store.get(text), undefined, 'nothing stored yet');
      store.put(text, parseNix(text));
    }
    store.flush();
    const reopened = createDiskTreeStore(dir, 'producer-1');
    for (const text of texts) assert.deepEqual(reopened.get(text), JSON.parse(JSON.stringify(parseNix(text))));
    assert.equal(createDiskTreeStore(dir, 'producer-2').get(texts[0] ?? ''), undefined, 'trees of another producer are not found');
    let computed = 0;
    const lazy = createDiskTreeStore(dir, () => (computed++, 'producer-1'));
    assert.equal(computed, 0, 'a computed salt is computed when first needed');
    for (const text of texts) assert.ok(lazy.get(text));
    assert.equal(computed, 1, 'and once');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an unreadable, foreign or half-written tree is a miss; a read-only store writes nothing', () => {
  const dir = tempDir();
  try {
    const text = '{ services.openssh.enable = true; }';
    const store = createDiskTreeStore(dir, 'p');
    store.put(text, parseNix(text));
    store.flush();
    const [file] = fs.readdirSync(dir);
    assert.ok(file);
    fs.writeFileSync(path.join(dir, file), '{"text": "', 'utf8');
    assert.equal(createDiskTreeStore(dir, 'p').get(text), undefined, 'half a file');
    fs.writeFileSync(path.join(dir, file), JSON.stringify(parseNix('{ }')), 'utf8');
    assert.equal(createDiskTreeStore(dir, 'p').get(text), undefined, 'the tree of another text');

    const readOnlyDir = path.join(dir, 'read-only');
    const readOnly = createDiskTreeStore(readOnlyDir, 'p', { readOnly: true });
    readOnly.put(text, parseNix(text));
    readOnly.flush();
    assert.equal(fs.existsSync(readOnlyDir), false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an analysis from stored trees finds exactly what an analysis that parses finds', () => {
  const dir = tempDir();
  try {
    const options = { roots: [example], snapshotDir: 'snapshot', settings: DEFAULT_SETTINGS };
    const store = createDiskTreeStore(dir, 'p');
    const parsed = new AnalysisCache(options, new DiskFileSource(), undefined, store).analyse();
    store.flush();
    assert.ok(fs.readdirSync(dir).length >= nixFiles(path.join(example, 'nixos')).length);
    let reads = 0;
    const stored = createDiskTreeStore(dir, 'p');
    const counting = { get: (text: string) => (reads++, stored.get(text)), put: () => assert.fail('every tree is stored already'), flush: () => undefined };
    const fromStore = new AnalysisCache(options, new DiskFileSource(), undefined, counting).analyse();
    assert.ok(reads > 0);
    assert.deepEqual(JSON.parse(JSON.stringify(fromStore.findings)), JSON.parse(JSON.stringify(parsed.findings)));
    assert.ok(parsed.findings.length > 20);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
