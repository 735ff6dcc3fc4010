/**
 * What an evaluation adds to the findings: the configuration's own failed assertions and warnings (what
 * `nixos-rebuild` would stop on, or print, before anything is built), and the word "evaluated" on the findings whose
 * answer comes from evaluated values.
 */
import type { NixConfiguration } from '../nix/model';
import { INPUT_FINDINGS } from '../rules';
import type { RuleFinding } from '../rules/rule';
import type { Finding, FindingData } from '../types';
import { toFinding } from '../rules/toFinding';
import type { Settings } from '../settings';
import { FILE_START, type SourceLocation } from '../text';
import { evaluationOf, isEvaluatedDefinition, isEvaluatedOnly } from './merge';
import { okOf } from './schema';
import { EVALUATED_KEY, EVALUATED_ONLY_KEY } from './keys';

/** A failed assertion or a warning of the configuration, where it is defined when that can be told. */
export interface ConfigurationMessage {
  kind: 'assertion' | 'warning';
  message: string;
  loc: SourceLocation;
}

/**
 * The failed assertions and the warnings of an evaluated configuration, each at the workspace file whose definition
 * holds it (`options.assertions.definitionsWithLocations`) — at the static definition of `assertions`/`warnings` in
 * that file when there is one — else at the entry module's first line (a NixOS module's own assertion).
 */
export function configurationMessages(nix: NixConfiguration): ConfigurationMessage[] {
  const evaluation = evaluationOf(nix);
  if (!evaluation) return [];
  const { projection } = evaluation;
  const result: ConfigurationMessage[] = [];
  const locate = (kind: 'assertions' | 'warnings', message: string, located: { file: string; message: string }[]): SourceLocation => {
    for (const candidate of located) {
      if (candidate.message !== message) continue;
      const file = evaluation.workspaceFile(candidate.file);
      if (!file) continue;
      const written = nix.definitionsUnder([kind]).find((definition) => definition.file === file);
      return written ? written.loc : { file, range: FILE_START };
    }
    return { file: nix.entry, range: FILE_START };
  };
  const assertionPlaces = okOf(projection.assertionLocations) ?? [];
  for (const message of okOf(projection.assertions) ?? []) result.push({ kind: 'assertion', message, loc: locate('assertions', message, assertionPlaces) });
  const warningPlaces = okOf(projection.warningLocations) ?? [];
  for (const message of okOf(projection.warnings) ?? []) result.push({ kind: 'warning', message, loc: locate('warnings', message, warningPlaces) });
  return result;
}

/** The text of a configuration message as a finding says it: NixOS's own words, then what ran. */
export function configurationMessageText(message: ConfigurationMessage, command: string): { message: string; explanation: string } {
  const words = message.message.trim().replace(/\s*\n\s*/g, ' ');
  // The headline is NixOS's message, shortened to one line when long; the explanation has it in full.
  const head = `NixOS ${message.kind === 'assertion' ? 'assertion failed' : 'warning'}: ${words.replace(/`/g, '')}`;
  const headline = head.length > 120 ? `${head.slice(0, 119).replace(/\s+\S*$/, '')}…` : head;
  const full = headline === head ? '' : `${words}\n\n`;
  return message.kind === 'assertion'
    ? { message: headline, explanation: `${full}\`nixos-rebuild\` stops here before building anything (evaluated with \`${command}\`).` }
    : { message: headline, explanation: `${full}Evaluated with \`${command}\`.` };
}

/**
 * The rules whose answer rests on values the projection evaluates: their findings on an evaluated configuration are
 * answers of Nix, not of the static reading.
 */
const EVALUATED_RULES = new Set([
  'puid-unmapped',
  'pgid-unmapped',
  'docker-not-enabled',
  'gpu-without-toolkit',
  'gpu-request-not-cdi',
  'bind-mount-undeclared',
  'nvidia-open-unset',
  'nvidia-driver-not-loaded',
  'toolkit-without-nvidia-driver',
]);

/**
 * Whether a rule runs on a configuration: every rule, except on a host known only from Nix, whose static model is
 * empty — there only the rules that read evaluated values run (another would report what it cannot see as missing).
 */
export function ruleRunsOn(ruleId: string, nix: NixConfiguration | undefined): boolean {
  return !isEvaluatedOnly(nix) || EVALUATED_RULES.has(ruleId);
}

export { EVALUATED_KEY, EVALUATED_ONLY_KEY } from './keys';

/**
 * A rule's finding on an evaluated configuration says so: "(evaluated)" at the end of its message and
 * `evaluated: true` in its data, when the rule reads evaluated values or the finding points at an evaluated
 * definition (and `evaluatedOnly: true` on a host known only from Nix: no fix). Unchanged otherwise (no evaluation,
 * or a rule about what is written where).
 */
export function markEvaluated(ruleId: string, found: RuleFinding, nix: NixConfiguration | undefined): RuleFinding {
  if (!evaluationOf(nix) || !nix) return found;
  const pointsAtEvaluated = (loc: SourceLocation): boolean =>
    nix.definitions.some((definition) => isEvaluatedDefinition(definition) && definition.file === loc.file && definition.loc.range.start.line === loc.range.start.line && definition.loc.range.start.character === loc.range.start.character);
  const evaluated = EVALUATED_RULES.has(ruleId) || pointsAtEvaluated(found) || found.related.some((related) => pointsAtEvaluated(related.location));
  if (!evaluated) return found;
  const data: FindingData = { ...(found.data ?? {}), [EVALUATED_KEY]: true };
  if (nix.evaluatedOnly) data[EVALUATED_ONLY_KEY] = true;
  return { ...found, message: `${found.message.replace(/\s+$/, '')} (evaluated)`, data };
}

/**
 * The findings of an evaluated configuration's own failed assertions (`nixos-assertion`) and warnings
 * (`nixos-warning`); none for a configuration that was not evaluated.
 */
export function evaluationFindings(nix: NixConfiguration, settings: Settings): Finding[] {
  const evaluation = evaluationOf(nix);
  if (!evaluation) return [];
  const findings: Finding[] = [];
  for (const message of configurationMessages(nix)) {
    const kind = message.kind === 'assertion' ? INPUT_FINDINGS.nixosAssertion : INPUT_FINDINGS.nixosWarning;
    const finding = toFinding(kind, { file: message.loc.file, range: message.loc.range, ...configurationMessageText(message, evaluation.command), related: [], data: { [EVALUATED_KEY]: true } }, settings);
    if (finding) findings.push(finding);
  }
  return findings;
}
