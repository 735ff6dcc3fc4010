import type { ComposeProject } from '../compose/model';
import type { HostSnapshot } from '../host/model';
import type { NixConfiguration } from '../nix/model';
import type { Range } from '../text';
import type { FindingData, RelatedInformation, Severity } from '../types';

/** What a rule reports; the runner adds the severity (from settings) and the rule id. */
export interface RuleFinding {
  file: string;
  range: Range;
  message: string;
  related: RelatedInformation[];
  data?: FindingData;
}

/** Everything a compose-side rule may look at for one stack. */
export interface ComposeRuleContext {
  project: ComposeProject;
  /** The NixOS configuration this stack is checked against (undefined: no Nix module found). */
  nix: NixConfiguration | undefined;
  snapshot: HostSnapshot | undefined;
  release: string;
  mountRoots: string[];
}

/** Everything a Nix-side rule may look at for one configuration. */
export interface NixRuleContext {
  nix: NixConfiguration;
  /** The stacks checked against this configuration. */
  projects: ComposeProject[];
  snapshot: HostSnapshot | undefined;
  release: string;
  mountRoots: string[];
}

export interface FixableContext {
  /** A NixOS configuration exists to write into (fixes that edit compose files do not need one). */
  hasConfiguration: boolean;
}

interface RuleBase {
  id: string;
  defaultSeverity: Severity;
  /** One line for listings and the docs index; the long form is docs/rules/<id>.md. */
  summary: string;
  /**
   * Does `lint --fix` / "Apply All Fixes" resolve this finding (a preferred fix exists)? A cheap predicate on the
   * finding's data, so listing 1,000 findings does not plan 1,000 edits; a test keeps it equal to what
   * computeFixes returns.
   */
  fixable?(data: FindingData | undefined, ctx: FixableContext): boolean;
}

export interface ComposeRule extends RuleBase {
  side: 'compose';
  check(ctx: ComposeRuleContext): RuleFinding[];
}

export interface NixRule extends RuleBase {
  side: 'nix';
  check(ctx: NixRuleContext): RuleFinding[];
  /** Severity override depending on context (e.g. error for driSupport on 24.11+). */
  severityFor?(finding: RuleFinding, ctx: NixRuleContext): Severity | undefined;
}

export type Rule = ComposeRule | NixRule;
