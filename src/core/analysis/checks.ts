/**
 * Stage 4 of the pipeline (pipeline.ts): running the rules — the compose rules per stack against its host's
 * configuration, the Nix rules per host against its stacks — and turning what they found into findings (severity
 * from the settings, the host named, what evaluation or an unreadable import changes about them). The incremental
 * analysis (incremental.ts) calls the same functions and keeps their results while their inputs are the same.
 */
import type { ComposeProject, ComposeService } from '../compose/model';
import { markEvaluated, ruleRunsOn } from '../evaluation';
import type { HostSnapshot } from '../host/model';
import type { NixConfiguration } from '../nix/model';
import { COMPOSE_RULES, INPUT_FINDINGS, NIX_RULES, type ComposeRule, type ComposeRuleContext, type NixRuleContext, type RuleFinding } from '../rules';
import { groupFindings } from '../rules/grouping';
import { qualifyByUnreadableImports } from '../rules/unreadableModules';
import { toFinding } from '../rules/toFinding';
import { FILE_START } from '../text';
import type { Finding } from '../types';
import type { Settings } from '../settings';
import type { FileSource } from './fileSource';
import { runRule, withEntryNote, withHost } from './findings';
import type { HostRef, Placement } from './types';

/** What the compose rules of one stack are checked against. */
export interface StackCheck {
  ctx: ComposeRuleContext;
  /** The stack's host; undefined when it has none (only the standalone rules run). */
  host: HostRef | undefined;
  /** How many configurations the workspace has (with several, findings say which one they were checked against). */
  entryCount: number;
  settings: Settings;
}

/** The context of a stack's compose rules. */
export function stackContext(project: ComposeProject, nix: NixConfiguration | undefined, snapshot: HostSnapshot | undefined, release: string, settings: Settings, source: FileSource): ComposeRuleContext {
  return { project, nix, snapshot, release, mountRoots: settings.mountRoots, fixTarget: settings.fixTarget, readText: (file) => source.readText(file) };
}

/** One service's findings from each per-service rule, indexed like COMPOSE_RULES (empty for the other rules). */
export function serviceChecks(service: ComposeService, check: StackCheck): Finding[][] {
  const { ctx } = check;
  return COMPOSE_RULES.map((rule) => {
    const { checkService } = rule;
    const findings: Finding[] = [];
    if (!checkService || !runsOn(rule, ctx.nix)) return findings;
    for (const found of runRule({ id: rule.id, check: (c: ComposeRuleContext) => checkService(service, c) }, ctx, ctx.project.file)) {
      const finding = stackFinding(rule, found, check);
      if (finding) findings.push(finding);
    }
    return findings;
  });
}

/**
 * What `stackChecks` made of each per-service rule's findings in one stack, by rule index: the services' lists it
 * read (the same arrays while a service is unchanged: the incremental analysis keeps them) and the findings it made
 * of them. Kept by the caller per stack; a keystroke in one service then neither flattens nor groups the other rules'
 * findings again.
 */
export type StackChecksMemo = Map<number, { lists: Finding[][]; findings: Finding[] }>;

/**
 * A stack's findings from its services' (`byService`, serviceChecks per service) and from the stack-wide rules.
 * `stackWide` includes the findings grouped from several services' (rules/grouping.ts). `memo`: the previous call's
 * per-service results for the same stack (see StackChecksMemo); a rule's are reused while every service's list of
 * its findings is the same array as then — flattening and grouping read nothing else.
 */
export function stackChecks(byService: readonly Finding[][][], check: StackCheck, memo?: StackChecksMemo): { perService: Finding[]; stackWide: Finding[] } {
  const { ctx } = check;
  const perService: Finding[] = [];
  const stackWide: Finding[] = [];
  COMPOSE_RULES.forEach((rule, index) => {
    if (!runsOn(rule, ctx.nix)) return;
    if (rule.checkService) {
      const lists = byService.map((byRule) => byRule[index] ?? NO_FINDINGS);
      const previous = memo?.get(index);
      let findings: Finding[];
      if (previous && sameLists(previous.lists, lists)) findings = previous.findings;
      else {
        const found = lists.flat();
        findings = rule.grouping ? groupFindings(rule.grouping, found) : found;
        memo?.set(index, { lists, findings });
      }
      (rule.grouping ? stackWide : perService).push(...findings);
      return;
    }
    for (const found of runRule(rule, ctx, ctx.project.file)) {
      const finding = stackFinding(rule, found, check);
      if (finding) stackWide.push(finding);
    }
  });
  return { perService, stackWide };
}

/**
 * The Nix rules' findings for one host: those of rules that do not read the stacks (`readsStacks` false: they
 * depend on the configuration, snapshot and release alone), or those of rules that do.
 */
export function hostChecks(ctx: NixRuleContext, host: HostRef, settings: Settings, readsStacks: boolean): Finding[] {
  const findings: Finding[] = [];
  const { nix } = ctx;
  for (const rule of NIX_RULES) {
    if (Boolean(rule.readsStacks) !== readsStacks || !ruleRunsOn(rule.id, nix)) continue;
    for (const found of runRule(rule, ctx, nix.entry)) {
      const finding = withHost(toFinding(rule, markEvaluated(rule.id, qualifyByUnreadableImports(rule.id, found, nix), nix), settings, rule.severityFor?.(found, ctx)), host);
      if (finding) findings.push(finding);
    }
  }
  return findings;
}

/** The one notice of a stack without a host ("host unknown", "not deployed"); undefined when it has one. */
export function placementNotice(project: ComposeProject, placement: Placement | undefined, settings: Settings): Finding | undefined {
  if (!placement || placement.kind === 'host' || placement.kind === 'no-configuration') return undefined;
  return placement.kind === 'unknown'
    ? toFinding(INPUT_FINDINGS.hostUnknown, { file: project.file, range: FILE_START, related: [], message: 'Host unknown: this stack was checked on its own, not against a NixOS configuration', explanation: `The host cannot be told: ${placement.reason}. The stack was checked on its own (variables, published ports).\n\nFix: set \`nixosHomelab.host\` or \`--host\` to the host it runs on.` }, settings)
    : toFinding(INPUT_FINDINGS.stackNotDeployed, { file: project.file, range: FILE_START, related: [], message: 'Not deployed: no host imports this stack and no unit starts it; it was checked on its own', explanation: 'The NixOS configuration deploys other stacks, but none imports or starts this one: it was checked on its own (variables, published ports).\n\nIf a host runs it, set `nixosHomelab.host` or `--host`.' }, settings);
}

const NO_FINDINGS: Finding[] = [];

function sameLists(a: readonly Finding[][], b: readonly Finding[][]): boolean {
  return a.length === b.length && a.every((list, index) => list === b[index]);
}

function stackFinding(rule: ComposeRule, found: RuleFinding, check: StackCheck): Finding | undefined {
  const { nix } = check.ctx;
  return withHost(toFinding(rule, markEvaluated(rule.id, qualifyByUnreadableImports(rule.id, withEntryNote(found, nix, check.entryCount, check.host), nix), nix), check.settings), check.host);
}

/**
 * Whether a compose rule runs for a stack: every rule when the stack has a NixOS configuration; without one only the
 * standalone rules — checked against nothing, the others would report everything as missing.
 */
function runsOn(rule: ComposeRule, nix: NixConfiguration | undefined): boolean {
  return (nix !== undefined && ruleRunsOn(rule.id, nix)) || rule.standalone === true;
}
