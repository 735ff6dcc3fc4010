import { test } from 'node:test';
import assert from 'node:assert/strict';
import { interpolate, type EnvVariable } from '../../../../src/core/compose';

const env = new Map<string, EnvVariable>([
  ['UPLOAD_LOCATION', { value: '/mnt/PlexStorage/immich', file: '/stack/.env' }],
  ['EMPTY', { value: '', file: '/stack/.env' }],
  ['PUID', { value: '1000', file: '/stack/.env' }],
]);

test('${VAR} and $VAR take the .env value and say where it came from', () => {
  const braced = interpolate('${UPLOAD_LOCATION}:/usr/src/app/upload', env);
  assert.equal(braced.value, '/mnt/PlexStorage/immich:/usr/src/app/upload');
  assert.deepEqual(braced.substitutions, [{ name: 'UPLOAD_LOCATION', value: '/mnt/PlexStorage/immich', source: 'env-file', file: '/stack/.env' }]);
  assert.deepEqual(braced.unresolved, []);
  assert.equal(interpolate('id=$PUID!', env).value, 'id=1000!');
});

test('an unset variable without default is unresolved, with its offsets', () => {
  const result = interpolate('a ${MISSING} b $ALSO', env);
  assert.equal(result.value, 'a  b ');
  assert.deepEqual(result.unresolved, [
    { name: 'MISSING', start: 2, end: 12 },
    { name: 'ALSO', start: 15, end: 20 },
  ]);
  assert.deepEqual(result.substitutions.map((s) => s.source), ['unset', 'unset']);
});

test(':- uses the default when unset or empty, - only when unset', () => {
  assert.equal(interpolate('${MISSING:-def}', env).value, 'def');
  assert.equal(interpolate('${EMPTY:-def}', env).value, 'def');
  assert.equal(interpolate('${EMPTY-def}', env).value, '');
  assert.equal(interpolate('${MISSING-def}', env).value, 'def');
  assert.equal(interpolate('${PUID:-def}', env).value, '1000');
  const result = interpolate('${MISSING:-def}', env);
  assert.deepEqual(result.substitutions, [{ name: 'MISSING', value: 'def', source: 'default' }]);
  assert.deepEqual(result.unresolved, []);
});

test('defaults nest and may contain variables and colons', () => {
  assert.equal(interpolate('${A:-${B:-${PUID}}}', env).value, '1000');
  assert.equal(interpolate('${A:-${B:-x:y}}/z', env).value, 'x:y/z');
  const nested = interpolate('${A:-${B}}', env);
  assert.deepEqual(nested.unresolved.map((u) => u.name), ['B']);
});

test(':? and ? report an error, not an unresolved variable', () => {
  const result = interpolate('${MISSING:?set MISSING in .env}', env);
  assert.equal(result.value, '');
  assert.deepEqual(result.unresolved, []);
  assert.equal(result.errors[0]?.message, 'set MISSING in .env');
  assert.equal(result.errors[0]?.kind, 'required');
  assert.equal(interpolate('${EMPTY:?x}', env).errors.length, 1);
  assert.equal(interpolate('${EMPTY?x}', env).errors.length, 0);
  assert.equal(interpolate('${PUID:?x}', env).value, '1000');
});

test(':+ and + give the alternative only when set', () => {
  assert.equal(interpolate('${PUID:+yes}', env).value, 'yes');
  assert.equal(interpolate('${EMPTY:+yes}', env).value, '');
  assert.equal(interpolate('${EMPTY+yes}', env).value, 'yes');
  assert.equal(interpolate('${MISSING:+yes}', env).value, '');
  assert.deepEqual(interpolate('${MISSING:+yes}', env).unresolved, []);
});

test('$$ is a literal dollar and is never a variable', () => {
  const result = interpolate('echo $${HOME} $$PATH cost$$5', env);
  assert.equal(result.value, 'echo ${HOME} $PATH cost$5');
  assert.deepEqual(result.unresolved, []);
  assert.deepEqual(result.substitutions, []);
});

test('a lone $ stays literal and a malformed ${} is an invalid reference', () => {
  assert.equal(interpolate('price: 5$ and $1', env).value, 'price: 5$ and $1');
  const invalid = interpolate('${1abc}', env);
  assert.equal(invalid.value, '${1abc}');
  assert.equal(invalid.errors[0]?.kind, 'invalid');
  assert.equal(interpolate('${UNCLOSED', env).errors[0]?.kind, 'invalid');
});

test("the process environment is never consulted", () => {
  process.env.NIXOS_HOMELAB_TEST_VAR = 'from-this-machine';
  try {
    const result = interpolate('${NIXOS_HOMELAB_TEST_VAR}', env);
    assert.equal(result.value, '');
    assert.equal(result.unresolved.length, 1);
  } finally {
    delete process.env.NIXOS_HOMELAB_TEST_VAR;
  }
});

test('a plain record is accepted as environment', () => {
  const result = interpolate('${A}-${B:-b}', { A: 'a' });
  assert.equal(result.value, 'a-b');
  assert.deepEqual(result.substitutions[0], { name: 'A', value: 'a', source: 'env-file' });
});
