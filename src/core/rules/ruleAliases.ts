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
  return [...(FORMER_IDS.get(id) ?? [])];
}

/** RULE_ALIASES the other way round (asked once per finding: severityOf). */
const FORMER_IDS: ReadonlyMap<string, readonly string[]> = (() => {
  const former = new Map<string, string[]>();
  for (const old of Object.keys(RULE_ALIASES)) {
    const current = RULE_ALIASES[old] as string;
    former.set(current, [...(former.get(current) ?? []), old]);
  }
  return former;
})();

/** The severity configured for a rule, under its id or (when the id itself is not configured) a former id. */
export function configuredSeverity(rules: Settings['rules'], id: string): Settings['rules'][string] | undefined {
  if (Object.prototype.hasOwnProperty.call(rules, id)) return rules[id];
  for (const old of FORMER_IDS.get(id) ?? []) if (Object.prototype.hasOwnProperty.call(rules, old)) return rules[old];
  return undefined;
}
