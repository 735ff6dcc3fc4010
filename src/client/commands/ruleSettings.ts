/**
 * The `nixosHomelab.rules` value "Disable <rule> in this workspace" writes (no `vscode` import: unit-tested). The
 * value at the chosen scope is kept as it is — other rules' severities included — and the rule is set to "off".
 */
export type RuleSeverities = Record<string, string>;

/** A rule id as the rules name themselves (also keeps an argument from writing any other key). */
export const RULE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** `current` (whatever the settings file holds: an object, or nothing) with `rule` turned off. */
export function withRuleOff(current: unknown, rule: string): RuleSeverities {
  if (!RULE_ID.test(rule)) throw new Error(`"${rule}" is not a rule id (e.g. puid-unmapped)`);
  const kept: RuleSeverities = {};
  if (typeof current === 'object' && current !== null && !Array.isArray(current)) {
    for (const [id, severity] of Object.entries(current as Record<string, unknown>)) if (typeof severity === 'string') kept[id] = severity;
  }
  return { ...kept, [rule]: 'off' };
}

/** Whether `value` (of one scope) sets `rule` at all: a folder's own setting overrides the workspace's. */
export function setsRule(value: unknown, rule: string): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.prototype.hasOwnProperty.call(value, rule);
}
