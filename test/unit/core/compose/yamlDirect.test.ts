import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { EnvVariable } from '../../../../src/core/compose';
import type { ComposeNode, FileContext } from '../../../../src/core/compose/nodes';
import { parseDocument } from 'yaml';
import { splitComposeBlocks, type TextBlock } from '../../../../src/core/compose/yamlBlocks';
import { readComposeYamlDirect } from '../../../../src/core/compose/yamlDirect';
import { ComposeParseCache, convertBlock, parseWhole, parseWholeWithLibrary, readBlockDirect } from '../../../../src/core/compose/yamlParse';
import { LineIndex } from '../../../../src/core/text';
import { prng } from '../../helpers/prng';

// The direct reader is a fast path for the `yaml` library: wherever it gives a tree, that tree (and what the
// conversion found) must be the library's, and the library must find no error in the text.

const REPO = path.resolve(__dirname, '../../../..');
const SEED = Number(process.env.FUZZ_SEED ?? 20261206);
const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 1500);

let generateHomelab: (root: string) => unknown;
let bigComposeFile: (services?: number) => string;
before(async () => {
  ({ generateHomelab, bigComposeFile } = await import('../../../../bench/generate.mjs'));
});

const VARIABLES: Record<string, string> = { TZ: 'Europe/Berlin', DATA: '/mnt/data', PUID: '1000', EMPTY: '' };
const env = (name: string): EnvVariable | undefined => (name in VARIABLES ? { value: VARIABLES[name] ?? '', file: '/stack/.env' } : undefined);
const contextFor = (text: string): FileContext => ({ file: '/stack/docker-compose.yml', dir: '/stack', index: new LineIndex(text), env, envKey: 'test' });

/** Map entries in the same order (deepStrictEqual compares Maps without regard to order). */
function entryOrder(node: ComposeNode | undefined): unknown {
  if (!node || node.kind === 'scalar') return null;
  if (node.kind === 'seq') return node.items.map(entryOrder);
  return [...node.entries.values()].map((entry) => [entry.key, entryOrder(entry.value)]);
}

/** 'read' when the direct reader took the text (and agrees with the library), 'left' when it declined. */
function assertSame(text: string, label: string): 'read' | 'left' {
  const ctx = contextFor(text);
  const direct = readComposeYamlDirect(text, ctx);
  if (!direct) return 'left';
  const reference = parseWholeWithLibrary(text, ctx);
  assert.deepStrictEqual(reference.errors, [], `${label}: the direct reader took a text the library finds errors in:\n${text}`);
  assert.deepStrictEqual({ errors: [], ...direct }, reference, `${label}: results differ for:\n${text}`);
  assert.deepStrictEqual(entryOrder(direct.root), entryOrder(reference.root), `${label}: key order differs for:\n${text}`);
  return 'read';
}

/**
 * Each block of the text (yamlBlocks.ts) the reader takes reads as the library reads the block's text alone and
 * convertBlock converts it: how many it took and left.
 */
function assertSameBlocks(text: string, label: string): { read: number; left: number } {
  const counts = { read: 0, left: 0 };
  const blocks = splitComposeBlocks(text);
  if (!blocks) return counts;
  const ctx = contextFor(text);
  const check = (block: TextBlock, depth: number): void => {
    const direct = readBlockDirect(ctx, block, depth);
    if (!direct) {
      counts.left++;
      return;
    }
    counts.read++;
    const doc = parseDocument(block.text, { merge: true, prettyErrors: false, uniqueKeys: false });
    assert.deepStrictEqual(doc.errors, [], `${label}: the direct reader took a block the library finds errors in:\n${block.text}`);
    const reference = convertBlock(doc, ctx, block, depth);
    assert.ok(reference, `${label}: the library's conversion declines a block the direct reader took:\n${block.text}`);
    assert.deepStrictEqual(reference.anchors, []);
    assert.deepStrictEqual(direct, { ...reference, doc: undefined }, `${label}: blocks differ for:\n${block.text}`);
    assert.deepStrictEqual(entryOrder(direct.map), entryOrder(reference.map), `${label}: key order differs for:\n${block.text}`);
  };
  for (const block of blocks) {
    if (block.services) for (const service of block.services) check(service, 1);
    else check(block, 0);
  }
  return counts;
}

const COMPOSE_NAME = /^(?:docker-)?compose(?:[.-][^/]*)?\.ya?ml$/;

function composeFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', '.git', 'dist', '.generated'].includes(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) composeFiles(full, out);
    else if (COMPOSE_NAME.test(entry.name)) out.push(full);
  }
  return out;
}

test('every compose file of the repository reads as the library reads it, and most are read directly', () => {
  const files = composeFiles(REPO);
  assert.ok(files.length >= 30, `found ${files.length} compose files`);
  let read = 0;
  let blocksRead = 0;
  let blocksLeft = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    if (assertSame(text, path.relative(REPO, file)) === 'read') read++;
    const blockCounts = assertSameBlocks(text, path.relative(REPO, file));
    blocksRead += blockCounts.read;
    blocksLeft += blockCounts.left;
  }
  assert.ok(blocksRead >= (blocksRead + blocksLeft) * 0.8, `read ${blocksRead} blocks, left ${blocksLeft}`);
  // The files left to the library use anchors, block scalars, flow maps or are broken on purpose.
  assert.ok(read >= files.length * 0.6, `read ${read} of ${files.length}`);
});

test('the benchmark homelab and the 50-service file are read directly, as the library reads them', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'yaml-direct-'));
  try {
    generateHomelab(root);
    const docker = path.join(root, 'docker');
    const stacks = readdirSync(docker);
    assert.equal(stacks.length, 40);
    for (const stack of stacks) {
      const file = path.join(docker, stack, 'docker-compose.yml');
      const text = readFileSync(file, 'utf8');
      assert.equal(assertSame(text, file), 'read', file);
      assert.deepStrictEqual(assertSameBlocks(text, file), { read: 12, left: 0 }, file);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  assert.equal(assertSame(bigComposeFile(50), 'bigComposeFile(50)'), 'read');
  assert.deepStrictEqual(assertSameBlocks(bigComposeFile(50), 'bigComposeFile(50)'), { read: 50, left: 0 });
});

test('parseWhole gives what the library gives, read directly or not', () => {
  for (const text of ['services:\n  a:\n    image: x\n', 'x: &a 1\ny: *a\n', 'a: 1\na: 2\n', 'a: [\n', '']) {
    const ctx = contextFor(text);
    assert.deepStrictEqual(parseWhole(text, ctx), parseWholeWithLibrary(text, ctx), text);
  }
});

test('each form reads the same as with the library', () => {
  const read = [
    'a: 1\n',
    'a: 1',
    'a:\n',
    'a:',
    'a:   \n',
    'a: # c\n',
    'a: ~\nb: null\nc: Null\nd: NULL\ne: nul\n',
    'a: true\nb: False\nc: TRUE\nd: yes\ne: off\nf: tRue\n',
    'a: 0o17\nb: 0o8\nc: 0x1F\nd: 0X1F\ne: -12\nf: +3\ng: 007\nh: 1_000\n',
    'a: 1.5\nb: .5\nc: 5.\nd: 1e3\ne: -1.5E-3\nf: .inf\ng: -.Inf\nh: .NaN\ni: .nan\nj: +.INF\nk: 1.2.3\nl: 1e\n',
    'a: "x"\nb: \'y\'\nc: "it\'s"\nd: \'it\'\'s\'\ne: "a\\"b\\\\c\\/d\\ne\\tf"\nf: ""\ng: \'\'\n',
    'a: "1"\nb: \'true\'\nc: "~"\n',
    'a: x # c\nb: "y" # c\nc: [x] # c\nd: x#y\ne: x #y\n',
    'a: [ "CMD", "curl", "-f", "http://localhost" ]\nb: []\nc: [ ]\nd: [1, true, ~, x y]\n',
    'a:\n  - x\n  - y: 1\n    z: 2\n  # c\nb: []\n',
    'a:\n- x\n- y\nb: 1\n',
    'a:\n- x\n# c\nb: 1\n',
    'a:\n- x\n  # c\nb: 1\n',
    'a:\n  b:\n  - x\n  # c\n  d: 1\n',
    'a:\n  b:\n  - x\n   # c\n  d: 1\n',
    'a:\n  b: 1\n\n  # c\n\nd: 2\n',
    'a:\n  b: 1\n    # c\nd: 2\n',
    'a:\n  b: 1\n# c\n',
    'a:\n  b:\n    c: 1\n    # x\n  d: 2\n',
    'a:\n  b:\n    c: # x\n  d: 2\n',
    'a:\n  - b: 1\n    # c\n  - d: 2\n    # e\n',
    'a:\n  - b: 1\n   # c\nz: 1\n',
    'k:\n  - b: 1\n  # c\n',
    'd:\n\n# end\n',
    'a: 1\n  \n  # c\n',
    '# lead\n\na: 1\n',
    'a: ${TZ}\nb: $DATA/x\nc: ${NOPE:-d}\nd: ${NOPE}\ne: $$x\nf: ${bad\ng: "${PUID}:${PGID}"\nh: [\'${TZ}\', $NOPE]\n',
    'a: héllo wörld ✓\n"b c": 1\n\'d\': 2\n"": 3\n',
    'x-a:\n  b: 1\nservices:\n  s:\n    image: nginx:1.25 # pinned\n    ports:\n      - "80:80"\n      - 443:443\n',
  ];
  for (const text of read) assert.equal(assertSame(text, 'case'), 'read', `declined:\n${text}`);
  const left = [
    '',
    '# only\n',
    '- a\n',
    'a',
    '  a: 1\n',
    'a: &x 1\n',
    'a: *x\n',
    'a: !reset 1\n',
    '<<: {a: 1}\n',
    'a: {b: 1}\n',
    '? a\n: 1\n',
    'a: |\n  x\n',
    'a: >\n  x\n',
    'a: x\n  y\n',
    'a: "x\n  y"\n',
    '---\na: 1\n',
    'a: 1\n...\n',
    '%YAML 1.2\n---\na: 1\n',
    'a: 1\na: 2\n',
    'a: 1\r\n',
    '\ufeffa: 1\n',
    'a:\t1\n',
    '1: x\n',
    'true: x\n',
    'a: b: c\n',
    'a: b:\n',
    'a: [a, b,]\n',
    'a: [a: 1]\n',
    'a: "\\x41"\n',
    'a:\n  - \n',
    'a:\n  -\n    b: 1\n',
    'a:\n  - - x\n',
    'a:\n  b: 1\n c: 2\n',
    'a:\n  x\n',
  ];
  for (const text of left) assert.equal(assertSame(text, 'case'), 'left', `taken:\n${text}`);
});

/** A random compose-like document: nested maps and sequences, every scalar style, comments, odd spacing. */
function randomDocument(random: () => number, clean = false): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const keys = ['image', 'ports', 'environment', 'a', 'b-c', 'x.y', 'PUID', 'k_1', '"q k"', "'s'", 'services', 'vol/x', 'TZ', 'n1'];
  // The forms the reader takes, then (unless `clean`) forms it declines.
  const plain = ['x', 'nginx:1.25', '/mnt/data:/data:ro', 'hello world', '1000', '-1', '0o7', '0x1f', '1.5', '.inf', '.NaN', '1e3', 'true', 'False',
    'null', '~', 'yes', '${TZ}', '$DATA/x', '${NOPE:-d}', '${NOPE}', '${bad', '$$x', '${PUID}:${PGID}', 'héllo ✓', 'a#b', 'a:b', 'http://x:80/y', '--x',
    ...(clean ? [] : ['-', '<<', '@x', '%x', '`x', '*x', '&x', '!x', '|', '>'])];
  const quoted = ['"x"', "'y'", '"it\'s"', "'it''s'", '"a\\"b"', '"\\\\"', '""', "''", '"${TZ}"', "'$NOPE'", '"1"', '"x #y"', "'a: b'",
    ...(clean ? [] : ['"\\u0041"'])];
  const flow = ['[]', '[ ]', '["CMD", "curl", "-f"]', '[a, b]', '[1, true, ~]', "['${TZ}', $NOPE]", '[ x y , "z" ]',
    ...(clean ? [] : ['[a,]', '[a: 1]', '[{a: 1}]'])];
  const comment = (): string => pick(['# c', '#', '# - /a:/b', '#x: 1']);
  const trailing = (): string => (random() < 0.15 ? pick([' ', '  ']) + comment() : '') + (random() < 0.05 ? '  ' : '');
  const scalar = (): string => {
    const r = random();
    if (r < 0.55) return pick(plain);
    if (r < 0.8) return pick(quoted);
    return pick(flow);
  };
  const lines: string[] = [];
  const trivia = (indent: number): void => {
    while (random() < 0.2) {
      if (random() < 0.4) lines.push(random() < 0.2 ? ' '.repeat(Math.floor(random() * 4)) : '');
      else lines.push(' '.repeat(Math.max(0, indent + Math.floor(random() * 7) - 3)) + comment());
    }
  };
  const block = (indent: number, depth: number, kind: 'map' | 'seq', firstPrefix?: string): void => {
    const count = 1 + Math.floor(random() * 4);
    const used = new Set<string>();
    for (let i = 0; i < count; i++) {
      trivia(indent);
      const prefix = i === 0 && firstPrefix !== undefined ? firstPrefix : ' '.repeat(indent);
      const step = pick([2, 2, 4, 1, 3]);
      if (kind === 'seq') {
        const r = random();
        if (depth < 4 && r < 0.3) {
          block(indent + 2, depth + 1, 'map', `${prefix}- `);
        } else {
          lines.push(`${prefix}- ${scalar()}${trailing()}`);
        }
        continue;
      }
      let key = pick(keys);
      // A repeated key is declined (the library reports it): the clean documents have none.
      if (clean && used.has(key)) key = `k${i}`;
      used.add(key);
      const r = random();
      if (depth < 4 && r < 0.25) {
        lines.push(`${prefix}${key}:${trailing()}`);
        block(indent + step, depth + 1, 'map');
      } else if (depth < 4 && r < 0.45) {
        lines.push(`${prefix}${key}:${trailing()}`);
        block(random() < 0.3 ? indent : indent + step, depth + 1, 'seq');
      } else if (r < 0.55) {
        lines.push(`${prefix}${key}:${random() < 0.3 ? ' ' : ''}${trailing()}`);
      } else {
        lines.push(`${prefix}${key}: ${scalar()}${trailing()}`);
      }
    }
  };
  trivia(0);
  block(0, 0, 'map');
  trivia(0);
  return lines.join('\n') + (random() < 0.8 ? '\n' : '');
}

const MUTATION_CHARS = [' ', ' ', '\n', '#', ':', '-', '"', "'", '[', ']', ',', 'a', '1', '$', '{', '}', '\t', '&', '*', '!', '|', '>', '.', '~', '\\', '?', '\r'];

function mutate(text: string, random: () => number): string {
  let out = text;
  const edits = 1 + Math.floor(random() * 3);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(random() * (out.length + 1));
    const ch = MUTATION_CHARS[Math.floor(random() * MUTATION_CHARS.length)] ?? ' ';
    const r = random();
    if (r < 0.4) out = out.slice(0, at) + ch + out.slice(at);
    else if (r < 0.7) out = out.slice(0, at) + out.slice(at + 1);
    else out = out.slice(0, at) + ch + out.slice(at + 1);
  }
  return out;
}

test('random compose-like documents read as the library reads them, and every clean one is read directly', () => {
  const random = prng(SEED);
  let read = 0;
  for (let i = 0; i < ITERATIONS; i++) {
    // Every other document holds only forms the reader takes (and no repeated key): it must take them all.
    const clean = i % 2 === 0;
    const text = randomDocument(random, clean);
    const result = assertSame(text, `seed ${SEED} document ${i}`);
    assertSameBlocks(text, `seed ${SEED} document ${i}`);
    if (clean) assert.equal(result, 'read', `seed ${SEED} document ${i} declined:\n${text}`);
    if (result === 'read') read++;
  }
  if (process.env.FUZZ_STATS) console.log(`read ${read} of ${ITERATIONS}`);
});

test('mutated files and documents are declined or read as the library reads them', () => {
  const random = prng(SEED + 1);
  const files = composeFiles(REPO).map((file) => readFileSync(file, 'utf8'));
  const sources = [...files, bigComposeFile(3)];
  let read = 0;
  for (let i = 0; i < ITERATIONS; i++) {
    const source = i % 2 === 0 ? (sources[Math.floor(random() * sources.length)] ?? '') : randomDocument(random, i % 4 === 1);
    const text = mutate(source, random);
    if (assertSame(text, `seed ${SEED + 1} mutation ${i}`) === 'read') read++;
    assertSameBlocks(text, `seed ${SEED + 1} mutation ${i}`);
  }
  if (process.env.FUZZ_STATS) console.log(`read ${read} of ${ITERATIONS} mutations`);
});
