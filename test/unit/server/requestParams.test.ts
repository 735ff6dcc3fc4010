import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CODE_ACTION_PARAMS, describeInvalidParams, FOLDER_PARAMS, HOVER_PARAMS, NO_PARAMS } from '../../../src/server/requestParams';

const uri = 'file:///home/docker-compose.yml';
const range = { start: { line: 1, character: 2 }, end: { line: 1, character: 5 } };

test('valid params pass through with the fields the handler does not read', () => {
  const params = { textDocument: { uri, version: 3 }, position: { line: 0, character: 0 }, workDoneToken: 'x' };
  const parsed = HOVER_PARAMS.safeParse(params);
  assert.ok(parsed.success);
  assert.deepEqual(parsed.data, params);
  const actions = CODE_ACTION_PARAMS.safeParse({ textDocument: { uri }, range, context: { diagnostics: [{ range, code: 'puid-unmapped', message: 'm', data: { version: 1 } }], only: ['quickfix'] } });
  assert.ok(actions.success);
  assert.deepEqual(actions.data.context.diagnostics[0]?.data, { version: 1 });
});

test('the migration requests take no params, null or {} as the first folder', () => {
  for (const params of [undefined, null, {}]) assert.deepEqual(FOLDER_PARAMS.safeParse(params), { success: true, data: {} });
  assert.equal(FOLDER_PARAMS.safeParse({ folder: 3 }).success, false);
  assert.deepEqual(NO_PARAMS.safeParse({ anything: 1 }), { success: true, data: undefined });
});

test('an invalid field is named in one short line', () => {
  const cases: [unknown, RegExp][] = [
    [{ textDocument: { uri }, range: null, context: { diagnostics: [] } }, /^range: Expected object, received null$/],
    [{ range, context: { diagnostics: [] } }, /^textDocument: Required$/],
    [{ textDocument: { uri }, range: { start: { line: -1, character: 0 }, end: range.end }, context: { diagnostics: [] } }, /^range\.start\.line: /],
    [{ textDocument: { uri }, range, context: { diagnostics: [{}] } }, /^context\.diagnostics\.0\.range: Required$/],
    [null, /^params: Expected object, received null$/],
  ];
  for (const [params, expected] of cases) {
    const parsed = CODE_ACTION_PARAMS.safeParse(params);
    assert.equal(parsed.success, false);
    if (!parsed.success) assert.match(describeInvalidParams(parsed.error), expected);
  }
});
