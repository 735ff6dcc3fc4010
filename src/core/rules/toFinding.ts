import type { Settings } from '../settings';
import type { Finding, Severity } from '../types';
import type { Rule, RuleFinding } from './rule';
import { configuredSeverity } from './ruleAliases';
import { capSeverity } from './unreadableModules';

/** Effective severity of a rule, or undefined when the user turned it off. A former id of the rule counts too. */
export function severityOf(id: string, defaultSeverity: Severity, settings: Settings): Severity | undefined {
  const configured = configuredSeverity(settings.rules, id);
  if (configured === 'off') return undefined;
  return configured ?? defaultSeverity;
}

/** A rule's finding as the user sees it: its severity as configured (undefined when the rule is off). */
export function toFinding(rule: Pick<Rule, 'id' | 'defaultSeverity'>, found: RuleFinding, settings: Settings, severity?: Severity): Finding | undefined {
  const configured = severityOf(rule.id, severity ?? found.severity ?? rule.defaultSeverity, settings);
  if (!configured) return undefined;
  // A finding a module we did not read may answer is information at most, whatever the setting (unreadableModules.ts).
  const effective = capSeverity(configured, found.data);
  const finding: Finding = { code: rule.id, severity: effective, file: found.file, range: found.range, message: found.message, related: found.related, data: found.data };
  if (found.explanation !== undefined) finding.explanation = found.explanation;
  return finding;
}
