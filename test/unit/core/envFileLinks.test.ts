import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findEnvFileReferences } from '../../../src/core/envFileLinks';
import { parse } from '../../../src/core/fixes/yamlEdits';

test('env_file links: a service list and the long form are linked, an interpolated path is not', () => {
  const text = 'services:\n  app:\n    env_file:\n      - ./app.env\n      - path: "./extra.env"\n        required: false\n      - ./${STAGE}.env\n';
  const links = findEnvFileReferences('/srv/stack/compose.yaml', text);
  assert.deepEqual(links.map((link) => link.target), ['/srv/stack/app.env', '/srv/stack/extra.env']);
});

test('YAML nested past the parser\'s own stack gives no links and no fix document, not an exception', () => {
  // A line after the nesting pops the yaml library's parser stack: it throws a RangeError (see compose/limits.test.ts).
  const deep = `services:\n  web:\n    image: nginx\n  s:\n   ${'- '.repeat(20_000)}x\n    image: y\n`;
  assert.deepEqual(findEnvFileReferences('/srv/stack/compose.yaml', deep), []);
  assert.equal(parse(deep), undefined);
});

test('a fix document for a map with many keys is read in linear time (no quadratic duplicate-key check)', () => {
  const keys = Array.from({ length: 30_000 }, (_, i) => `  k${i}: v`).join('\n');
  const started = process.cpuUsage();
  const doc = parse(`x-big:\n${keys}\nservices:\n  app:\n    image: nginx\n`);
  const cpuMs = (process.cpuUsage(started).user + process.cpuUsage(started).system) / 1000;
  assert.ok(doc, 'the document parses');
  assert.ok(cpuMs < 3000, `took ${cpuMs} ms of CPU`);
});
