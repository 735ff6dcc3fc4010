import type { Connection, Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { isFixable, type FixableContext } from '../../core/rules';
import type { Finding } from '../../core/types';
import { DIAGNOSTIC_SOURCE, WorkspaceSummaryNotification, type DiagnosticData, type WorkspaceSummary } from '../../shared/protocol';
import { diagnosticKey, findingKey, sameFindings, toDiagnostic } from './diagnostics';

/** What a file's last publish was, for skipping a publish that changes nothing and for the workspace summary. */
interface Published {
  root: string;
  findings: Finding[];
  version: number | null;
  /** Counts for the summary, computed once per publish. */
  counts: WorkspaceSummary['counts'];
  fixable: number;
}

/** What the client was last sent for one document. */
interface SentDiagnostics {
  /** The document version the diagnostics were computed for (null: the file was not open). */
  version: number | null;
  /**
   * The findings the diagnostics show (the analysis keeps them anyway; the diagnostics themselves would outlive
   * their publish only for this record).
   */
  findings: readonly Finding[];
  /** The findings by diagnosticKey: built on the first code action request after the publish, not on every publish. */
  byKey?: Map<string, Finding>;
}

/**
 * The publish step: a file's findings to the client's diagnostics, sent only when they (or the document version)
 * changed, and the workspace summary of what was sent. It also keeps the way back from a diagnostic to the finding
 * it shows (vscode-eslint's `CodeActions.record`): a code action request names its diagnostics, and each is looked
 * up by key in its document's last publish instead of searching the analysis. A diagnostic the client kept from an
 * older publish (another document version, or a range or message that has changed since) finds nothing, so it never
 * gets another finding's fix.
 *
 * Publishing costs a pass over the document's findings (their diagnostics and counts); the keys are computed when a
 * code action asks.
 */
export class Publisher {
  /** By file: what was published last. */
  private readonly published = new Map<string, Published>();
  /** By document URI: what the client holds, for code actions. */
  private readonly sent = new Map<string, SentDiagnostics>();
  private lastSummary = '';

  /** `uriOf` names a file as the client does (an open document's own URI, else the file's). */
  constructor(
    private readonly connection: Connection,
    private readonly uriOf: (file: string) => string,
  ) {}

  /**
   * Publishes the findings of `file` (of the workspace root `root`) for its document `version` (null: not open),
   * unless the client already holds the same; no findings clear the file's diagnostics.
   */
  publish(root: string, file: string, findings: Finding[], version: number | null, fixContext: FixableContext): void {
    const previous = this.published.get(file);
    if (previous && previous.version === version && (previous.findings === findings || sameFindings(previous.findings, findings))) return;
    if (findings.length === 0 && !previous) return;
    if (findings.length === 0) this.published.delete(file);
    else this.published.set(file, { root, findings, version, ...countsOf(findings, fixContext) });
    const params: PublishDiagnosticsParams = { uri: this.uriOf(file), diagnostics: findings.map((finding) => toDiagnostic(finding, version, fixContext)) };
    if (version !== null) Object.assign(params, { version });
    this.send(params, findings);
  }

  /** The files of `root` that have diagnostics published. */
  filesOf(root: string): string[] {
    const files: string[] = [];
    for (const [file, published] of this.published) if (published.root === root) files.push(file);
    return files;
  }

  /** Clears the diagnostics of every file of `root` (folder removed, lone file closed). */
  clear(root: string): void {
    for (const file of this.filesOf(root)) {
      this.published.delete(file);
      this.send({ uri: this.uriOf(file), diagnostics: [] }, []);
    }
  }

  /** Counts of what was published, for the status bar; `ready` once the first indexing is done. */
  summary(ready: boolean): WorkspaceSummary {
    const summary: WorkspaceSummary = { counts: { error: 0, warning: 0, information: 0, hint: 0 }, fixable: 0, files: 0, ready };
    for (const published of this.published.values()) {
      summary.files++;
      summary.fixable += published.fixable;
      for (const severity of SEVERITIES) summary.counts[severity] += published.counts[severity];
    }
    return summary;
  }

  /** Notifies the client of the summary when it changed since the last one sent. */
  sendSummary(ready: boolean): void {
    const summary = this.summary(ready);
    const key = JSON.stringify(summary);
    if (key === this.lastSummary) return;
    this.lastSummary = key;
    void this.connection.sendNotification(WorkspaceSummaryNotification.type, summary);
  }

  /**
   * The finding behind a diagnostic a client sent back for the document `uri` at `version`: undefined when it is not
   * one of ours, or not in the document's last publish for that version.
   */
  findingFor(uri: string, version: number, diagnostic: Diagnostic): Finding | undefined {
    const sent = this.sent.get(uri);
    const data = ourData(diagnostic);
    if (!sent || !data || sent.version !== version || data.version !== version) return undefined;
    sent.byKey ??= keyed(sent.findings);
    return sent.byKey.get(diagnosticKey(diagnostic));
  }

  /** How many published diagnostics are of `rule`: in the document `uri`, or in every document when none is given. */
  countOf(rule: string, uri?: string): number {
    const documents = uri === undefined ? this.sent.values() : [this.sent.get(uri)];
    let count = 0;
    for (const sent of documents) for (const finding of sent?.findings ?? []) if (finding.code === rule) count++;
    return count;
  }

  /** Sends a document's diagnostics (made by toDiagnostic from `findings`) and records them; none forgets it. */
  private send(params: PublishDiagnosticsParams, findings: readonly Finding[]): void {
    if (params.diagnostics.length === 0) this.sent.delete(params.uri);
    else this.sent.set(params.uri, { version: params.version ?? null, findings });
    void this.connection.sendDiagnostics(params);
  }
}

const SEVERITIES = ['error', 'warning', 'information', 'hint'] as const;

function countsOf(findings: readonly Finding[], fixContext: FixableContext): { counts: WorkspaceSummary['counts']; fixable: number } {
  const counts = { error: 0, warning: 0, information: 0, hint: 0 };
  let fixable = 0;
  for (const finding of findings) {
    counts[finding.severity]++;
    if (isFixable(finding, fixContext)) fixable++;
  }
  return { counts, fixable };
}

function keyed(findings: readonly Finding[]): Map<string, Finding> {
  const byKey = new Map<string, Finding>();
  for (const finding of findings) {
    const key = findingKey(finding);
    // Two findings alike in all the key holds: the first, as a search of the list would find.
    if (!byKey.has(key)) byKey.set(key, finding);
  }
  return byKey;
}

function ourData(diagnostic: Diagnostic): DiagnosticData | undefined {
  if (diagnostic.source !== DIAGNOSTIC_SOURCE || typeof diagnostic.data !== 'object' || diagnostic.data === null) return undefined;
  return diagnostic.data as DiagnosticData;
}
