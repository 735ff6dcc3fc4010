/**
 * Nix inputs that once hung the analysis (issue #13): a long run of path/URI characters made both lexers look ahead
 * across the whole run at every token. Now the direct reader scans a run once, tree-sitter is not handed an overlong
 * token, and a tree-sitter parse has a time budget. Times are CPU time (helpers/cpuTime.ts) with generous bounds.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { loadNixConfiguration } from '../../../../src/core/nix';
import { parseNixDirect } from '../../../../src/core/nix/directParse';
import { initNixParser, NixIncrementalParser, parseNix, parseNixWithTreeSitter } from '../../../../src/core/nix/syntax';
import { findOverlongToken, MAX_NIX_TOKEN_CHARS } from '../../../../src/core/nix/syntaxLimits';
import { cpuMillis } from '../../helpers/cpuTime';
import { memoryHost } from '../../helpers/memoryHost';

before(async () => {
  await initNixParser();
});

const BOUND_MS = 2000;

test('an 80 KB URI-like token in a configuration is one nix-parse-error, quickly; the other files are read', () => {
  const entry = '/etc/nixos/configuration.nix';
  const host = memoryHost({
    [entry]: `{ ... }: {\n  imports = [ ./users.nix ];\n  x = a:${'b.'.repeat(40_000)}c;\n  y = ;\n}\n`,
    '/etc/nixos/users.nix': '{ users.users.palav.uid = 1000; }\n',
  });
  const { result: configuration, ms } = cpuMillis(() => loadNixConfiguration(entry, host));
  assert.ok(ms < BOUND_MS, `${ms} ms`);
  assert.equal(configuration.problems.length, 1);
  assert.match(configuration.problems[0]?.message ?? '', /^Nix syntax error: a token of 80,003 characters without a space is too long to check \(limit 4,096\)/);
  assert.deepEqual(configuration.problems[0]?.range.start, { line: 2, character: 6 });
  // The entry was not read, so its import is not followed; an entry read directly is unaffected by the limit.
  assert.equal(configuration.users.size, 0);
});

test('chains of selects and additions without spaces: the direct reader is linear, tree-sitter is spared', () => {
  for (const unit of ['b.', 'b+', 'b:']) {
    const valid = `{ x = ${unit === 'b:' ? 'a:' : ''}${unit.repeat(20_000)}b; }`;
    const direct = cpuMillis(() => parseNixDirect(valid));
    assert.ok(direct.ms < BOUND_MS, `${unit}: ${direct.ms} ms`);
    const broken = `{ x = ${unit.repeat(20_000)}b; y = ; }`;
    const parsed = cpuMillis(() => parseNix(broken));
    assert.ok(parsed.ms < BOUND_MS, `${unit}: ${parsed.ms} ms`);
    assert.match(parsed.result.errors[0]?.message ?? '', /too long to check/);
  }
});

test('long data inside strings and comments is not a token', () => {
  const data = 'Ab+/c.d:'.repeat(2 * MAX_NIX_TOKEN_CHARS);
  assert.equal(findOverlongToken(`{ a = "${data}"; b = ''${data}''; c = "\\"${data}"; }\n# ${data}\n/* ${data} */`), undefined);
  assert.equal(findOverlongToken(`{ a = ''it'''s ''\${${data}''; }`), undefined);
  // Inside `${…}` of a string the text is code again.
  assert.deepEqual(findOverlongToken(`{ a = "x\${ ${data} }"; }`), { start: 11, length: data.length });
  assert.equal(findOverlongToken(`{ a = ${'x.'.repeat(MAX_NIX_TOKEN_CHARS / 2)}; }`), undefined);
});

test('a tree-sitter parse past its time budget is cancelled with a finding; the parser then reads other texts', () => {
  // 400 KB of 1,000-character select chains (each under the token limit) and one error: about 20 s of tree-sitter.
  const slow = `{ ${Array.from({ length: 400 }, (_, i) => `x${i} = ${'b.'.repeat(500)}b;`).join('\n')} y = ; }`;
  const { result, ms } = cpuMillis(() => parseNixWithTreeSitter(slow));
  assert.ok(ms < 3 * BOUND_MS, `${ms} ms`);
  assert.deepEqual(result.errors.map((error) => error.message), ['Nix syntax error: reading the file took more than 2 s, too long to check; it was not read. Fix its syntax errors (the direct reader takes a file without them), or split it']);
  assert.deepEqual(parseNixWithTreeSitter('{ a = ; }').errors.map((error) => error.message), ['Nix syntax error: missing expression']);

  const incremental = new NixIncrementalParser();
  try {
    assert.equal(incremental.parse(slow).root, undefined);
    assert.equal(incremental.parse('{ a = ; b = 1; }').errors.length, 1);
    assert.equal(incremental.parse('{ a = 2; b = 1; }').errors.length, 0);
  } finally {
    incremental.dispose();
  }
});
