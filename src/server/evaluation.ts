/**
 * Evaluation in the editor (`nixosHomelab.evaluation.mode`, docs/editor.md "Evaluation"): each host of a workspace
 * folder is evaluated by Nix (src/platform/nixEval.ts, the same as `lint --eval`) in a child process, one at a time
 * for the whole server — a NixOS evaluation takes a core and up to a few GB. Never on a keystroke: after the folder's
 * first analysis (when its hosts are known), and again when a `.nix` file or a `flake.lock` is saved or changes on
 * disk. The results go into the options the folder's analysis runs with (`WorkspaceOptions.evaluations`), and the
 * folder is analysed and published again.
 *
 * Nothing runs in an untrusted workspace (evaluating runs the workspace's Nix code), with the mode `off`, or when the
 * Nix program is not on PATH (one log line). A newer evaluation of a host cancels the one running; shutting down
 * cancels everything. A failed evaluation is one notice (window/showMessage, shown again only when its message
 * changes) with Nix's own message; the static reading goes on.
 *
 * Hosts from Nix: for each flake of the folder, Nix lists its hosts (names only, a job of the same queue); those the
 * static reader did not find are evaluated too and, when their evaluation is complete, analysed against their
 * evaluated values only (`WorkspaceOptions.nixOnlyHosts`, core/analysis/nixOnlyHosts.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MessageType, ShowMessageNotification, type Connection } from 'vscode-languageserver/node';
import { evaluationTarget, type EvaluationTarget, type HostEvaluation } from '../core/evaluation';
import { hostsOnlyNixFinds, isNixOnlyHost, nixOnlyHost } from '../core/analysis/nixOnlyHosts';
import { hostKey } from '../core/analysis/nixosHosts';
import type { NixosHost, WorkspaceAnalysis } from '../core/analysis/types';
import { evaluateHost, listFlakeHosts, type EvaluationOutcome } from '../platform/nixEval';
import { EvaluationStatusNotification, type HostEvaluationStatus } from '../shared/protocol';
import type { AnalysisRunner } from './analysisRunner';
import type { Logger } from './log';
import type { AnalysedRoot, WorkspaceIndex } from './workspaceIndex';

/** A save-all writes many files at once: they cost one evaluation. */
const SAVE_DEBOUNCE_MS = 300;

interface Job {
  folder: string;
  host: string;
  key: string;
  target: Exclude<EvaluationTarget, { kind: 'unsupported' }>;
  extraFiles: string[];
  /** A host the static reader did not find (known from the flake's listing). */
  nixOnly?: NixosHost;
}

/** Lists a flake's hosts with Nix: the queue runs it like an evaluation (`host` is empty). */
interface ListJob {
  kind: 'list';
  folder: string;
  flakeDir: string;
  key: string;
  /** The hosts the static reader found (the listing adds the others). */
  staticHosts: NixosHost[];
}

type QueuedJob = Job | ListJob;

export interface EvaluationSchedulerOptions {
  connection: Connection;
  index: WorkspaceIndex;
  runner: AnalysisRunner;
  log: Logger;
  /** Read at every step: trust can be granted while the server runs. */
  trusted: () => boolean;
  /** Where results are cached between runs (`evaluations/` under it); undefined: no cache. Known after initialize. */
  cacheDirOf: () => string | undefined;
}

export class EvaluationScheduler {
  /** The current evaluation of each host, by folder and host key. */
  private readonly results = new Map<string, Map<string, HostEvaluation>>();
  /** The hosts only Nix lists, by folder, then by flake folder. */
  private readonly nixOnly = new Map<string, Map<string, NixosHost[]>>();
  private readonly statuses = new Map<string, HostEvaluationStatus>();
  /** The notice last shown per host (a failure that repeats is not shown again). */
  private readonly shown = new Map<string, string>();
  /** Roots whose first analysis asked for an evaluation (a root replaced after a settings change asks again). */
  private readonly requested = new WeakSet<AnalysedRoot>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly logged = new Set<string>();
  private queue: QueuedJob[] = [];
  private running: { job: QueuedJob; controller: AbortController } | undefined;
  private disposed = false;

  constructor(private readonly options: EvaluationSchedulerOptions) {}

  /**
   * A folder's root was (re)made, with new settings: it gets the evaluations already made when it evaluates, and
   * everything of the folder is dropped when it does not.
   */
  adopt(root: AnalysedRoot): void {
    if (!root.isFolder) return;
    if (this.enabled(root)) {
      const results = this.results.get(root.root);
      if (results?.size) root.options.evaluations = new Map(results);
      this.applyNixOnly(root);
      return;
    }
    this.forget(root.root);
  }

  /** After a whole analysis of a root: the first one asks for its hosts' evaluation. */
  analysed(root: AnalysedRoot): void {
    if (!root.isFolder || this.requested.has(root)) return;
    this.requested.add(root);
    this.request(root.root, 0);
  }

  /** Files changed on disk (a save, `nix flake update`, a checkout): Nix files and locks evaluate again. */
  filesChanged(files: readonly string[]): void {
    const relevant = files.filter((file) => file.endsWith('.nix') || path.basename(file) === 'flake.lock');
    if (relevant.length === 0) return;
    for (const root of this.options.index.folders()) {
      if (!root.isFolder) continue;
      const modules = new Set(root.cache.current?.configurations.flatMap((configuration) => configuration.files) ?? []);
      if (relevant.some((file) => file.startsWith(root.root + path.sep) || modules.has(file))) this.request(root.root, SAVE_DEBOUNCE_MS);
    }
  }

  /** The workspace became trusted: every folder evaluates now. */
  trustGranted(): void {
    for (const root of this.options.index.folders()) if (root.isFolder) this.request(root.root, 0);
  }

  /** A folder was removed. */
  removed(folder: string): void {
    this.forget(folder);
  }

  /** Cancels what runs and what waits (shutdown, exit). */
  dispose(): void {
    this.disposed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.queue = [];
    this.running?.controller.abort();
    this.running = undefined;
  }

  private request(folder: string, delayMs: number): void {
    if (this.disposed) return;
    clearTimeout(this.timers.get(folder));
    const timer = setTimeout(() => {
      this.timers.delete(folder);
      this.enqueue(folder);
    }, delayMs);
    this.timers.set(folder, timer);
  }

  private rootOf(folder: string): AnalysedRoot | undefined {
    return this.options.index.folders().find((root) => root.isFolder && root.root === folder);
  }

  private enabled(root: AnalysedRoot): boolean {
    return root.settings['evaluation.mode'] === 'auto';
  }

  private enqueue(folder: string): void {
    const root = this.rootOf(folder);
    if (this.disposed || !root || !this.options.trusted() || !this.enabled(root)) return;
    const analysis = root.cache.current;
    if (!analysis) {
      // Not analysed yet (a settings change replaced the root): its first analysis asks again.
      this.requested.delete(root);
      return;
    }
    const keys = new Set<string>();
    // Hosts only Nix lists keep their evaluation until the flake's new listing says otherwise.
    for (const hosts of this.nixOnly.get(folder)?.values() ?? []) for (const host of hosts) keys.add(hostKey(host));
    let nixMissing = false;
    for (const [index, host] of analysis.hosts.entries()) {
      if (isNixOnlyHost(host)) continue;
      const key = hostKey(host);
      keys.add(key);
      const target = evaluationTarget(host, analysis.files.flakeFiles);
      if (target.kind === 'unsupported') {
        this.logOnce(`unsupported ${folder} ${key}`, `Evaluation: host ${host.name} is not evaluated — ${target.reason}`);
        this.setStatus({ folder, host: host.name, state: 'failed', message: target.reason, at: Date.now() }, key);
        continue;
      }
      const program = target.kind === 'flake' ? 'nix' : 'nix-instantiate';
      if (!onPath(program)) {
        if (program === 'nix') nixMissing = true;
        this.logOnce(`missing ${program}`, `Evaluation: \`${program}\` is not on PATH, so hosts are not evaluated by Nix (the static reading is used; nixosHomelab.evaluation.mode)`);
        continue;
      }
      const job: Job = { folder, host: host.name, key, target, extraFiles: configurationFiles(analysis, index) };
      this.queue = this.queue.filter((queued) => !(queued.folder === folder && queued.key === key));
      if (this.running?.job.folder === folder && this.running.job.key === key) this.running.controller.abort();
      this.queue.push(job);
      this.setStatus({ folder, host: host.name, state: 'queued', at: Date.now() }, key);
    }
    // Then the hosts Nix lists for each flake (not when the entry modules are named: those are the hosts).
    if (!nixMissing && onPath('nix') && root.settings.nixosConfiguration.length === 0) {
      const staticHosts = analysis.hosts.filter((host) => !isNixOnlyHost(host));
      for (const flake of analysis.files.flakeFiles) {
        const flakeDir = path.dirname(flake);
        const key = `list ${flakeDir}`;
        this.queue = this.queue.filter((queued) => !(queued.folder === folder && queued.key === key));
        this.queue.push({ kind: 'list', folder, flakeDir, key, staticHosts });
      }
    }
    // Hosts that are gone: their evaluation and state go too.
    const results = this.results.get(folder);
    for (const key of [...(results?.keys() ?? [])]) if (!keys.has(key)) results?.delete(key);
    for (const id of [...this.statuses.keys()]) if (id.startsWith(`${folder}\0`) && !keys.has(id.slice(folder.length + 1))) this.statuses.delete(id);
    this.sendStatus();
    this.pump();
  }

  private pump(): void {
    if (this.disposed || this.running) return;
    const job = this.queue.shift();
    if (!job) return;
    const root = this.rootOf(job.folder);
    if (!root || !this.options.trusted() || !this.enabled(root)) {
      this.pump();
      return;
    }
    const controller = new AbortController();
    this.running = { job, controller };
    if ('kind' in job) {
      listFlakeHosts(job.flakeDir, { timeoutMs: Math.round(root.settings['evaluation.timeout'] * 1000), allowFetch: root.settings['evaluation.allowFetch'], signal: controller.signal, wording: 'editor', cacheDir: this.options.cacheDirOf() })
        .catch((error: unknown) => ({ notice: `the hosts of ${job.flakeDir} were not listed by Nix: ${error instanceof Error ? error.message : String(error)}` }))
        .then((listed) => {
          if (this.running?.controller === controller) this.running = undefined;
          if (!controller.signal.aborted && !this.disposed) this.listed(job, listed);
          this.pump();
        });
      return;
    }
    this.setStatus({ folder: job.folder, host: job.host, state: 'evaluating', at: Date.now() }, job.key);
    this.sendStatus();
    const settings = root.settings;
    evaluateHost(job.target, {
      timeoutMs: Math.round(settings['evaluation.timeout'] * 1000),
      allowFetch: settings['evaluation.allowFetch'],
      includes: [],
      cacheDir: this.options.cacheDirOf(),
      signal: controller.signal,
      extraFiles: job.extraFiles,
      wording: 'editor',
    })
      .catch((error: unknown): EvaluationOutcome => ({ kind: 'failed', host: job.host, notice: `host ${job.host}: evaluation failed: ${error instanceof Error ? error.message : String(error)}; the static checks ran` }))
      .then((outcome) => {
        if (this.running?.controller === controller) this.running = undefined;
        // Cancelled by a newer evaluation of the host (already queued) or by the shutdown: nothing to report.
        if (!controller.signal.aborted && !this.disposed) this.finished(job, outcome);
        this.pump();
      });
  }

  private finished(job: Job, outcome: EvaluationOutcome): void {
    const root = this.rootOf(job.folder);
    if (!root || !this.enabled(root)) return;
    let results = this.results.get(job.folder);
    if (!results) this.results.set(job.folder, (results = new Map()));
    const id = `${job.folder}\0${job.key}`;
    if (outcome.kind === 'evaluated') {
      results.set(job.key, outcome.evaluation);
      this.shown.delete(id);
      const how = outcome.cached ? 'cached' : `${(outcome.durationMs / 1000).toFixed(1)} s`;
      this.setStatus({ folder: job.folder, host: job.host, state: 'evaluated', message: `${outcome.evaluation.command}, ${how}`, at: Date.now() }, job.key);
      this.options.log.info(`Evaluation: host ${job.host}: values evaluated by Nix (${outcome.evaluation.command}, ${how})`);
    } else {
      // Only a fresh evaluation replaces the static guesses: an older one may no longer hold.
      results.delete(job.key);
      this.setStatus({ folder: job.folder, host: job.host, state: 'failed', message: outcome.notice, at: Date.now() }, job.key);
      this.options.log.info(`Evaluation: ${outcome.notice}`);
      if (this.shown.get(id) !== outcome.notice) {
        this.shown.set(id, outcome.notice);
        void this.options.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: `NixOS Homelab: ${outcome.notice}` });
      }
    }
    this.sendStatus();
    root.options.evaluations = new Map(results);
    this.applyNixOnly(root);
    this.options.runner.schedule(root);
  }

  /** A flake's hosts as Nix lists them: those the static reader did not find are evaluated next. */
  private listed(job: ListJob, listed: Awaited<ReturnType<typeof listFlakeHosts>>): void {
    const root = this.rootOf(job.folder);
    if (!root || !this.enabled(root)) return;
    const id = `${job.folder}\0${job.key}`;
    if ('notice' in listed) {
      this.options.log.info(`Evaluation: ${listed.notice}`);
      // A host of this flake that failed to evaluate has shown why already (a missing input, a syntax error).
      const saidAlready = [...this.statuses.values()].some((status) => status.folder === job.folder && status.state === 'failed');
      if (!saidAlready && this.shown.get(id) !== listed.notice) {
        this.shown.set(id, listed.notice);
        void this.options.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: `NixOS Homelab: ${listed.notice}` });
      }
      return;
    }
    this.shown.delete(id);
    const { hosts: unseen, notices } = hostsOnlyNixFinds(listed.names, job.staticHosts, job.flakeDir);
    for (const notice of notices) this.logOnce(notice, `Evaluation: ${notice}`);
    let byFlake = this.nixOnly.get(job.folder);
    if (!byFlake) this.nixOnly.set(job.folder, (byFlake = new Map()));
    const hosts = unseen.map((name) => nixOnlyHost(name, job.flakeDir));
    const kept = new Set(hosts.map(hostKey));
    // Hosts the flake no longer lists: their evaluation and state go.
    const results = this.results.get(job.folder);
    let removed = 0;
    for (const gone of byFlake.get(job.flakeDir) ?? []) {
      const key = hostKey(gone);
      if (kept.has(key)) continue;
      removed++;
      results?.delete(key);
      this.statuses.delete(`${job.folder}\0${key}`);
    }
    byFlake.set(job.flakeDir, hosts);
    for (const host of hosts) {
      const target = evaluationTarget(host, [path.join(job.flakeDir, 'flake.nix')]);
      if (target.kind === 'unsupported') continue;
      const key = hostKey(host);
      this.queue = this.queue.filter((queued) => !(queued.folder === job.folder && queued.key === key));
      this.queue.push({ folder: job.folder, host: host.name, key, target, extraFiles: [], nixOnly: host });
      this.setStatus({ folder: job.folder, host: host.name, state: 'queued', at: Date.now() }, key);
    }
    this.sendStatus();
    this.applyNixOnly(root);
    if (removed > 0) {
      root.options.evaluations = new Map(results ?? []);
      this.options.runner.schedule(root);
    }
  }

  /** The hosts only Nix lists go into the folder's options (the analysis adds those whose evaluation is complete). */
  private applyNixOnly(root: AnalysedRoot): void {
    const hosts = [...(this.nixOnly.get(root.root)?.values() ?? [])].flat();
    if (hosts.length > 0) root.options.nixOnlyHosts = hosts;
    else delete root.options.nixOnlyHosts;
  }

  private forget(folder: string): void {
    clearTimeout(this.timers.get(folder));
    this.timers.delete(folder);
    this.queue = this.queue.filter((job) => job.folder !== folder);
    if (this.running?.job.folder === folder) this.running.controller.abort();
    this.results.delete(folder);
    this.nixOnly.delete(folder);
    for (const map of [this.statuses, this.shown]) for (const id of [...map.keys()]) if (id.startsWith(`${folder}\0`)) map.delete(id);
    this.sendStatus();
  }

  private setStatus(status: HostEvaluationStatus, key: string): void {
    this.statuses.set(`${status.folder}\0${key}`, status);
  }

  private lastSent = '[]';

  private sendStatus(): void {
    const hosts = [...this.statuses.values()];
    const text = JSON.stringify(hosts.map(({ at: _at, ...rest }) => rest));
    if (text === this.lastSent) return;
    this.lastSent = text;
    void this.options.connection.sendNotification(EvaluationStatusNotification.type, { hosts });
  }

  private logOnce(id: string, message: string): void {
    if (this.logged.has(id)) return;
    this.logged.add(id);
    this.options.log.info(message);
  }
}

/** The modules the static reader followed for a host (part of its cache key: those outside the flake's folder too). */
function configurationFiles(analysis: WorkspaceAnalysis, index: number): string[] {
  return analysis.configurations[index]?.files ?? [];
}

/** Whether `program` is an executable file in a folder of PATH (no process is started to find out). */
function onPath(program: string, env: NodeJS.ProcessEnv = process.env): boolean {
  for (const dir of (env['PATH'] ?? '').split(path.delimiter)) {
    if (!dir) continue;
    try {
      fs.accessSync(path.join(dir, program), fs.constants.X_OK);
      return true;
    } catch {
      /* next folder */
    }
  }
  return false;
}
