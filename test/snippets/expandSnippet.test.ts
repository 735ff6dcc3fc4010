import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandSnippet } from './expandSnippet';

test('tabstops, defaults, nested defaults and mirrors', () => {
  assert.equal(expandSnippet('a $1 b $0').text, 'a  b ');
  assert.equal(expandSnippet('${1:palav} = ${2:${1}-x}; $1').text, 'palav = palav-x; palav');
  assert.equal(expandSnippet('${2} then ${2:late}').text, 'late then late', 'a mirror before the placeholder still copies it');
});

test('choices take the first option; escapes inside choices', () => {
  assert.equal(expandSnippet('open = ${1|true,false|};').text, 'open = true;');
  assert.equal(expandSnippet('${1|a\\,b,c|}').text, 'a,b');
});

test('variables: known values, defaults, unknown names reported', () => {
  assert.equal(expandSnippet('# $TM_FILENAME ${TM_FILENAME_BASE}').text, '# configuration.nix configuration');
  assert.equal(expandSnippet('${NOPE:fallback}').text, 'fallback');
  const result = expandSnippet('echo "$f"');
  assert.equal(result.text, 'echo "f"', 'VS Code inserts the bare name of an unknown variable');
  assert.deepEqual(result.unknownVariables, ['f']);
});

test('escapes and literal dollars', () => {
  assert.equal(expandSnippet('\\${pkgs.docker} \\$HOME a\\}b c\\\\d').text, '${pkgs.docker} $HOME a}b c\\d');
  assert.equal(expandSnippet('${pkgs.docker}/bin').text, '${pkgs.docker}/bin', 'not a valid construct: literal text');
  assert.equal(expandSnippet('cost: 5$').text, 'cost: 5$');
  assert.equal(expandSnippet("\\( -name x \\)").text, '\\( -name x \\)', 'other backslashes stay');
});

test('body arrays join with newlines and tabs become the indent', () => {
  assert.equal(expandSnippet(['a = {', '\tb = 1;', '};']).text, 'a = {\n  b = 1;\n};');
  assert.equal(expandSnippet(['x:', '\ty'], { indent: '    ' }).text, 'x:\n    y');
});
