import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMPOSE_FILE_NAMES, findMainComposeFile, findOverrideFile, isComposeFileName, isComposeOverrideName } from '../../../../src/core/compose';
import { memoryHost } from '../../helpers/memoryHost';

test('main compose file names', () => {
  for (const name of ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml']) assert.ok(isComposeFileName(name), name);
  for (const name of ['docker-compose.override.yml', 'compose.yaml.bak', 'Docker-Compose.yml', 'stack.yml']) assert.ok(!isComposeFileName(name), name);
  assert.equal(COMPOSE_FILE_NAMES.length, 4);
});

test('override names', () => {
  for (const name of ['docker-compose.override.yml', 'docker-compose.override.yaml', 'compose.override.yml', 'compose.override.yaml']) {
    assert.ok(isComposeOverrideName(name), name);
    assert.ok(!isComposeFileName(name), name);
  }
  assert.ok(!isComposeOverrideName('docker-compose.yml'));
  assert.ok(!isComposeOverrideName('docker-compose.prod.yml'));
});

test('finding the main and override file in a folder follows Compose preference order', () => {
  const host = memoryHost({ '/s/docker-compose.yml': '', '/s/compose.yaml': '', '/s/docker-compose.override.yaml': '' });
  assert.equal(findMainComposeFile('/s', host), '/s/compose.yaml');
  assert.equal(findOverrideFile('/s', host), '/s/docker-compose.override.yaml');
  assert.equal(findOverrideFile('/t', host), undefined);
});
