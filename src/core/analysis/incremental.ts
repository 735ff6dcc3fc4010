import * as path from 'node:path';
import { ComposeParseCache } from '../compose';
import { readDeployEnv, type DeployEnvEvidence } from '../compose/deployEnv';
import type { ComposeProject, ComposeService } from '../compose/model';
import type { HostSnapshot } from '../host/model';
import { NixIncrementalParser, parseNix, type NixTreeStore } from '../nix';
import type { NixConfiguration } from '../nix/model';
import type { NixSyntaxTree } from '../nix/syntaxTree';
import type { Finding } from '../types';
import { hostChecks, placementNotice, serviceChecks, stackChecks, stackContext, type StackCheck, type StackChecksMemo } from './checks';
import { discoverFiles } from './discovery';
import type { FileSource } from './fileSource';
import { createRecordingSource, readsStillHold, type ReadRecord } from './fileLayers';
import { mergedFileFindings, sameFinding } from './findings';
import { candidateHosts, chosenHost, withOpenFiles } from './inputs';
import { readConfiguration, readStack, unimportedNixErrors, unimportedNixFiles } from './models';
import { hostKey, withoutImportedHosts } from './nixosHosts';
import { detectRelease } from './release';
import { loadWorkspaceSnapshot } from './snapshot';
import { stackMainFiles } from './stackFiles';
import { hostRef, placeStacks } from './stackPlacement';
import type { DiscoveredFiles, HostRef, NixosHost, Placement, WorkspaceAnalysis, WorkspaceOptions } from './types';

/** An analysis plus its findings grouped by file (each list sorted and deduplicated like `findings`). */
export interface IncrementalAnalysis extends WorkspaceAnalysis {
  /**
   * Findings per file. A file's list is the very same array as in the previous run when nothing that reports on it
   * changed, so callers can skip unchanged files by identity.
   */
  findingsByFile: ReadonlyMap<string, Finding[]>;
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

/**
 * The pipeline of pipeline.ts, kept warm between runs: the language server calls `analyse()` on every keystroke,
 * and only what read a changed text is recomputed. The stages are the same functions (inputs.ts, models.ts,
 * checks.ts); this class only decides when a stage's last result still holds.
 *
 * - Every expensive read (snapshot, each Nix configuration, each compose project) runs through a recording file
 *   source; its result is reused while every text it read is still the same (the source decides what "current"
 *   is: disk cache plus open buffers in the server).
 * - Rule findings are reused while their inputs are the very same objects.
 * - Nix files are re-parsed incrementally (tree-sitter keeps the previous tree per file); compose files being edited
 *   are re-parsed one block (service) at a time (ComposeParseCache).
 * - The file list is discovered once, until `invalidateDiscovery()` (a file was created or deleted).
 */
export class AnalysisCache {
  private discovered: DiscoveredFiles | undefined;
  private snapshotEntry: { record: ReadRecord; snapshot: HostSnapshot | undefined; findings: Finding[] } | undefined;
  /** By host (hostKey): hosts made of the same modules share one configuration. */
  private readonly configurations = new Map<string, { record: ReadRecord; configuration: NixConfiguration; findings: Finding[]; evaluation?: unknown }>();
  private readonly projects = new Map<string, { record: ReadRecord; project: ComposeProject | undefined; findings: Finding[] }>();
  private readonly composeFindings = new Map<string, { inputs: unknown[]; findings: Finding[] }>();
  /** Per stack: its per-service rules' findings as flattened and grouped from its services' (checks.ts). */
  private readonly stackMemos = new Map<string, StackChecksMemo>();
  private readonly serviceFindings = new WeakMap<ComposeService, { inputs: unknown[]; byRule: Finding[][] }>();
  /** Per stack, per service name: the lists serviceRuleFindings returned last (a re-checked service keeps those that did not change). */
  private readonly lastServiceLists = new Map<string, Map<string, Finding[][]>>();
  private readonly interned = new FindingInterner();
  private readonly nixFindings = new Map<string, { inputs: unknown[]; findings: Finding[] }>();
  /** The syntax errors of each .nix file no configuration reads, by its text. */
  private readonly unimported = new Map<string, { text: string | undefined; findings: Finding[] }>();
  private readonly parsers = new Map<string, { parser: NixIncrementalParser | undefined; text: string; tree: NixSyntaxTree }>();
  private readonly mergedByFile = new Map<string, { parts: Finding[][]; merged: Finding[] }>();
  private readonly composeParses = new ComposeParseCache();
  private readonly deployEnvs = new Map<string, { record: ReadRecord; evidence: DeployEnvEvidence }>();
  /** The files and stack main files for one discovery plus the open files it did not find: walking the folders again is what changes them. */
  private inputFiles: { discovered: DiscoveredFiles; open: string; files: DiscoveredFiles; mains: string[] } | undefined;
  /** Each stack's host, for one set of configurations and stacks. */
  private placementsOf: { inputs: unknown[]; placements: Map<string, Placement> } | undefined;
  private last: IncrementalAnalysis | undefined;

  constructor(
    readonly options: WorkspaceOptions,
    private readonly source: FileSource,
    files?: DiscoveredFiles,
    /** Syntax trees kept from earlier runs of the program (the language server's), by text. */
    private readonly nixTrees?: NixTreeStore,
  ) {
    this.discovered = files;
  }

  /** A compose, configuration or flake file appeared or vanished: walk the folders again on the next run. */
  invalidateDiscovery(): void {
    this.discovered = undefined;
    this.inputFiles = undefined;
  }

  /** The most recent analysis, if any. */
  get current(): IncrementalAnalysis | undefined {
    return this.last;
  }

  /**
   * Analyses the workspace, reusing whatever is still valid. `openFiles` are the editor's open files: those the walk
   * did not find (a buffer not saved yet) are analysed like the others (inputs.ts `withOpenFiles`).
   */
  analyse(openFiles: readonly string[] = []): IncrementalAnalysis {
    const steps = this.steps(openFiles, [], false);
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
  analyseInSteps(openFiles: readonly string[] = [], prioritized: readonly string[] = []): Generator<StackFindings | undefined, IncrementalAnalysis> {
    return this.steps(openFiles, prioritized, true);
  }

  /** The pipeline's stages; a stack's findings are merged for the caller only when it asks for them (`withStacks`). */
  private *steps(openFiles: readonly string[], prioritized: readonly string[], withStacks: boolean): Generator<StackFindings | undefined, IncrementalAnalysis> {
    const { options, source } = this;
    const { settings } = options;
    const base = path.resolve(options.roots[0] ?? '.');

    // 1. Inputs.
    this.discovered ??= discoverFiles(options.roots);
    const open = openFiles.join('\n');
    if (this.inputFiles?.discovered !== this.discovered || this.inputFiles.open !== open) {
      const files = withOpenFiles(this.discovered, openFiles);
      const mains = stackMainFiles(files.composeFiles, source);
      // Opening a file the walk found changes no stack: the same list keeps the placements (their input) cached.
      const previous = this.inputFiles?.mains;
      this.inputFiles = { discovered: this.discovered, open, files, mains: previous && sameInputs(previous, mains) ? previous : mains };
    }
    const { files, mains } = this.inputFiles;
    const { release, source: releaseSource } = detectRelease(files, options, source);
    const { snapshot, findings: snapshotFindings } = this.snapshot();
    // Each cached stage contributes its own (reused) list; lists are merged per file at the end.
    const parts: Finding[][] = [snapshotFindings];
    const chosen = chosenHost(options);
    const candidates = candidateHosts(files, options, source, chosen?.name);

    // 2. Models: configurations, hosts, then (below, one at a time) stacks.
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
    parts.push(...this.unimportedNixFindings(files, byKey.values()));
    const placedHosts = [...hostOfKey.values()];

    // 3. Placement.
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

    // 2 (stacks) and 4 (compose rules), one stack at a time.
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
        this.deployEnvs.delete(path.dirname(stale));
        this.composeFindings.delete(stale);
        this.stackMemos.delete(stale);
        this.lastServiceLists.delete(stale);
        this.interned.forget(stale);
      }
    }

    // 4 (Nix rules).
    for (const [key, nix] of configurations) {
      const placed = hostOfKey.get(key) as NixosHost;
      // Placements are kept between runs while their inputs hold: compare hosts by their modules, not by object.
      const hostProjects = projects.filter((p) => {
        const of = placedHost(p.file);
        return of !== undefined && hostKey(of) === key;
      });
      parts.push(...this.nixRuleFindings(key, hostRef(placed), nix, hostProjects, snapshot, release));
    }

    // 5. Findings, merged per file.
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
      files,
    };
    return this.last;
  }

  /**
   * Groups every part's findings by file and sorts/deduplicates each file's list — only for files whose
   * contributing lists changed. Per-file sorting equals the pipeline's global sort: it orders by file first.
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
    if (this.snapshotEntry && readsStillHold(this.snapshotEntry.record, this.source)) return this.snapshotEntry;
    const { source, record } = createRecordingSource(this.source);
    const loaded = loadWorkspaceSnapshot(this.options, source);
    this.snapshotEntry = { record, snapshot: loaded.snapshot, findings: loaded.findings };
    return this.snapshotEntry;
  }

  private configuration(nixosHost: NixosHost): { configuration: NixConfiguration; findings: Finding[] } {
    const key = hostKey(nixosHost);
    const cached = this.configurations.get(key);
    const evaluation = this.options.evaluations?.get(key);
    if (cached && cached.evaluation === evaluation && readsStillHold(cached.record, this.source)) return cached;
    const { source, record } = createRecordingSource(this.source);
    const loaded = { record, ...readConfiguration(nixosHost, source, this.options, this.parseNixFile), evaluation };
    this.configurations.set(key, loaded);
    return loaded;
  }

  /** The syntax errors of the .nix files no configuration reads, each list kept while its file's text is the same. */
  private unimportedNixFindings(files: DiscoveredFiles, configurations: Iterable<NixConfiguration>): Finding[][] {
    const lists: Finding[][] = [];
    const current = new Set<string>();
    for (const file of unimportedNixFiles(files, configurations)) {
      current.add(file);
      const text = this.source.readText(file);
      let cached = this.unimported.get(file);
      if (!cached || cached.text !== text) {
        cached = { text, findings: unimportedNixErrors(file, text, this.options.settings) };
        this.unimported.set(file, cached);
      }
      lists.push(cached.findings);
    }
    for (const file of [...this.unimported.keys()]) if (!current.has(file)) this.unimported.delete(file);
    return lists;
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
    if (cached && readsStillHold(cached.record, this.source)) return cached;
    const { source, record } = createRecordingSource(this.source);
    const loaded = { record, ...readStack(file, source, this.options.settings, { parseCache: this.composeParses, deployEnv: (dir) => this.deployEnv(dir, source) }) };
    this.projects.set(file, loaded);
    return loaded;
  }

  /**
   * A stack folder's deploy-time evidence (wrappers, examples, .gitignore: compose/deployEnv.ts), kept while what it
   * read holds — a keystroke in the compose file does not look for them again. Checked through the loading
   * project's recording source, so those reads are the project's too: a new wrapper still reloads the stack.
   */
  private deployEnv(dir: string, source: FileSource): DeployEnvEvidence {
    const cached = this.deployEnvs.get(dir);
    if (cached && readsStillHold(cached.record, source)) return cached.evidence;
    const { source: recording, record } = createRecordingSource(source);
    const evidence = readDeployEnv(dir, recording);
    this.deployEnvs.set(dir, { record, evidence });
    return evidence;
  }

  /** The placement notice of a stack (checks.ts), the same object while it says the same. */
  private placementFinding(project: ComposeProject, placement: Placement | undefined): Finding | undefined {
    const found = placementNotice(project, placement, this.options.settings);
    return found ? this.interned.intern(`placement\0${project.file}`, [found])[0] : undefined;
  }

  private composeRuleFindings(project: ComposeProject, nix: NixConfiguration | undefined, host: HostRef | undefined, snapshot: HostSnapshot | undefined, release: string, entryCount: number): Finding[] {
    const inputs = [project, nix, host?.name, host?.entry, snapshot, release, entryCount];
    const cached = this.composeFindings.get(project.file);
    if (cached && sameInputs(cached.inputs, inputs)) return cached.findings;
    const { settings } = this.options;
    const check: StackCheck = { ctx: stackContext(project, nix, snapshot, release, settings, this.source), host, entryCount, settings };
    let memo = this.stackMemos.get(project.file);
    if (!memo) {
      memo = new Map();
      this.stackMemos.set(project.file, memo);
    }
    const { perService, stackWide } = stackChecks(project.services.map((service) => this.serviceRuleFindings(service, check)), check, memo);
    const lastOfStack = this.lastServiceLists.get(project.file);
    if (lastOfStack && lastOfStack.size > project.services.length) {
      const names = new Set(project.services.map((service) => service.name));
      for (const name of [...lastOfStack.keys()]) if (!names.has(name)) lastOfStack.delete(name);
    }
    // The stack-wide rules ran again: their findings that did not change are the same objects as last time.
    const findings = [...perService, ...this.interned.intern(project.file, stackWide)];
    this.composeFindings.set(project.file, { inputs, findings });
    return findings;
  }

  /**
   * One service's findings from each per-service rule (checks.ts), kept while the service is the same object (its
   * text is unchanged: ComposeParseCache, loadProject) and so is the rest of the context — an edit re-checks the
   * edited service only, and the other findings stay the same objects down to the publish.
   */
  private serviceRuleFindings(service: ComposeService, check: StackCheck): Finding[][] {
    const { ctx, host, entryCount } = check;
    const inputs = [ctx.project.file, ctx.nix, host?.name, host?.entry, ctx.snapshot, ctx.release, entryCount];
    const cached = this.serviceFindings.get(service);
    if (cached && sameInputs(cached.inputs, inputs)) return cached.byRule;
    // A re-checked service (an edit in it) keeps each rule's list that says the same as before, as the same array of
    // the same findings: the rules the edit did not concern are not flattened or grouped again (stackChecks' memo),
    // and everything after the rules is cached per finding.
    let lastOfStack = this.lastServiceLists.get(ctx.project.file);
    if (!lastOfStack) {
      lastOfStack = new Map();
      this.lastServiceLists.set(ctx.project.file, lastOfStack);
    }
    const last = lastOfStack.get(service.name);
    const byRule = serviceChecks(service, check).map((list, index) => {
      const previous = last?.[index];
      return previous && previous.length === list.length && previous.every((finding, at) => sameFinding(finding, list[at] as Finding)) ? previous : list;
    });
    lastOfStack.set(service.name, byRule);
    this.serviceFindings.set(service, { inputs, byRule });
    return byRule;
  }

  /**
   * The Nix rules' findings as two parts: those of rules that do not read the stacks, kept while the configuration,
   * snapshot and release stay the same (editing a compose file does not re-run them), and those of rules that do.
   */
  private nixRuleFindings(configurationKey: string, host: HostRef, nix: NixConfiguration, projects: ComposeProject[], snapshot: HostSnapshot | undefined, release: string): Finding[][] {
    const { settings } = this.options;
    const [ownKey, stacksKey] = nixRuleKeys(configurationKey);
    const run = (readsStacks: boolean, inputs: unknown[]): Finding[] => {
      const key = readsStacks ? stacksKey : ownKey;
      const cached = this.nixFindings.get(key);
      if (cached && sameInputs(cached.inputs, inputs)) return cached.findings;
      const ctx = { nix, projects: readsStacks ? projects : [], snapshot, release, mountRoots: settings.mountRoots };
      const kept = this.interned.intern(key, hostChecks(ctx, host, settings, readsStacks));
      this.nixFindings.set(key, { inputs, findings: kept });
      return kept;
    };
    return [run(false, [nix, snapshot, release, host.name]), run(true, [nix, snapshot, release, host.name, ...projects])];
  }
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
