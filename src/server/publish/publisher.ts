import type { Connection, Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver/node';
import type { Finding } from '../../core/types';
import { DIAGNOSTIC_SOURCE, type DiagnosticData } from '../../shared/protocol';
import { diagnosticKey, findingKey, findingOf } from './diagnostics';

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
 * The diagnostics the client holds, as they were last sent, and the way back from one of them to the finding it
 * shows (vscode-eslint's `CodeActions.record`): a code action request names its diagnostics, and each is looked up
 * by key in its document's last publish instead of searching the analysis. A diagnostic the client kept from an
 * older publish (another document version, or a range or message that has changed since) finds nothing, so it never
 * gets another finding's fix.
 *
 * Publishing costs a pass over the document's diagnostics (to their findings); the keys are computed when a code
 * action asks.
 */
export class Publisher {
  private readonly sent = new Map<string, SentDiagnostics>();
  /**
   * The connection the analysis runner publishes through: the client's, with `sendDiagnostics` going through
   * send(). (The runner's publish step is to move into this folder; until then it only sees a connection.)
   */
  readonly publishingConnection: Connection;

  constructor(private readonly connection: Connection) {
    const send = (params: PublishDiagnosticsParams): Promise<void> => this.send(params);
    this.publishingConnection = Object.create(connection, { sendDiagnostics: { value: send } }) as Connection;
  }

  /** Sends a document's diagnostics (made by toDiagnostic) and records them; none forgets the document. */
  send(params: PublishDiagnosticsParams): Promise<void> {
    if (params.diagnostics.length === 0) this.sent.delete(params.uri);
    else this.sent.set(params.uri, { version: params.version ?? null, findings: findingsOf(params.diagnostics) });
    return this.connection.sendDiagnostics(params);
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
}

function findingsOf(diagnostics: readonly Diagnostic[]): Finding[] {
  const findings: Finding[] = [];
  for (const diagnostic of diagnostics) {
    const finding = findingOf(diagnostic);
    if (finding) findings.push(finding);
  }
  return findings;
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
