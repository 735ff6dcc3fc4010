import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { runCli } from './runCli';

/**
 * The official schema is draft-04 (`id`, draft-04 `$schema`), which Ajv 8 does not load as is. Its keywords are
 * all ones draft-07 reads the same way, so only the two top-level markers are adapted.
 */
function sarifValidator() {
  const schema = JSON.parse(readFileSync(resolve(__dirname, '../fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8')) as Record<string, unknown>;
  const { $schema: _draft, id, ...rest } = schema;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile({ ...rest, $id: String(id) });
}

test('lint --format sarif is valid SARIF 2.1.0 (official OASIS schema)', async () => {
  const run = await runCli(['lint', 'examples/pop-os-homelab', '--snapshot', 'examples/pop-os-homelab/snapshot', '--format', 'sarif']);
  assert.equal(run.status, 1, run.stderr);
  const log = JSON.parse(run.stdout) as { version: string; runs: { results: { ruleId: string }[]; tool: { driver: { rules: { id: string }[] } } }[] };
  const validate = sarifValidator();
  assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
  assert.equal(log.version, '2.1.0');
  const ruleIds = new Set(log.runs[0]?.tool.driver.rules.map((rule) => rule.id));
  for (const result of log.runs[0]?.results ?? []) assert.ok(ruleIds.has(result.ruleId), result.ruleId);
  assert.ok((log.runs[0]?.results.length ?? 0) > 0);
});

test('the schema check is not vacuous: a broken log is rejected', () => {
  const validate = sarifValidator();
  assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] }), false, 'driver.name is required');
  assert.equal(validate({ version: '2.0.0', runs: [] }), false);
  assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, level: 'fatal' }] }] }), false);
  assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [] }] }), true);
});

test('lint --format sarif on a folder with nothing to check is a valid, unsuccessful run with the notice', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'nixos-homelab-empty-'));
  try {
    const run = await runCli(['lint', empty, '--format', 'sarif']);
    assert.equal(run.status, 2);
    const log = JSON.parse(run.stdout) as { runs: { results: unknown[]; invocations: { executionSuccessful: boolean; toolExecutionNotifications: { level: string; message: { text: string } }[] }[] }[] };
    const validate = sarifValidator();
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    assert.deepEqual(log.runs[0]?.results, []);
    assert.equal(log.runs[0]?.invocations[0]?.executionSuccessful, false);
    assert.match(log.runs[0]?.invocations[0]?.toolExecutionNotifications[0]?.message.text ?? '', /found no compose file/);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});
