import type { ComposeProject, ComposeService } from '../compose/model';
import type { HostSnapshot } from '../host/model';
import type { NixConfiguration } from '../nix/model';
import type { Range } from '../text';
import type { FindingData, RelatedInformation, Severity } from '../types';

/** What a rule reports; the runner adds the severity (from settings) and the rule id. */
export interface RuleFinding {
  file: string;
  range: Range;
  /** One plain-text headline: what and where, ~120 characters at most, no Markdown (values in plain quotes). */
  message: string;
  /** Why it matters on NixOS, what breaks for whom, the fix (Markdown); see Finding.explanation. */
  explanation?: string;
  related: RelatedInformation[];
  data?: FindingData;
  /**
   * This finding's severity when it differs from the rule's default (a variable provided at deploy time is worth
   * information, one provided nowhere a warning). A severity the user configured for the rule still wins.
   */
  severity?: Severity;
}

/** Everything a compose-side rule may look at for one stack. */
export interface ComposeRuleContext {
  project: ComposeProject;
  /** The NixOS configuration this stack is checked against (undefined: no Nix module found). */
  nix: NixConfiguration | undefined;
  snapshot: HostSnapshot | undefined;
  release: string;
  mountRoots: string[];
  /** Where quick fixes write new settings (`nixosHomelab.fixTarget`; default "entry"): related information points there. */
  fixTarget?: 'entry' | 'module';
  /**
   * Reads a repository file the configuration names (a sops dotenv file, a unit's `--env-file ./x.env`), for the rules
   * that follow such references. Undefined: such files are not read.
   */
  readText?(file: string): string | undefined;
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

/** What a per-service rule may look at: the stack's context without the project, so nothing else of it can matter. */
export type ServiceRuleContext = Omit<ComposeRuleContext, 'project'>;

export interface ComposeRule extends RuleBase {
  side: 'compose';
  /**
   * The rule reads the compose files alone (`${VAR}` resolution, published ports) and runs when no NixOS
   * configuration is known. Every other compose rule compares the stack with a configuration and is skipped without
   * one: checked against nothing, it would report everything as missing.
   */
  standalone?: boolean;
  /**
   * Findings of one stack that a person counts as one problem (the same PUID in nine services): the same key makes
   * them one finding at the first, whose related information lists the others (`message` labels each). Undefined
   * keeps a finding on its own.
   */
  grouping?: {
    key(finding: RuleFinding): string | undefined;
    /** The related-information text for another location of the same problem. */
    related(finding: RuleFinding): string;
    /** Appended to the first finding's message: `others` are the grouped ones after it. */
    note(others: RuleFinding[]): string;
  };
  check(ctx: ComposeRuleContext): RuleFinding[];
  /**
   * Present on rules whose every finding comes from one service and nothing else of the project (`perService`):
   * `check` is this, service by service, and a runner may keep a service's findings while the service and the rest of
   * the context are the same objects (the language server re-checks only the service being edited).
   */
  checkService?(service: ComposeService, ctx: ServiceRuleContext): RuleFinding[];
}

/** A compose rule checked one service at a time; `check` runs it on each of the project's services in order. */
export function perService(rule: Omit<ComposeRule, 'check' | 'checkService'> & { checkService(service: ComposeService, ctx: ServiceRuleContext): RuleFinding[] }): ComposeRule {
  return { ...rule, check: (ctx) => ctx.project.services.flatMap((service) => rule.checkService(service, ctx)) };
}

export interface NixRule extends RuleBase {
  side: 'nix';
  /**
   * Whether `check` reads `ctx.projects`. The other rules are given no stacks, so their findings are kept while only
   * compose files change (a keystroke in a compose file does not re-check the configuration).
   */
  readsStacks?: boolean;
  check(ctx: NixRuleContext): RuleFinding[];
  /** Severity override depending on context (e.g. error for driSupport on 24.11+). */
  severityFor?(finding: RuleFinding, ctx: NixRuleContext): Severity | undefined;
}

export type Rule = ComposeRule | NixRule;
