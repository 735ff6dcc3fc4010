import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ALL_RULES, ruleById } from '../../../../src/core/rules';
import { canonicalRuleId, configuredSeverity, RULE_ALIASES } from '../../../../src/core/rules/ruleAliases';
import { severityOf } from '../../../../src/core/rules/toFinding';
import { DEFAULT_SETTINGS } from '../../../../src/core/settings';

test('every former id points at a rule that exists, and no former id is a current id', () => {
  const ids = new Set(ALL_RULES.map((rule) => rule.id));
  for (const [old, current] of Object.entries(RULE_ALIASES)) {
    assert.ok(ids.has(current), `${old} → ${current}`);
    assert.ok(!ids.has(old), `${old} is still a rule id`);
  }
});

test('dri-without-graphics resolves to dri-without-gpu-firmware', () => {
  assert.equal(canonicalRuleId('dri-without-graphics'), 'dri-without-gpu-firmware');
  assert.equal(canonicalRuleId('puid-unmapped'), 'puid-unmapped');
  assert.equal(ruleById('dri-without-graphics')?.id, 'dri-without-gpu-firmware');
});

test('a severity set under the former id applies; the current id wins when both are set', () => {
  const settings = (rules: Record<string, 'off' | 'error' | 'warning' | 'information' | 'hint'>) => ({ ...DEFAULT_SETTINGS, rules });
  assert.equal(severityOf('dri-without-gpu-firmware', 'warning', settings({ 'dri-without-graphics': 'off' })), undefined);
  assert.equal(severityOf('dri-without-gpu-firmware', 'warning', settings({ 'dri-without-graphics': 'error' })), 'error');
  assert.equal(severityOf('dri-without-gpu-firmware', 'warning', settings({ 'dri-without-graphics': 'off', 'dri-without-gpu-firmware': 'hint' })), 'hint');
  assert.equal(severityOf('dri-without-gpu-firmware', 'warning', settings({})), 'warning');
  assert.equal(configuredSeverity({ 'dri-without-graphics': 'information' }, 'puid-unmapped'), undefined);
});
