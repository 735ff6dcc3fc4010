import * as path from 'node:path';
import { ComposeParseCache, loadComposeProject } from './compose';
import type { ComposeProject, ComposeService } from './compose/model';
import { discoverFiles, type DiscoveredFiles } from './discovery';
import type { DiskHost } from './fileHost';
import type { HostSnapshot } from './host/model';
import { createRecordingHost, readsStillHold, type ReadRecord } from './hostLayers';
import { loadNixConfiguration, NixIncrementalParser, parseNix, type NixTreeStore } from './nix';
import type { NixConfiguration } from './nix/model';
import type { NixSyntaxTree } from './nix/syntaxTree';
import { COMPOSE_RULES, INPUT_FINDINGS, NIX_RULES, type ComposeRule, type ComposeRuleContext } from './rules';
import { evaluationFindings, markEvaluated, mergeEvaluation, type HostEvaluation } from './evaluation';
import { groupFindings } from './rules/grouping';
import { qualifyByUnreadableImports, unreadableImportMessage } from './rules/unreadableModules';
import { loadHostConfiguration } from './hostConfiguration';
import { findHosts, hostKey, withoutImportedHosts, type HostRef, type NixosHost } from './nixosHosts';
import { hostRef, matchHost, placeStacks, type Placement } from './stackPlacement';
import { problemText, splitMessage } from './messages';
import { FILE_START } from './text';
import type { Finding } from './types';
import {
  dedupeFindings,
  detectRelease,
  loadWorkspaceSnapshot,
  runRule,
  sameFinding,
  sortFindings,
  stackMainFiles,
  toFinding,
  withEntryNote,
  type WorkspaceAnalysis,
  type WorkspaceOptions,
} from './workspace';

/** An analysis plus its findings grouped by file (each list sorted and deduplicated like `findings`). */
export interface IncrementalAnalysis extends WorkspaceAnalysis {
  /**
   * Findings per file. A file's list is the very same array as in the previous run when nothing that reports on it
   * changed, so callers can skip unchanged files by identity.
   */
  findingsByFile: ReadonlyMap<string, Finding[]>;
}

/**
 * The workspace analysis of workspace.ts, kept warm between runs: the language server calls `analyse()` on every
 * keystroke, and only what read a changed text is recomputed.
 *
 * - Every expensive step (snapshot, each Nix configuration, each compose project) runs through a recording host;
 *   its result is reused while every text it read is still the same (the host decides what "current" is: disk
 *   cache plus open buffers in the server).
 * - Rule findings are reused while their inputs are the very same objects.
 * - Nix files are re-parsed incrementally (tree-sitter keeps the previous tree per file); compose files being edited
 *   are re-parsed one block (service) at a time (ComposeParseCache).
 * - The file list is discovered once, until `invalidateDiscovery()` (a file was created or deleted).
 */
/**
 * The whole analysis, once: files → models → rules → findings (the CLI's path; the language server keeps an
 * AnalysisCache warm instead). Nix parsing must be initialised (initNixParser) first.
 */
export function analyseWorkspace(options: WorkspaceOptions, host: DiskHost, files?: DiscoveredFiles): WorkspaceAnalysis {
  return new AnalysisCache(options, host, files).analyse();
}

/** A stack whose findings are final before the rest of the workspace is read (see analyseInSteps). */
export interface StackFindings {
  project: ComposeProject;
  /**
   * Its parse problems and rule findings by file, each file's sorted and deduplicated as in the whole analysis;
   * files of the stack with no finding are not listed.
   */
  findingsByFile: Map<string, Finding[]>;
  /** Whether a NixOS configuration was found (fixes can be offered). */
  hasConfiguration: boolean;
}

export class AnalysisCache {
  private files: DiscoveredFiles | undefined;
  private snapshotEntry: { record: ReadRecord; snapshot: HostSnapshot | undefined; findings: Finding[] } | undefined;
  /** By host (hostKey): hosts made of the same modules share one configuration. */
  private readonly configurations = new Map<string, { record: ReadRecord; configuration: NixConfiguration; findings: Finding[]; evaluation?: HostEvaluation }>();
  private readonly projects = new Map<string, { record: ReadRecord; project: ComposeProject | undefined; findings: Finding[] }>();
  private readonly composeFindings = new Map<string, { inputs: unknown[]; findings: Finding[] }>();
  private readonly serviceFindings = new WeakMap<ComposeService, { inputs: unknown[]; byRule: Finding[][] }>();
  private readonly interned = new FindingInterner();
  private readonly nixFindings = new Map<string, { inputs: unknown[]; findings: Finding[] }>();
  private readonly parsers = new Map<string, { parser: NixIncrementalParser | undefined; text: string; tree: NixSyntaxTree }>();
  private readonly mergedByFile = new Map<string, { parts: Finding[][]; merged: Finding[] }>();
  private readonly composeParses = new ComposeParseCache();
  /** Stack main files for one discovery (plus the open unsaved compose files): walking the folders again is what changes them. */
  private mainFiles: { files: DiscoveredFiles; extra: string; mains: string[] } | undefined;
  /** Each stack's host, for one set of configurations and stacks. */
  private placementsOf: { inputs: unknown[]; placements: Map<string, Placement> } | undefined;
  private last: IncrementalAnalysis | undefined;

  constructor(
    readonly options: WorkspaceOptions,
    private readonly host: DiskHost,
    files?: DiscoveredFiles,
    /** Syntax trees kept from earlier runs of the program (the language server's), by text. */
    private readonly nixTrees?: NixTreeStore,
  ) {
    this.files = files;
  }

  /** A compose, configuration or flake file appeared or vanished: walk the folders again on the next run. */
  invalidateDiscovery(): void {
    this.files = undefined;
    this.mainFiles = undefined;
  }

  /** The most recent analysis, if any. */
  get current(): IncrementalAnalysis | undefined {
    return this.last;
  }

  /**
   * Analyses the workspace, reusing whatever is still valid. `extraComposeFiles` are compose files the walk did not
   * find (an open editor buffer not saved yet); they are analysed like the others.
   */
  analyse(extraComposeFiles: readonly string[] = []): IncrementalAnalysis {
    const steps = this.steps(extraComposeFiles, [], false);
    for (;;) {
      const next = steps.next();
      if (next.done) return next.value;
    }
  }

  /**
   * The same analysis, one expensive step at a time, for a caller that wants to stay responsive while a cold
   * workspace is indexed. After the Nix configurations, each stack is loaded and checked in turn (stacks of
   * `prioritized` files first); a stack whose findings are final already — it includes and extends no other file —
   * is yielded with them, so they can be shown before the rest of the workspace is read. The generator's return
   * value is what `analyse()` returns. Every yield leaves the cache consistent: `analyse()` may run in between.
   */
  analyseInSteps(extraComposeFiles: readonly string[] = [], prioritized: readonly string[] = []): Generator<StackFindings | undefined, IncrementalAnalysis> {
    return this.steps(extraComposeFiles, prioritized, true);
  }

  /** The analysis's steps; a stack's findings are merged for the caller only when it asks for them (`withStacks`). */
  private *steps(extraComposeFiles: readonly string[], prioritized: readonly string[], withStacks: boolean): Generator<StackFindings | undefined, IncrementalAnalysis> {
    const { options, host } = this;
    const { settings } = options;
    const base = path.resolve(options.roots[0] ?? '.');
    this.files ??= discoverFiles(options.roots);
    const files = this.files;
    const composeFiles = [...files.composeFiles];
    for (const file of extraComposeFiles) if (!composeFiles.includes(file)) composeFiles.push(file);

    const { release, source: releaseSource } = detectRelease(files, options, host);
    const { snapshot, findings: snapshotFindings } = this.snapshot();
    // Each cached step contributes its own (reused) list; lists are merged per file at the end.
    const parts: Finding[][] = [snapshotFindings];

    const chosen = options.host ? { name: options.host, via: '--host' as const } : settings.host ? { name: settings.host, via: 'nixosHomelab.host' as const } : undefined;
    const candidates = workspaceHosts(files, options, host, chosen?.name, base);
    const byKey = new Map<string, NixConfiguration>();
    const configurationFindings = new Map<string, Finding[]>();
    for (const candidate of candidates) {
      const key = hostKey(candidate);
      if (byKey.has(key)) continue;
      const loaded = this.configuration(candidate);
      byKey.set(key, loaded.configuration);
      configurationFindings.set(key, loaded.findings);
      yield undefined;
    }
    // A configuration.nix that another host imports is a shared module, not a host.
    const hosts = withoutImportedHosts(candidates, (candidate) => byKey.get(hostKey(candidate))?.files ?? []);
    const configurations = new Map<string, NixConfiguration>();
    const hostOfKey = new Map<string, NixosHost>();
    for (const kept of hosts) {
      const key = hostKey(kept);
      const configuration = byKey.get(key);
      if (!configuration || configurations.has(key)) continue;
      configurations.set(key, configuration);
      hostOfKey.set(key, kept);
      parts.push(configurationFindings.get(key) ?? []);
    }
    for (const stale of [...this.configurations.keys()]) {
      if (byKey.has(stale)) continue;
      this.configurations.delete(stale);
      for (const key of nixRuleKeys(stale)) {
        this.nixFindings.delete(key);
        this.interned.forget(key);
      }
    }
    const placedHosts = [...hostOfKey.values()];

    const extra = extraComposeFiles.join('\n');
    if (this.mainFiles?.files !== files || this.mainFiles.extra !== extra) this.mainFiles = { files, extra, mains: stackMainFiles(composeFiles, host) };
    const mains = this.mainFiles.mains;
    const placementInputs = [mains, chosen?.name, chosen?.via, JSON.stringify(settings.hosts), ...configurations.values()];
    if (!this.placementsOf || !sameInputs(this.placementsOf.inputs, placementInputs)) {
      const placements = placeStacks(mains, placedHosts, (placed) => configurations.get(hostKey(placed)), { chosen, folderMap: settings.hosts, base });
      this.placementsOf = { inputs: placementInputs, placements };
    }
    const placements = this.placementsOf.placements;
    const placedHost = (file: string): NixosHost | undefined => {
      const placement = placements.get(file);
      return placement?.kind === 'host' ? placement.host : undefined;
    };
    const composeFindings = (project: ComposeProject): Finding[] => {
      const placed = placedHost(project.file);
      const nix = placed ? configurations.get(hostKey(placed)) : undefined;
      const rules = this.composeRuleFindings(project, nix, placed ? hostRef(placed) : undefined, snapshot, release, configurations.size);
      const notice = this.placementFinding(project, placements.get(project.file));
      return notice ? [...rules, notice] : rules;
    };

    const loadedProjects: ComposeProject[] = [];
    const loadedFindings: Finding[][] = [];
    const seenProjects = new Set<string>();
    const first = new Set(prioritized.map((file) => path.dirname(file)));
    const ordered = first.size === 0 ? mains : [...mains].sort((a, b) => Number(first.has(path.dirname(b))) - Number(first.has(path.dirname(a))));
    for (const file of ordered) {
      seenProjects.add(file);
      const loaded = this.project(file);
      loadedFindings.push(loaded.findings);
      if (!loaded.project) {
        yield undefined;
        continue;
      }
      loadedProjects.push(loaded.project);
      // A stack made of its own file (and override) alone cannot change when the other stacks are read.
      const standsAlone = loaded.project.files.every((member) => path.dirname(member) === loaded.project?.dir);
      if (!withStacks || !standsAlone) {
        yield undefined;
        continue;
      }
      const findingsByFile = new Map<string, Finding[]>();
      for (const [file, list] of groupByFile([...loaded.findings, ...composeFindings(loaded.project)])) findingsByFile.set(file, mergedFileFindings(list));
      yield { project: loaded.project, findingsByFile, hasConfiguration: configurations.size > 0 };
    }
    parts.push(...loadedFindings);
    // A file another stack `include`s or `extends` is part of that stack, not a stack of its own.
    const partOfAnother = new Set(loadedProjects.flatMap((project) => project.files.filter((file) => file !== project.file)));
    const projects = loadedProjects.filter((project) => !partOfAnother.has(project.file));
    const entryForProject = new Map<string, string>();
    for (const project of projects) {
      const placed = placedHost(project.file);
      if (placed) entryForProject.set(project.file, placed.entry);
      parts.push(composeFindings(project));
    }
    for (const stale of [...this.projects.keys()]) {
      if (!seenProjects.has(stale)) {
        this.projects.delete(stale);
        this.composeFindings.delete(stale);
        this.interned.forget(stale);
      }
    }

    for (const [key, nix] of configurations) {
      const placed = hostOfKey.get(key) as NixosHost;
      // Placements are kept between runs while their inputs hold: compare hosts by their modules, not by object.
      const hostProjects = projects.filter((p) => {
        const of = placedHost(p.file);
        return of !== undefined && hostKey(of) === key;
      });
      parts.push(...this.nixRuleFindings(key, hostRef(placed), nix, hostProjects, snapshot, release));
    }

    const findingsByFile = this.mergeByFile(parts);
    let flat: Finding[] | undefined;
    this.last = {
      projects,
      configurations: [...configurations.values()],
      hosts: placedHosts,
      placements,
      entryForProject,
      snapshot,
      release,
      releaseSource,
      // Built on demand: the language server reads findingsByFile and never pays for the global list.
      get findings(): Finding[] {
        flat ??= [...findingsByFile.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).flatMap((file) => findingsByFile.get(file) ?? []);
        return flat;
      },
      findingsByFile,
      files: { ...files, composeFiles },
    };
    return this.last;
  }

  /**
   * Groups every part's findings by file and sorts/deduplicates each file's list — only for files whose
   * contributing lists changed. Per-file sorting equals workspace.ts's global sort: it orders by file first.
   */
  private mergeByFile(parts: Finding[][]): Map<string, Finding[]> {
    const partsByFile = new Map<string, Finding[][]>();
    for (const part of parts) {
      for (const [file, list] of groupByFile(part)) {
        const known = partsByFile.get(file);
        if (known) known.push(list);
        else partsByFile.set(file, [list]);
      }
    }
    const result = new Map<string, Finding[]>();
    for (const [file, fileParts] of partsByFile) {
      const cached = this.mergedByFile.get(file);
      if (cached && sameInputs(cached.parts, fileParts)) {
        result.set(file, cached.merged);
        continue;
      }
      const merged = mergedFileFindings(fileParts.flat());
      this.mergedByFile.set(file, { parts: fileParts, merged });
      result.set(file, merged);
    }
    for (const file of [...this.mergedByFile.keys()]) if (!partsByFile.has(file)) this.mergedByFile.delete(file);
    return result;
  }

  /** Frees the parse trees held for incremental parsing. */
  dispose(): void {
    for (const { parser } of this.parsers.values()) parser?.dispose();
    this.parsers.clear();
    this.composeParses.clear();
  }

  private snapshot(): { snapshot: HostSnapshot | undefined; findings: Finding[] } {
    if (this.snapshotEntry && readsStillHold(this.snapshotEntry.record, this.host)) return this.snapshotEntry;
    const { host, record } = createRecordingHost(this.host);
    const loaded = loadWorkspaceSnapshot(this.options, host);
    this.snapshotEntry = { record, snapshot: loaded.snapshot, findings: loaded.findings };
    return this.snapshotEntry;
  }

  private configuration(nixosHost: NixosHost): { configuration: NixConfiguration; findings: Finding[] } {
    const key = hostKey(nixosHost);
    const cached = this.configurations.get(key);
    // What Nix evaluated for the host (evaluation/merge.ts) replaces the static guesses for what it projects.
    const evaluation = this.options.evaluations?.get(key);
    if (cached && cached.evaluation === evaluation && readsStillHold(cached.record, this.host)) return cached;
    const { host, record } = createRecordingHost(this.host);
    const read = loadHostConfiguration(nixosHost, host, { parse: this.parseNixFile });
    const configuration = evaluation ? mergeEvaluation(read, evaluation) : read;
    const findings: Finding[] = [];
    for (const problem of configuration.problems) {
      const finding = toFinding(INPUT_FINDINGS.nixParseError, { ...problem, ...problemText(problem), related: [] }, this.options.settings);
      if (finding) findings.push(finding);
    }
    for (const unreadable of configuration.unreadableImports) {
      const text = unreadableImportMessage(unreadable);
      if (text === undefined) continue;
      const finding = toFinding(INPUT_FINDINGS.nixImportUnreadable, { file: unreadable.loc.file, range: unreadable.loc.range, ...text, related: [], data: { written: unreadable.written, kind: unreadable.kind } }, this.options.settings);
      if (finding) findings.push(finding);
    }
    findings.push(...evaluationFindings(configuration, this.options.settings));
    const loaded = { record, configuration, findings, ...(evaluation ? { evaluation } : {}) };
    this.configurations.set(key, loaded);
    return loaded;
  }

  /**
   * Parses a Nix file, reusing the tree while its text is unchanged. Only a file that has changed once (one being
   * edited) gets an incremental parser: keeping a tree-sitter tree for every imported module would cost memory for
   * files that are never edited.
   */
  private readonly parseNixFile = (file: string, text: string): NixSyntaxTree => {
    const cached = this.parsers.get(file);
    if (cached?.text === text) return cached.tree;
    if (!cached) {
      let tree = this.nixTrees?.get(text);
      if (!tree) {
        tree = parseNix(text);
        this.nixTrees?.put(text, tree);
      }
      this.parsers.set(file, { parser: undefined, text, tree });
      return tree;
    }
    const parser = cached.parser ?? new NixIncrementalParser();
    const tree = parser.parse(text);
    this.parsers.set(file, { parser, text, tree });
    return tree;
  };

  private project(file: string): { project: ComposeProject | undefined; findings: Finding[] } {
    const cached = this.projects.get(file);
    if (cached && readsStillHold(cached.record, this.host)) return cached;
    const { host, record } = createRecordingHost(this.host);
    const findings: Finding[] = [];
    let project: ComposeProject | undefined;
    if (host.readText(file) === undefined) {
      const message = `${path.basename(file)} ${this.host.readFailure(file) ?? 'cannot be read'}`;
      const finding = toFinding(INPUT_FINDINGS.composeParseError, { file, range: FILE_START, ...splitMessage(message), related: [] }, this.options.settings);
      if (finding) findings.push(finding);
    } else {
      project = loadComposeProject(file, host, { parseCache: this.composeParses });
      for (const problem of project.problems) {
        const finding = toFinding(INPUT_FINDINGS.composeParseError, { ...problem, ...problemText(problem), related: [] }, this.options.settings);
        if (finding) findings.push(finding);
      }
    }
    const loaded = { record, project, findings };
    this.projects.set(file, loaded);
    return loaded;
  }

  /** The one notice of a stack without a host ("host unknown", "not deployed"); undefined when it has one. */
  private placementFinding(project: ComposeProject, placement: Placement | undefined): Finding | undefined {
    if (!placement || placement.kind === 'host' || placement.kind === 'no-configuration') return undefined;
    const key = `placement\0${project.file}`;
    const found = placement.kind === 'unknown'
      ? toFinding(INPUT_FINDINGS.hostUnknown, { file: project.file, range: FILE_START, related: [], message: 'Host unknown: this stack was checked on its own, not against a NixOS configuration', explanation: `The host cannot be told: ${placement.reason}. The stack was checked on its own (variables, published ports).\n\nFix: set \`nixosHomelab.host\` or \`--host\` to the host it runs on.` }, this.options.settings)
      : toFinding(INPUT_FINDINGS.stackNotDeployed, { file: project.file, range: FILE_START, related: [], message: 'Not deployed: no host imports this stack and no unit starts it; it was checked on its own', explanation: 'The NixOS configuration deploys other stacks, but none imports or starts this one: it was checked on its own (variables, published ports).\n\nIf a host runs it, set `nixosHomelab.host` or `--host`.' }, this.options.settings);
    return found ? this.interned.intern(key, [found])[0] : undefined;
  }

  private composeRuleFindings(project: ComposeProject, nix: NixConfiguration | undefined, host: HostRef | undefined, snapshot: HostSnapshot | undefined, release: string, entryCount: number): Finding[] {
    const inputs = [project, nix, host?.name, host?.entry, snapshot, release, entryCount];
    const cached = this.composeFindings.get(project.file);
    if (cached && sameInputs(cached.inputs, inputs)) return cached.findings;
    const { settings } = this.options;
    const ctx: ComposeRuleContext = { project, nix, snapshot, release, mountRoots: settings.mountRoots, fixTarget: settings.fixTarget, readText: (file) => this.host.readText(file) };
    const byService = project.services.map((service) => this.serviceRuleFindings(service, ctx, host, entryCount));
    const findings: Finding[] = [];
    const stackWide: Finding[] = [];
    COMPOSE_RULES.forEach((rule, index) => {
      if (!runsOn(rule, nix)) return;
      if (rule.checkService) {
        const perService = byService.flatMap((byRule) => byRule[index] ?? []);
        // A grouped finding is rebuilt from its services' findings: interned with the stack-wide ones below.
        if (rule.grouping) stackWide.push(...groupFindings(rule.grouping, perService));
        else findings.push(...perService);
        return;
      }
      for (const found of runRule(rule, ctx, project.file)) {
        const finding = withHost(toFinding(rule, markEvaluated(rule.id, qualifyByUnreadableImports(rule.id, withEntryNote(found, nix, entryCount, host), nix), nix), settings), host);
        if (finding) stackWide.push(finding);
      }
    });
    // The stack-wide rules ran again: their findings that did not change are the same objects as last time.
    findings.push(...this.interned.intern(project.file, stackWide));
    this.composeFindings.set(project.file, { inputs, findings });
    return findings;
  }

  /**
   * One service's findings from each per-service rule (indexed like COMPOSE_RULES), kept while the service is the
   * same object (its text is unchanged: ComposeParseCache, loadProject) and so is the rest of the context — an
   * edit re-checks the edited service only, and the other findings stay the same objects down to the publish.
   */
  private serviceRuleFindings(service: ComposeService, ctx: ComposeRuleContext, host: HostRef | undefined, entryCount: number): Finding[][] {
    const inputs = [ctx.project.file, ctx.nix, host?.name, host?.entry, ctx.snapshot, ctx.release, entryCount];
    const cached = this.serviceFindings.get(service);
    if (cached && sameInputs(cached.inputs, inputs)) return cached.byRule;
    const { settings } = this.options;
    const byRule = COMPOSE_RULES.map((rule) => {
      const { checkService } = rule;
      const findings: Finding[] = [];
      if (!checkService || !runsOn(rule, ctx.nix)) return findings;
      for (const found of runRule({ id: rule.id, check: (c: ComposeRuleContext) => checkService(service, c) }, ctx, ctx.project.file)) {
        const finding = withHost(toFinding(rule, markEvaluated(rule.id, qualifyByUnreadableImports(rule.id, withEntryNote(found, ctx.nix, entryCount, host), ctx.nix), ctx.nix), settings), host);
        if (finding) findings.push(finding);
      }
      return findings;
    });
    this.serviceFindings.set(service, { inputs, byRule });
    return byRule;
  }

  /**
   * The Nix rules' findings as two parts: those of rules that do not read the stacks, kept while the configuration,
   * snapshot and release stay the same (editing a compose file does not re-run them), and those of rules that do.
   */
  private nixRuleFindings(configurationKey: string, host: HostRef, nix: NixConfiguration, projects: ComposeProject[], snapshot: HostSnapshot | undefined, release: string): Finding[][] {
    const { settings } = this.options;
    const entry = nix.entry;
    const [ownKey, stacksKey] = nixRuleKeys(configurationKey);
    const run = (readsStacks: boolean, inputs: unknown[]): Finding[] => {
      const key = readsStacks ? stacksKey : ownKey;
      const cached = this.nixFindings.get(key);
      if (cached && sameInputs(cached.inputs, inputs)) return cached.findings;
      const ctx = { nix, projects: readsStacks ? projects : [], snapshot, release, mountRoots: settings.mountRoots };
      const findings: Finding[] = [];
      for (const rule of NIX_RULES) {
        if (Boolean(rule.readsStacks) !== readsStacks) continue;
        for (const found of runRule(rule, ctx, entry)) {
          const finding = withHost(toFinding(rule, markEvaluated(rule.id, qualifyByUnreadableImports(rule.id, found, nix), nix), settings, rule.severityFor?.(found, ctx)), host);
          if (finding) findings.push(finding);
        }
      }
      const kept = this.interned.intern(key, findings);
      this.nixFindings.set(key, { inputs, findings: kept });
      return kept;
    };
    return [run(false, [nix, snapshot, release, host.name]), run(true, [nix, snapshot, release, host.name, ...projects])];
  }
}

/** The finding, naming the host it was checked against. */
function withHost(finding: Finding | undefined, host: HostRef | undefined): Finding | undefined {
  if (finding && host) finding.host = host;
  return finding;
}

/**
 * The workspace's candidate hosts (nixosHosts.ts); a `--host`/setting value that is the path of a module no host
 * reads is a host of its own (the user named its entry module).
 */
function workspaceHosts(files: DiscoveredFiles, options: WorkspaceOptions, disk: DiskHost, chosen: string | undefined, base: string): NixosHost[] {
  const explicit = options.nixFiles?.length ? options.nixFiles : options.settings.nixosConfiguration;
  const hosts = findHosts(files, options.roots, explicit, disk);
  if (chosen && !matchHost(chosen, hosts, base) && chosen.endsWith('.nix') && disk.exists(path.resolve(base, chosen))) {
    hosts.push(...findHosts(files, options.roots, [chosen], disk));
  }
  return hosts;
}

/**
 * Whether a compose rule runs for a stack: every rule when the stack has a NixOS configuration; without one only the
 * standalone rules — checked against nothing, the others would report everything as missing.
 */
function runsOn(rule: ComposeRule, nix: NixConfiguration | undefined): boolean {
  return nix !== undefined || rule.standalone === true;
}

/** The cache keys of an entry's Nix-rule findings: rules that do not read the stacks, rules that do. */
function nixRuleKeys(entry: string): [string, string] {
  return [`own\0${entry}`, `stacks\0${entry}`];
}

/**
 * The findings a step produced in its last run, so that a finding equal to one of them is that same object again:
 * everything after the rules (merging, diagnostics and their JSON) is cached per finding object. For steps that
 * re-run whenever any of their inputs changes (stack-wide rules, Nix rules that read the stacks).
 */
class FindingInterner {
  private readonly last = new Map<string, Map<string, Finding[]>>();

  intern(scope: string, findings: Finding[]): Finding[] {
    const previous = this.last.get(scope);
    const current = new Map<string, Finding[]>();
    const kept = findings.map((finding) => {
      const at = `${finding.code}|${finding.range.start.line}:${finding.range.start.character}|${finding.file}`;
      const same = previous?.get(at)?.find((old) => sameFinding(old, finding)) ?? finding;
      const list = current.get(at);
      if (list) list.push(same);
      else current.set(at, [same]);
      return same;
    });
    this.last.set(scope, current);
    return kept;
  }

  forget(scope: string): void {
    this.last.delete(scope);
  }
}

const groupedParts = new WeakMap<Finding[], Map<string, Finding[]>>();

/** A part's findings by file, computed once per (immutable, reused) part list. */
/** One file's findings as an analysis lists them: deduplicated and sorted. */
function mergedFileFindings(findings: Finding[]): Finding[] {
  return sortFindings(dedupeFindings(findings));
}

function groupByFile(part: Finding[]): Map<string, Finding[]> {
  let grouped = groupedParts.get(part);
  if (!grouped) {
    grouped = new Map();
    for (const finding of part) {
      const list = grouped.get(finding.file);
      if (list) list.push(finding);
      else grouped.set(finding.file, [finding]);
    }
    groupedParts.set(part, grouped);
  }
  return grouped;
}

function sameInputs(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}
