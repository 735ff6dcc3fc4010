import * as path from 'node:path';
import type { Connection } from 'vscode-languageserver/node';
import { INPUT_FINDINGS } from '../core/rules';
import { FILE_START } from '../core/text';
import type { Finding } from '../core/types';
import type { IncrementalAnalysis, StackFindings } from '../core/analysis/incremental';
import { toFinding } from '../core/rules/toFinding';
import type { WorkspaceAnalysis } from '../core/analysis/types';
import type { WorkspaceSummary } from '../shared/protocol';
import type { FixableContext } from '../core/rules';
import { AnalysisFailedError, AnalysisFailures } from './analysisFailures';
import { ConfigurationNotices } from './configurationNotice';
import { tooLargeReason, type OpenDocuments } from './documents';
import type { Logger } from './log';
import { splitMessage } from '../core/messages';
import { releaseIndexingGarbage, type Publisher } from './publish';
import type { AnalysedRoot, WorkspaceIndex } from './workspaceIndex';

/** A cold root is indexed in slices of about this many milliseconds, so that edits and requests get through. */
const SLICE_MS = 15;
/**
 * An analysis slower than this makes the next one wait as long as it took (at most MAX_BACKOFF_MS): edits queued
 * meanwhile are applied first and cost one analysis, not one each. Messages are handled one per event-loop turn,
 * so without the wait a slow analysis would run again between every two queued keystrokes.
 */
const SLOW_ANALYSIS_MS = 250;
const MAX_BACKOFF_MS = 1000;

/**
 * Runs analyses and hands their findings to the Publisher (publish/). Requests for the same root coalesce until the
 * event loop is idle (setImmediate, no timer: a burst of edits costs one analysis, a single edit costs no added
 * latency); the Publisher sends only files whose findings — or whose document version — changed.
 *
 * A root analysed for the first time is indexed in slices (AnalysisCache.analyseInSteps): the stacks of open
 * documents come first, and each stack's diagnostics are published as soon as they are final, instead of after the
 * whole workspace has been read.
 */
export class AnalysisRunner {
  private readonly pending = new Set<AnalysedRoot>();
  private readonly indexing = new Set<AnalysedRoot>();
  /** Roots that changed while being indexed (a document opened, a file saved): analysed again once indexed. */
  private readonly changedWhileIndexing = new Set<AnalysedRoot>();
  private scheduled = false;
  private ready = false;
  private readonly failures: AnalysisFailures;
  /** The no-configuration notice, shown once per folder. */
  private readonly notices: ConfigurationNotices;
  /** How long the last analysis of a root took (decides the wait before the next). */
  private readonly lastDuration = new WeakMap<AnalysedRoot, number>();
  /** Open documents over the size limit that were logged as such (once each). */
  private readonly loggedTooLarge = new Set<string>();
  /** Called after each whole analysis of a root is published (the evaluation scheduler learns the hosts so). */
  onAnalysed: ((root: AnalysedRoot, analysis: WorkspaceAnalysis) => void) | undefined;

  constructor(
    connection: Connection,
    private readonly publisher: Publisher,
    private readonly index: WorkspaceIndex,
    private readonly documents: OpenDocuments,
    private readonly log: Logger,
  ) {
    this.failures = new AnalysisFailures(log);
    this.notices = new ConfigurationNotices(connection);
  }

  /** Analyses `root` soon (coalescing with other requests). */
  schedule(root: AnalysedRoot): void {
    // Marked now, not when the flush runs: the indexing's next slice may be queued before the flush and finish first.
    if (this.indexing.has(root)) this.changedWhileIndexing.add(root);
    this.pending.add(root);
    if (this.scheduled) return;
    this.scheduled = true;
    const took = this.lastDuration.get(root) ?? 0;
    if (took > SLOW_ANALYSIS_MS) setTimeout(() => this.flushWith(true), Math.min(took, MAX_BACKOFF_MS));
    else setImmediate(() => this.flushWith(true));
  }

  scheduleAll(): void {
    for (const root of this.index.folders()) this.schedule(root);
  }

  /** Runs what is pending now (handlers call it so they never answer from an older text). */
  flush(): void {
    this.flushWith(false);
  }

  private flushWith(allowSlices: boolean): void {
    // A handler's flush may have run what a timer was scheduled for: the timer then finds nothing pending.
    if (allowSlices && !this.scheduled) return;
    this.scheduled = false;
    const roots = [...this.pending];
    this.pending.clear();
    let ran = false;
    for (const root of roots) {
      if (allowSlices && !root.cache.current) {
        if (!this.indexing.has(root)) this.startIndexing(root);
        continue;
      }
      this.indexing.delete(root); // a full run supersedes the slices
      this.changedWhileIndexing.delete(root);
      this.run(root);
      ran = true;
    }
    if (ran) this.analysed();
  }

  private analysed(): void {
    if (!this.ready && this.indexing.size === 0) {
      setImmediate(releaseIndexingGarbage);
      this.ready = true;
    }
    this.sendSummary();
  }

  /** The current analysis of a root, running it first when something is pending; throws when it failed. */
  analysisOf(root: AnalysedRoot): WorkspaceAnalysis {
    if (this.pending.has(root) || this.indexing.has(root)) {
      this.pending.add(root);
      this.flush();
    }
    const analysis = this.failures.hasFailed(root.root) ? undefined : root.cache.current ?? this.run(root);
    if (!analysis) throw new AnalysisFailedError(root.root);
    return analysis;
  }

  /** Indexes a cold root in slices, publishing each stack's diagnostics once they are final. */
  private startIndexing(root: AnalysedRoot): void {
    if (this.indexing.has(root)) return;
    this.indexing.add(root);
    const started = performance.now();
    const steps = this.index.analyseInSteps(root);
    const slice = (): void => {
      if (!this.indexing.has(root)) return; // removed, or a full run took over
      const sliceStart = performance.now();
      let next: IteratorResult<StackFindings | undefined, IncrementalAnalysis>;
      try {
        do {
          next = steps.next();
          if (!next.done && next.value) this.publishStack(root, next.value);
        } while (!next.done && performance.now() - sliceStart < SLICE_MS);
      } catch (error) {
        this.indexing.delete(root);
        this.changedWhileIndexing.delete(root);
        this.failures.failed(root.root, error);
        this.analysed();
        return;
      }
      if (!next.done) {
        setImmediate(slice);
        return;
      }
      this.indexing.delete(root);
      // A text that changed meanwhile may have been read before its change: published with the document's new
      // version, such findings would be taken as current. Analyse again (all cached but the change) instead.
      if (this.changedWhileIndexing.delete(root)) this.run(root);
      else {
        const analysis = next.value;
        this.guarded(root, () => this.publishAnalysis(root, analysis));
      }
      const elapsed = performance.now() - started;
      if (elapsed > 200) this.log.info(`Indexed ${root.root} in ${elapsed.toFixed(0)} ms`);
      this.analysed();
    };
    slice();
  }

  /** Publishes a stack whose findings are final ahead of the rest of its root. */
  private publishStack(root: AnalysedRoot, stack: StackFindings): void {
    const fixContext: FixableContext = { hasConfiguration: stack.hasConfiguration };
    for (const [file, findings] of stack.findingsByFile) this.publish(root, file, findings, fixContext);
  }

  summary(): WorkspaceSummary {
    return this.publisher.summary(this.ready);
  }

  /** Forgets a root's diagnostics (folder removed, lone file closed). */
  clear(root: string): void {
    for (const indexed of [...this.indexing]) if (indexed.root === root) this.indexing.delete(indexed);
    this.publisher.clear(root);
    this.sendSummary();
  }

  /** Analyses and publishes a root; undefined when that threw (logged once, the last diagnostics stay). */
  private run(root: AnalysedRoot): WorkspaceAnalysis | undefined {
    const started = performance.now();
    const analysis = this.guarded(root, () => {
      const analysis = this.index.analyse(root);
      this.publishAnalysis(root, analysis);
      return analysis;
    });
    const elapsed = performance.now() - started;
    this.lastDuration.set(root, elapsed);
    if (elapsed > 200) this.log.info(`Analysed ${root.root} in ${elapsed.toFixed(0)} ms`);
    return analysis;
  }

  /** Runs one step of a root's analysis; an exception costs that step only. */
  private guarded<T>(root: AnalysedRoot, step: () => T): T | undefined {
    try {
      const result = step();
      this.failures.succeeded(root.root);
      return result;
    } catch (error) {
      this.failures.failed(root.root, error);
      return undefined;
    }
  }

  private publishAnalysis(root: AnalysedRoot, analysis: IncrementalAnalysis): void {
    const byFile = new Map(analysis.findingsByFile);
    this.addOversizedDocuments(root, byFile);
    this.notices.analysed(root.root, analysis);
    const fixContext: FixableContext = { hasConfiguration: analysis.configurations.length > 0 };
    for (const [file, findings] of byFile) this.publish(root, file, findings, fixContext);
    for (const file of this.publisher.filesOf(root.root)) if (!byFile.has(file)) this.publish(root, file, [], fixContext);
    this.onAnalysed?.(root, analysis);
  }

  private publish(root: AnalysedRoot, file: string, findings: Finding[], fixContext: FixableContext): void {
    this.publisher.publish(root.root, file, this.tooLargeFindings(root, file) ?? findings, this.documents.versionOf(file), fixContext);
  }

  /**
   * The one finding of an open document over the size limit (it was not analysed: whatever the analysis said about
   * it came from reading nothing). Logged once each time a document goes over the limit.
   */
  private tooLargeFindings(root: AnalysedRoot, file: string): Finding[] | undefined {
    const length = this.documents.oversizedLength(file);
    if (length === undefined) {
      this.loggedTooLarge.delete(file);
      return undefined;
    }
    const message = `${path.basename(file)} ${tooLargeReason(length)}`;
    if (!this.loggedTooLarge.has(file)) {
      this.loggedTooLarge.add(file);
      this.log.info(`${file}:1: ${message}`);
    }
    const rule = file.endsWith('.nix') ? INPUT_FINDINGS.nixParseError : INPUT_FINDINGS.composeParseError;
    const finding = toFinding(rule, { file, range: FILE_START, ...splitMessage(message), related: [] }, root.settings);
    return finding ? [finding] : [];
  }

  /**
   * An open document over the size limit was not analysed (it read as unreadable): it is published whatever the
   * analysis said, with its one "too large" finding (publish).
   */
  private addOversizedDocuments(root: AnalysedRoot, byFile: Map<string, Finding[]>): void {
    for (const file of this.documents.files()) {
      if (this.documents.oversizedLength(file) !== undefined && !byFile.has(file) && this.index.rootFor(file, root.settings) === root) byFile.set(file, []);
    }
  }

  private sendSummary(): void {
    this.publisher.sendSummary(this.ready);
  }
}
