/**
 * Inputs that once crashed or hung the analysis (issue #13) become one finding on their file, in bounded time, and
 * the rest of the stack is still read. Times are CPU time (helpers/cpuTime.ts) with generous bounds.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDocument } from 'yaml';
import { interpolate, parseEnvFile } from '../../../../src/core/compose';
import { MAX_ALIAS_EXPANSIONS, MAX_ENV_FILE_CHARS, MAX_EXPANDED_VALUE_CHARS, MAX_REFERENCE_NESTING } from '../../../../src/core/compose/limits';
import { parseWhole } from '../../../../src/core/compose/yamlParse';
import { LineIndex } from '../../../../src/core/text';
import { cpuMillis } from '../../helpers/cpuTime';
import { prng } from '../../helpers/prng';
import { loadCompose, service } from './fixture';

const BOUND_MS = 2000;

function messages(project: { problems: { message: string }[] }): string {
  return project.problems.map((problem) => problem.message).join('\n');
}

function nestedDefaults(depth: number, inner: string): string {
  return '${A:-'.repeat(depth) + inner + '}'.repeat(depth);
}

test('defaults nested thousands deep: a limit error, no stack overflow', () => {
  const { result, ms } = cpuMillis(() => interpolate(nestedDefaults(5000, 'x'), {}));
  assert.ok(ms < BOUND_MS, `${ms} ms`);
  assert.equal(result.errors.length, 1);
  assert.equal(result.errors[0]?.kind, 'limit');
  assert.match(result.errors[0]?.message ?? '', new RegExp(`nested more than ${MAX_REFERENCE_NESTING} deep`));
  // Nesting within the limit still expands.
  assert.equal(interpolate(nestedDefaults(MAX_REFERENCE_NESTING, 'x'), {}).value, 'x');
  assert.deepEqual(interpolate(nestedDefaults(MAX_REFERENCE_NESTING, 'x'), {}).errors, []);
});

test('nested defaults in .env and in a compose file are findings on that file; the stack is still read', () => {
  const { result: fromEnv, ms } = cpuMillis(() =>
    loadCompose('services:\n  app:\n    image: nginx\n    environment:\n      PUID: 1000\n', { '.env': `A=${nestedDefaults(5000, 'x')}\nB=2\n` }),
  );
  assert.ok(ms < BOUND_MS, `${ms} ms`);
  assert.match(messages(fromEnv), /^\.env: A: variable defaults are nested more than 16 deep .*the rest of the stack is still checked\.$/m);
  assert.equal(service(fromEnv, 'app').environment.get('PUID')?.value, '1000');

  const inCompose = loadCompose(`services:\n  app:\n    image: nginx\n    environment:\n      PUID: "${nestedDefaults(5000, '1000')}"\n      PGID: 110\n`);
  assert.match(messages(inCompose), /^docker-compose\.yml: variable defaults are nested more than 16 deep/m);
  assert.equal(service(inCompose, 'app').environment.get('PGID')?.value, '110');
});

test('exponential .env interpolation (27 doublings in under 500 bytes) stops at the value limit, once', () => {
  const lines = ['A0=xxxxxxxxxx'];
  for (let i = 1; i <= 27; i++) lines.push(`A${i}=\${A${i - 1}}\${A${i - 1}}`);
  const text = `${lines.join('\n')}\n`;
  assert.ok(text.length < 500);
  const { result, ms } = cpuMillis(() => parseEnvFile(text));
  assert.ok(ms < BOUND_MS, `${ms} ms`);
  assert.equal(result.entries.length, 28);
  for (const entry of result.entries) assert.ok(entry.value.length <= MAX_EXPANDED_VALUE_CHARS);
  const limits = result.problems.filter((problem) => problem.limit);
  assert.equal(limits.length, 1);
  assert.match(limits[0]?.message ?? '', /^A13: the value expands to more than 64 KB/);
  assert.equal(limits[0]?.line, 13);

  const project = loadCompose('services:\n  app:\n    image: nginx:${A27}\n', { '.env': text });
  assert.match(messages(project), /^\.env: A13: the value expands to more than 64 KB/m);
  assert.equal(service(project, 'app').name, 'app');
});

test('.env files: too large, many unterminated quotes, many lines without `=`: linear and reported', () => {
  const huge = cpuMillis(() => parseEnvFile(`A=${'x'.repeat(MAX_ENV_FILE_CHARS)}\n`));
  assert.match(huge.result.problems[0]?.message ?? '', /too large to check \(limit 1 MB\)/);
  assert.equal(huge.result.entries.length, 0);

  const quotes = cpuMillis(() => parseEnvFile('A="x\n'.repeat(50_000)));
  assert.ok(quotes.ms < BOUND_MS, `${quotes.ms} ms`);
  // Each quote closes on the next line.
  assert.equal(quotes.result.entries.length, 25_000);

  const noEquals = cpuMillis(() => parseEnvFile(`${'garbage line\n'.repeat(50_000)}A=1\n`));
  assert.ok(noEquals.ms < BOUND_MS, `${noEquals.ms} ms`);
  assert.equal(noEquals.result.problems.length, 50_000);
  assert.deepEqual(noEquals.result.entries.map((entry) => entry.value), ['1']);
});

test('1,600 services merging one anchor are read in full, quickly', () => {
  let text = 'x-common: &common\n  restart: unless-stopped\n  environment:\n    - PUID=1000\n    - PGID=110\nservices:\n';
  for (let i = 0; i < 1600; i++) text += `  s${i}:\n    <<: *common\n    image: foo/bar:${i}\n`;
  const { result: project, ms } = cpuMillis(() => loadCompose(text));
  assert.ok(ms < BOUND_MS, `${ms} ms`);
  assert.equal(project.services.length, 1600);
  assert.deepEqual(project.problems, []);
  assert.equal(service(project, 's1599').environment.get('PGID')?.value, '110');
});

test('a chain of 4,000 anchor blocks (166 KB) hits the alias limits quickly', () => {
  let text = '';
  for (let i = 0; i < 4000; i++) text += `x-a${i}: &a${i}\n  k${i}: ${i}\n  <<: ${i > 0 ? `*a${i - 1}` : '{}'}\n`;
  text += 'services:\n  plex:\n    image: plexinc/pms-docker\n';
  const { result: project, ms } = cpuMillis(() => loadCompose(text));
  assert.ok(ms < BOUND_MS, `${ms} ms`);
  assert.match(messages(project), /expand to more than 50,000 copied values .* too large to check in full/);
  assert.match(messages(project), /nested more than 64 levels deep .* too deep to check/);
  assert.equal(service(project, 'plex').image?.value, 'plexinc/pms-docker');
});

test('a 2 KB alias bomb with deep nesting is cut at the alias limit, quickly', () => {
  let text = 'x-0: &a0 [[[[[[[[[[[[[[[[[[[[x, x, x, x, x, x, x, x]]]]]]]]]]]]]]]]]]]\n';
  for (let i = 1; i < 24; i++) text += `x-${i}: &a${i} [${Array(6).fill(`*a${i - 1}`).join(', ')}]\n`;
  text += 'services:\n  web:\n    image: nginx\n    labels: *a23\n';
  assert.ok(text.length < 2500);
  const { result: project, ms } = cpuMillis(() => loadCompose(text));
  assert.ok(ms < BOUND_MS, `${ms} ms`);
  assert.match(messages(project), new RegExp(`more than ${MAX_ALIAS_EXPANSIONS.toLocaleString('en-US')} copied values`));
  assert.equal(service(project, 'web').image?.value, 'nginx');
});

test('YAML nested past the parser\'s stack is a finding that says so', () => {
  const project = loadCompose(`x-deep: ${'['.repeat(20_000)}${']'.repeat(20_000)}\nservices:\n  web:\n    image: nginx\n`);
  assert.match(messages(project), /nests too deeply for the YAML parser/);
});

test('a map of 64,000 keys is parsed in linear time (the yaml library\'s duplicate check is quadratic: 51 s)', () => {
  const text = `${Array.from({ length: 64_000 }, (_, i) => `k${i}: 1`).join('\n')}\nk5: 2\n`;
  const ctx = { file: '/s/docker-compose.yml', dir: '/s', index: new LineIndex(text), env: () => undefined, envKey: '' };
  const { result, ms } = cpuMillis(() => parseWhole(text, ctx));
  assert.ok(ms < BOUND_MS, `${ms} ms`);
  assert.deepEqual(result.errors.map((error) => [error.start, error.message]), [[text.lastIndexOf('k5'), 'Map keys must be unique']]);
});

test('duplicate keys are reported where the yaml library reports them (differential, seeded)', () => {
  const random = prng(Number(process.env.FUZZ_SEED ?? 20261213));
  const keys = ['a', 'b', '"a"', "'b'", '1', '"1"', '~', 'null', '<<', 'true', '&x a', '!tag b', '? a'];
  const texts: string[] = [
    'a: 1\na: 2\n',
    'services:\n  web:\n    image: a\n    image: b\n  web:\n    x: 1\n',
    '{a: 1, b: 2, a: 3}\n',
    'a: &m {x: 1, x: 2}\nb: *m\n',
    'x: [ {k: 1, k: 2}, {k: 1} ]\n',
    '<<: {a: 1}\n<<: {b: 2}\n',
  ];
  for (let i = 0; i < Number(process.env.FUZZ_ITERATIONS ?? 200); i++) {
    const lines: string[] = [];
    for (let n = 1 + Math.floor(random() * 5); n > 0; n--) lines.push(`${keys[Math.floor(random() * keys.length)]}: ${Math.floor(random() * 3)}`);
    const nested = random() < 0.5;
    texts.push(nested ? `top:\n${lines.map((line) => `  ${line}`).join('\n')}\n` : `${lines.join('\n')}\n`);
  }
  for (const [step, text] of texts.entries()) {
    const expected = parseDocument(text, { merge: true, uniqueKeys: true, prettyErrors: false })
      .errors.filter((error) => error.code === 'DUPLICATE_KEY')
      .map((error) => error.pos[0]);
    const ctx = { file: '/s/docker-compose.yml', dir: '/s', index: new LineIndex(text), env: () => undefined, envKey: '' };
    const found = parseWhole(text, ctx).errors.filter((error) => error.message === 'Map keys must be unique').map((error) => error.start);
    assert.deepEqual(found, expected, `step ${step} (FUZZ_SEED=${process.env.FUZZ_SEED ?? 20261213}): ${JSON.stringify(text)}`);
  }
});

test('nested block sequences that overflow the yaml library\'s parser itself: a finding, not a crash', () => {
  // The library's composer reports its own overflow; its parser lets it escape when a line after the nesting pops
  // every level (found by the CLI fuzz tier).
  const text = `services:\n  web:\n    image: nginx\n  s:\n   ${'- '.repeat(20_000)}x\n    image: y\n`;
  assert.throws(() => parseDocument(text), RangeError, 'the yaml library no longer throws here: this test can go');
  const { result: project, ms } = cpuMillis(() => loadCompose(text));
  assert.ok(ms < BOUND_MS, `${ms} ms`);
  assert.match(messages(project), /^docker-compose\.yml: YAML error: the file nests too deeply for the YAML parser/m);
});
