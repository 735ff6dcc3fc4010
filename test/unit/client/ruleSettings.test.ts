import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setsRule, withRuleOff } from '../../../src/client/commands/ruleSettings';

test('withRuleOff turns the rule off and keeps the other rules of that scope', () => {
  assert.deepEqual(withRuleOff(undefined, 'puid-unmapped'), { 'puid-unmapped': 'off' });
  assert.deepEqual(withRuleOff({ 'published-port-bypasses-firewall': 'hint', 'puid-unmapped': 'error' }, 'puid-unmapped'), {
    'published-port-bypasses-firewall': 'hint',
    'puid-unmapped': 'off',
  });
});

test('withRuleOff drops what is not a severity and refuses what is not a rule id', () => {
  assert.deepEqual(withRuleOff(['x'], 'pgid-unmapped'), { 'pgid-unmapped': 'off' });
  assert.deepEqual(withRuleOff({ 'duplicate-id': 3, 'docker-not-enabled': 'warning' }, 'pgid-unmapped'), { 'docker-not-enabled': 'warning', 'pgid-unmapped': 'off' });
  assert.throws(() => withRuleOff({}, '__proto__'), /not a rule id/);
  assert.throws(() => withRuleOff({}, 'Puid Unmapped'), /not a rule id/);
});

test('setsRule says whether a scope names the rule itself', () => {
  assert.equal(setsRule({ 'puid-unmapped': 'warning' }, 'puid-unmapped'), true);
  assert.equal(setsRule({ 'pgid-unmapped': 'warning' }, 'puid-unmapped'), false);
  assert.equal(setsRule(undefined, 'puid-unmapped'), false);
});
