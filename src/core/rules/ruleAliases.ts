import type { Settings } from '../settings';

/**
 * Former rule ids that settings (`nixosHomelab.rules`) still accept, mapped to the id that replaced them. A rule is
 * renamed when its id no longer says what it checks; a user's `"dri-without-graphics": "off"` must keep working.
 */
export const RULE_ALIASES: Readonly<Record<string, string>> = {
  'dri-without-graphics': 'dri-without-gpu-firmware',
};

/** The current id for `id` (itself when it is not a former id). */
export function canonicalRuleId(id: string): string {
  return Object.prototype.hasOwnProperty.call(RULE_ALIASES, id) ? (RULE_ALIASES[id] ?? id) : id;
}

/** The former ids of a rule, oldest first. */
export function formerIdsOf(id: string): string[] {
  return Object.keys(RULE_ALIASES).filter((old) => RULE_ALIASES[old] === id);
}

/** The severity configured for a rule, under its id or (when the id itself is not configured) a former id. */
export function configuredSeverity(rules: Settings['rules'], id: string): Settings['rules'][string] | undefined {
  if (Object.prototype.hasOwnProperty.call(rules, id)) return rules[id];
  for (const old of formerIdsOf(id)) if (Object.prototype.hasOwnProperty.call(rules, old)) return rules[old];
  return undefined;
}
