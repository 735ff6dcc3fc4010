import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEnvFile } from '../../../../src/core/compose';

test('KEY=VALUE lines, export, comments, blank lines and values containing =', () => {
  const parsed = parseEnvFile('# comment\n\nUPLOAD_LOCATION=/mnt/PlexStorage/immich\nexport DB_PASSWORD=a=b=c\n  SPACED = value with spaces  # trailing comment\n');
  assert.deepEqual(
    parsed.entries.map((entry) => [entry.name, entry.value]),
    [
      ['UPLOAD_LOCATION', '/mnt/PlexStorage/immich'],
      ['DB_PASSWORD', 'a=b=c'],
      ['SPACED', 'value with spaces'],
    ],
  );
  assert.deepEqual(parsed.problems, []);
});

test('line positions of names and values', () => {
  const parsed = parseEnvFile('A=1\n\nexport B="two"\n');
  const b = parsed.entries[1];
  assert.equal(b?.line, 2);
  assert.deepEqual(b?.nameRange, { start: { line: 2, character: 7 }, end: { line: 2, character: 8 } });
  assert.deepEqual(b?.valueRange, { start: { line: 2, character: 9 }, end: { line: 2, character: 14 } });
});

test('single quotes are literal, double quotes process escapes and variables', () => {
  const parsed = parseEnvFile(`BASE=/srv\nSINGLE='$BASE # not a comment'\nDOUBLE="\${BASE}/data\\nline2"\nPLAIN=\${BASE}/x\nHASH=a#b\n`);
  const values = Object.fromEntries(parsed.entries.map((entry) => [entry.name, entry.value]));
  assert.equal(values.SINGLE, '$BASE # not a comment');
  assert.equal(values.DOUBLE, '/srv/data\nline2');
  assert.equal(values.PLAIN, '/srv/x');
  assert.equal(values.HASH, 'a#b');
});

test('double-quoted values may span lines', () => {
  const parsed = parseEnvFile('CERT="line1\nline2"\nNEXT=1\n');
  assert.deepEqual(parsed.entries.map((entry) => [entry.name, entry.value]), [
    ['CERT', 'line1\nline2'],
    ['NEXT', '1'],
  ]);
});

test('CRLF line endings and empty values', () => {
  const parsed = parseEnvFile('A=1\r\nEMPTY=\r\nB=2');
  assert.deepEqual(parsed.entries.map((entry) => [entry.name, entry.value]), [
    ['A', '1'],
    ['EMPTY', ''],
    ['B', '2'],
  ]);
});

test('malformed lines are problems with their line, the rest still parses', () => {
  const parsed = parseEnvFile('GOOD=1\nthis is not an assignment\nBAD NAME=2\nQ="unterminated\n');
  assert.deepEqual(parsed.entries.map((entry) => entry.name), ['GOOD', 'Q']);
  assert.deepEqual(parsed.problems.map((problem) => problem.line), [1, 2, 3]);
});
