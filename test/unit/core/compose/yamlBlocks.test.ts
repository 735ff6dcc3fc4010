/**
 * The block-by-block YAML parse (yamlBlocks.ts, yamlParse.ts) must give exactly the tree, findings and errors of
 * the whole-file parse, or decline. Checked on the repository's compose files, on hand-written edge cases, and on
 * seeded random edits of them (the text an editor sends while someone types).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { parseDocument, type Document } from 'yaml';
import type { EnvVariable } from '../../../../src/core/compose';
import { rawSubLocation, type ComposeNode, type FileContext, type MapNode, type ScalarNode } from '../../../../src/core/compose/nodes';
import { splitComposeBlocks, type TextBlock } from '../../../../src/core/compose/yamlBlocks';
import { ComposeParseCache, convertBlock, parseByBlocks, parseWhole, type BlockConverter } from '../../../../src/core/compose/yamlParse';
import { LineIndex } from '../../../../src/core/text';
import { prng } from '../../helpers/prng';

// The benchmark's 50-service file (an ES module: loaded once before the tests).
let bigComposeFile: (services?: number) => string;
before(async () => {
  ({ bigComposeFile } = await import('../../../../bench/generate.mjs'));
});

const FILE = '/stack/docker-compose.yml';
const VARIABLES: Record<string, string> = { TZ: 'Europe/Berlin', DATA: '/mnt/data' };
const env = (name: string): EnvVariable | undefined => (name in VARIABLES ? { value: VARIABLES[name] ?? '', file: '/stack/.env' } : undefined);
const contextFor = (text: string): FileContext => ({ file: FILE, dir: '/stack', index: new LineIndex(text), env, envKey: 'test' });
const freshParse = (block: TextBlock): Document => parseDocument(block.text, { merge: true, prettyErrors: false, uniqueKeys: true });
const freshBlocks = (ctx: FileContext): BlockConverter => (block, depth, anchors) => convertBlock(freshParse(block), ctx, block, depth, anchors.lookup);

function composeFilesUnder(dir: string, found: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) composeFilesUnder(full, found);
    else if (/compose.*\.ya?ml$/.test(name)) found.push(full);
  }
  return found;
}

const EDGE_CASES: Record<string, string> = {
  plain: 'services:\n  web:\n    image: nginx\n    environment:\n      - PUID=1000\n      - TZ=${TZ}\n  db:\n    image: postgres\n',
  commentsEverywhere: '# stack\nname: media # the name\n\nservices: # all of them\n  # the web one\n  web:\n    image: nginx\n# a column-0 comment inside services\n    user: "1000:110"\n\n  db: # trailing\n    image: postgres\n  # commented:\n  #   image: x\nvolumes:\n  data:\n',
  crlf: 'services:\r\n  web:\r\n    image: nginx\r\n    devices:\r\n      - /dev/dri:/dev/dri\r\n  db:\r\n    image: postgres\r\n',
  quotedKeys: 'services:\n  "web":\n    image: nginx\n  \'db\':\n    image: postgres\n"x-note": hi\n',
  blockScalars: 'services:\n  app:\n    command: |\n      echo one\n        echo two\n\n      echo three\n    entrypoint: >-\n      folded\n      text\n  next:\n    image: alpine\nconfigs:\n  c:\n    content: |\n      a: b\n',
  flowValues: 'services:\n  app:\n    ports: ["8080:80", "127.0.0.1:9000:9000"]\n    environment: { PUID: 1000, PGID: 110 }\n    labels: [\n      a, b\n    ]\n',
  fourSpaces: 'services:\n    web:\n        image: nginx\n        volumes:\n            - ${DATA}/media:/media\n    db:\n        image: postgres\n',
  tags: 'services:\n  app:\n    image: nginx\n    ports: !reset []\n    environment: !override\n      A: 1\n',
  servicesInline: 'services: {web: {image: nginx}, db: {image: postgres}}\n',
  servicesEmpty: 'name: x\nservices:\nvolumes:\n  a:\n',
  anchors: 'x-common: &common\n  restart: unless-stopped\nservices:\n  web:\n    <<: *common\n    image: nginx\n',
  anchorChain: 'x-env: &env\n  TZ: ${TZ}\n  PUID: 1000\nx-base: &base\n  restart: always\n  environment: *env\nservices:\n  web:\n    <<: *base\n    image: nginx\n  db:\n    <<: [*base]\n    environment:\n      <<: *env\n      PGID: 110\n',
  anchorInService: 'services:\n  web: &web\n    image: nginx\n    user: "1000:110"\n  web2:\n    <<: *web\n    image: nginx:alpine\n  web3:\n    image: *img\n    command: &img alpine\n    entrypoint: *img\n',
  anchorRedefined: 'x-a: &a\n  restart: always\nservices:\n  one:\n    <<: *a\n    x: &a\n      restart: "no"\n    y: *a\n  two:\n    <<: *a\n',
  aliasBeforeAnchor: 'services:\n  web:\n    <<: *later\n    image: nginx\nx-later: &later\n  restart: always\n',
  anchorUnknown: 'services:\n  web:\n    <<: *missing\n    image: nginx\n',
  anchorVariables: 'x-vol: &vol\n  - ${DATA}/media:/media\n  - ${UNSET}/x:/x\nservices:\n  a:\n    volumes: *vol\n  b:\n    volumes: *vol\n',
  anchorBomb: 'x-a: &a [x, x, x, x, x, x, x, x, x, x]\nx-b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nx-c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nx-d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\nservices:\n  web:\n    labels: [*d, *d, *d, *d, *d]\n  web2:\n    labels: [*d, *d, *d, *d, *d]\n',
  duplicateService: 'services:\n  web:\n    image: a\n  web:\n    image: b\n',
  duplicateTop: 'services:\n  web:\n    image: a\nservices:\n  db:\n    image: b\n',
  documentMarker: '---\nservices:\n  web:\n    image: a\n',
  unclosedQuote: 'services:\n  web:\n    command: "echo\n  db:\n    image: b"\n',
  unclosedFlow: 'services:\n  web:\n    ports: [\n  db:\n    image: b\n',
  halfTyped: 'services:\n  web:\n    image: nginx\n    environment:\n      - PUID=\n    user:\n  db:\n    image:\n',
  badReference: 'services:\n  web:\n    image: nginx:${TAG\n    environment:\n      X: ${UNSET_VAR}\n',
  tabs: 'services:\n\tweb:\n\t\timage: a\n',
  lessIndented: 'services:\n    web:\n      image: a\n  db:\n    image: b\n',
  topLevelList: '- a\n- b\n',
  onlyComments: '# nothing here\n',
  noTrailingNewline: 'services:\n  web:\n    image: nginx',
  bom: '\ufeffservices:\n  web:\n    image: a\n',
  loneCarriageReturn: 'services:\n  web:\n    image: a\r  db:\n    image: b\n',
  commentAtEnd: 'services:\n  web:\n    image: nginx\n   # environment:\n',
  // A plain scalar below a comment less indented than its key: an error only when a key follows (the yaml library).
  commentBeforeValue: 'x-common: &common\n#restart: unles\n    -stopped\nservices:\n  web:\n    <<: *common\n    image: nginx\n',
  commentBeforeServiceValue: 'services:\n  web:\n    image:\n  # old\n      nginx\n  db:\n    image: postgres\n',
  commentBeforeMapValue: 'services:\n  web:\n#    user: "1000:110"\n    image: nginx\n  db:\n    image: postgres\n',
};

function assertSameParse(text: string, label: string): boolean {
  const ctx = contextFor(text);
  const whole = parseWhole(text, ctx);
  const blocks = parseByBlocks(text, ctx, freshBlocks(ctx));
  if (!blocks) return false;
  assert.deepStrictEqual(blocks, whole, `${label}: the block parse differs from the whole parse of ${JSON.stringify(text)}`);
  return true;
}

test('the block parse equals the whole parse on the repository compose files and the benchmark file', () => {
  const texts = composeFilesUnder('examples').concat(composeFilesUnder('test/fixtures')).map((file) => [file, readFileSync(file, 'utf8')] as const);
  texts.push(['bench 50 services', bigComposeFile(50)]);
  assert.ok(texts.length >= 5);
  for (const [label, text] of texts) assert.ok(assertSameParse(text, label), `${label}: plain compose files are split`);
});

test('the block parse equals the whole parse on edge cases, or declines', () => {
  const declined: string[] = [];
  for (const [label, text] of Object.entries(EDGE_CASES)) if (!assertSameParse(text, label)) declined.push(label);
  // What must decline: duplicates, markers, errors YAML must report itself, the alias limits.
  // (`badReference` may be split: a malformed `${` is a conversion finding, which both paths report alike.)
  for (const label of ['anchorBomb', 'duplicateService', 'duplicateTop', 'documentMarker', 'unclosedQuote', 'unclosedFlow', 'tabs', 'lessIndented', 'topLevelList', 'onlyComments', 'bom', 'loneCarriageReturn', 'commentAtEnd']) {
    assert.ok(declined.includes(label), `${label} must fall back to the whole parse`);
  }
  for (const label of ['plain', 'commentsEverywhere', 'crlf', 'quotedKeys', 'blockScalars', 'flowValues', 'fourSpaces', 'tags', 'servicesInline', 'servicesEmpty', 'halfTyped', 'noTrailingNewline', 'commentBeforeMapValue', 'anchors', 'anchorChain', 'anchorInService', 'anchorRedefined', 'aliasBeforeAnchor', 'anchorUnknown', 'anchorVariables']) {
    assert.ok(!declined.includes(label), `${label} is split`);
  }
});

test('services are split one block per service; a services map written inline is one block', () => {
  const blocks = splitComposeBlocks(EDGE_CASES.commentsEverywhere!);
  assert.deepEqual(blocks?.map((block) => block.services?.length ?? 0), [0, 2, 0]);
  assert.equal(splitComposeBlocks(EDGE_CASES.servicesInline!)?.[0]?.services, undefined);
});

test('random edits: the block parse equals the whole parse whenever it answers (seeded)', () => {
  const random = prng(Number(process.env.FUZZ_SEED ?? 20261126));
  const pieces = ['\r', ' ', '  ', '\n', '\n  ', '\n    ', ':', ': ', '-', '- ', '#', '"', "'", '[', ']', '{', '}', '&a ', '*a', '|', '>', 'x', '1', '${', '}', '\t', '---\n', 'web:', '<<: '];
  // (Not the alias bomb: each of its edits expands thousands of nodes, and the fixed case above covers it.)
  const seeds = Object.entries(EDGE_CASES).filter(([label]) => label !== 'anchorBomb').map(([, text]) => text).concat(bigComposeFile(6));
  const edit = (text: string): string => {
    const at = Math.floor(random() * (text.length + 1));
    const roll = random();
    const piece = pieces[Math.floor(random() * pieces.length)] ?? '';
    if (roll < 0.45) return text.slice(0, at) + piece + text.slice(at);
    if (roll < 0.8) return text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 3));
    return text.slice(0, at) + piece + text.slice(at + 1);
  };
  let answered = 0;
  let runs = 0;
  for (const [index, seed] of seeds.entries()) {
    // The cache sees the same texts one after another, as the server does while someone types.
    const cache = new ComposeParseCache();
    cache.parse(seed, contextFor(seed));
    for (let step = 0; step < Number(process.env.FUZZ_ITERATIONS ?? 60); step++) {
      // One to three edits away from a real file: what a buffer looks like between keystrokes.
      let text = edit(seed);
      for (let more = Math.floor(random() * 3); more > 0; more--) text = edit(text);
      runs++;
      if (assertSameParse(text, `seed ${index} step ${step}`)) answered++;
      const ctx = contextFor(text);
      assert.deepStrictEqual(comparable(cache.parse(text, ctx)), comparable(parseWhole(text, ctx)), `cache: seed ${index} step ${step}`);
    }
  }
  // Many random edits leave a file YAML rejects (then the whole parse runs); enough are split for the comparison
  // above not to be vacuous.
  assert.ok(answered > runs / 10, `only ${answered} of ${runs} edits were parsed by blocks`);
});

test('an edit re-parses only the block it touched', () => {
  const text = bigComposeFile(50);
  const parsed = new Map<string, Document>();
  let parses = 0;
  const counting = (ctx: FileContext): BlockConverter => (block, depth, anchors) => {
    let doc = parsed.get(block.text);
    if (!doc) {
      parses++;
      doc = freshParse(block);
      parsed.set(block.text, doc);
    }
    return convertBlock(doc, ctx, block, depth, anchors.lookup);
  };
  assert.ok(parseByBlocks(text, contextFor(text), counting(contextFor(text))));
  assert.equal(parses, 50);
  const at = text.indexOf('PGID=110') + 'PGID=11'.length;
  const edited = `${text.slice(0, at)}1${text.slice(at + 1)}`;
  parses = 0;
  const again = parseByBlocks(edited, contextFor(edited), counting(contextFor(edited)));
  assert.equal(parses, 1);
  assert.deepStrictEqual(again, parseWhole(edited, contextFor(edited)));
});

/**
 * A parse with the contexts replaced by what a context is read for: a node reused from an older text keeps that
 * text's context, which must answer the same for the node (its exact sub-ranges, its variables).
 */
function comparable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(comparable);
  if (value instanceof Map) return new Map([...value].map(([key, item]) => [key, comparable(item)]));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key !== 'ctx') out[key] = comparable(item);
  }
  if ('kind' in value && (value as ScalarNode).kind === 'scalar') {
    const scalar = value as ScalarNode;
    out['subRange'] = rawSubLocation(scalar, 0, Math.min(1, scalar.raw.length));
    out['variables'] = ['TZ', 'DATA', 'NOPE'].map((name) => scalar.ctx.env(name)?.value);
  }
  return out;
}

test('the parse cache: first read whole, later reads by blocks, always equal to the whole parse', () => {
  const cache = new ComposeParseCache();
  let text = bigComposeFile(10);
  for (let step = 0; step < 30; step++) {
    const ctx = contextFor(text);
    assert.deepStrictEqual(comparable(cache.parse(text, ctx)), comparable(parseWhole(text, ctx)), `step ${step}`);
    // Alternate clean edits with ones that break the file for a moment (an unclosed quote), as typing does.
    const at = text.indexOf('image:', (step * 97) % text.length);
    text = step % 3 === 2 ? `${text.slice(0, at)}"${text.slice(at)}` : text.replace(/"(image:)/, '$1').replace('PGID=110', 'PGID=111');
  }
});

test('the parse cache reuses the converted services an edit did not touch, and only while they sit still', () => {
  const cache = new ComposeParseCache();
  const text = bigComposeFile(10);
  cache.parse(text, contextFor(text));
  const first = cache.parse(text, contextFor(text)).root;
  const services = (root: ComposeNode | undefined): MapNode => {
    const value = root?.kind === 'map' ? root.entries.get('services')?.value : undefined;
    assert.ok(value?.kind === 'map');
    return value;
  };
  // A same-length edit in the first service: every later service is the very same node.
  const sameLength = text.replace('PGID=110', 'PGID=111');
  const second = cache.parse(sameLength, contextFor(sameLength)).root;
  assert.notEqual(services(second).entries.get('svc0')?.value, services(first).entries.get('svc0')?.value);
  assert.equal(services(second).entries.get('svc9')?.value, services(first).entries.get('svc9')?.value);
  // An insertion moves every later service: they are converted again (their offsets changed).
  const longer = sameLength.replace('PGID=111', 'PGID=1110');
  const third = cache.parse(longer, contextFor(longer)).root;
  assert.notEqual(services(third).entries.get('svc9')?.value, services(second).entries.get('svc9')?.value);
  assert.deepStrictEqual(comparable(third), comparable(parseWhole(longer, contextFor(longer)).root));
  // Other variables: converted again, with the new values.
  const otherEnv: FileContext = { ...contextFor(longer), env: () => ({ value: 'changed' }), envKey: 'other' };
  const fourth = cache.parse(longer, otherEnv).root;
  assert.notEqual(services(fourth).entries.get('svc9')?.value, services(third).entries.get('svc9')?.value);
  assert.deepStrictEqual(comparable(fourth), comparable(parseWhole(longer, otherEnv).root));
});

test('anchors across blocks: an edit reuses the services it did not touch; an anchor edit re-reads those that alias it', () => {
  const withAnchor = (restart: string, anchor = '&common'): string => bigComposeFile(10)
    .replace('services:\n', `x-common: ${anchor}\n  restart: ${restart}\nservices:\n`)
    .replace(/^ {4}restart: unless-stopped$/gm, '    <<: *common');
  const cache = new ComposeParseCache();
  const parse = (text: string): MapNode => {
    const ctx = contextFor(text);
    const parsed = cache.parse(text, ctx);
    assert.deepStrictEqual(comparable(parsed), comparable(parseWhole(text, ctx)));
    const services = parsed.root?.kind === 'map' ? parsed.root.entries.get('services')?.value : undefined;
    assert.ok(services?.kind === 'map');
    return services;
  };
  const text = withAnchor('always');
  const aliasing = [...text.matchAll(/^ {2}(svc\d+):\n(?:(?! {2}svc).*\n)*? {4}<<: \*common$/gm)].map((match) => match[1] as string);
  assert.ok(aliasing.length >= 2 && aliasing.length < 10, `services aliasing the anchor: ${aliasing.join(', ')}`);
  parse(text);
  const first = parse(text);
  const restartOf = (services: MapNode, name: string): string | undefined => {
    const service = services.entries.get(name)?.value;
    const restart = service?.kind === 'map' ? service.entries.get('restart')?.value : undefined;
    return restart?.kind === 'scalar' ? restart.value : undefined;
  };
  assert.equal(restartOf(first, aliasing[0] as string), 'always');

  // A same-length edit of the last service: every other service is the very same node, aliases included.
  assert.ok(text.includes('build: ./agent9\n'));
  const second = parse(text.replace('build: ./agent9\n', 'build: ./agentX\n'));
  assert.notEqual(second.entries.get('svc9')?.value, first.entries.get('svc9')?.value);
  for (const name of ['svc0', 'svc1', 'svc2', ...aliasing]) assert.equal(second.entries.get(name)?.value, first.entries.get(name)?.value, name);

  // The anchor's value changes (same length): the aliasing services are read again, the others are kept.
  const changed = parse(withAnchor('"nope"'));
  for (const name of aliasing) assert.notEqual(changed.entries.get(name)?.value, first.entries.get(name)?.value, name);
  assert.equal(restartOf(changed, aliasing[0] as string), 'nope');
  // (svc9 is back to its first text, which the cache no longer holds: only the previous text's blocks are kept.)
  const plain = [...first.entries.keys()].filter((name) => !aliasing.includes(name) && name !== 'svc9');
  for (const name of plain) assert.equal(changed.entries.get(name)?.value, second.entries.get(name)?.value, name);

  // An alias typed before its anchor exists, then the anchor (same length, so nothing moves): the services are
  // read again once it is there.
  assert.equal(restartOf(parse(withAnchor('always', '&nommoc')), aliasing[0] as string), undefined);
  assert.equal(restartOf(parse(withAnchor('always', '&nommoc')), aliasing[0] as string), undefined);
  assert.equal(restartOf(parse(withAnchor('always')), aliasing[0] as string), 'always');
});
