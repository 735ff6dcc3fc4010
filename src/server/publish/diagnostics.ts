import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver/node';
import { isFixable, type FixableContext } from '../../core/rules';
import type { Finding, Severity } from '../../core/types';
import { sameFinding } from '../../core/analysis/findings';
import { DIAGNOSTIC_SOURCE, type DiagnosticData } from '../../shared/protocol';
import { JSON_BASE, type WithJsonBase } from './stdioWriter';
import { pathToUri } from '../uri';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Where a rule's page lives (docs/rules/<id>.md ships in the extension too; the web page needs no local path). */
export function ruleDocsUrl(code: string): string {
  return `https://github.com/nixos-homelab/nixos-homelab/blob/main/docs/rules/${code}.md`;
}

/** A finding as an LSP diagnostic; `version` is the document version it was computed for (null: not open). */
export function toDiagnostic(finding: Finding, version: number | null, fixContext: FixableContext): Diagnostic {
  const data: DiagnosticData = { version, fixable: isFixable(finding, fixContext) };
  if (finding.host) data.host = finding.host;
  const base = baseDiagnostic(finding);
  // Field by field, not a spread: the literal's one object shape keeps the publish path fast (measured: a spread
  // cost ~0.7 ms per edit of the 50-service file).
  const diagnostic: Diagnostic & WithJsonBase = {
    range: base.range,
    severity: base.severity,
    code: base.code,
    codeDescription: base.codeDescription,
    source: base.source,
    message: base.message,
    relatedInformation: base.relatedInformation,
    data,
  };
  diagnostic[JSON_BASE] = base;
  return diagnostic;
}

/**
 * Everything of a finding's diagnostic but `data`, made once per finding object: a finding that survives an edit
 * (another service's, ComposeParseCache and AnalysisCache keep those) is re-published from the same base, whose JSON
 * the stdio writer keeps (stdioWriter.ts).
 */
const bases = new WeakMap<Finding, Omit<Diagnostic, 'data'>>();
function baseDiagnostic(finding: Finding): Omit<Diagnostic, 'data'> {
  let base = bases.get(finding);
  if (!base) {
    base = {
      range: finding.range,
      severity: SEVERITY[finding.severity],
      code: finding.code,
      codeDescription: { href: ruleDocsUrl(finding.code) },
      source: DIAGNOSTIC_SOURCE,
      message: finding.message,
      relatedInformation: finding.related.map((related) => ({
        location: { uri: pathToUri(related.location.file), range: related.location.range },
        message: related.message,
      })),
    };
    bases.set(finding, base);
  }
  return base;
}

/**
 * What tells one published diagnostic from the others of its document, computed alike from a client's diagnostic
 * and from our finding: rule, range, host and message (vscode-eslint's `computeKey` takes range, rule and message).
 * The message makes a diagnostic kept from an older publish miss once its finding says something else.
 */
export function diagnosticKey(diagnostic: Pick<Diagnostic, 'code' | 'range' | 'message' | 'data'>): string {
  const host: unknown = typeof diagnostic.data === 'object' && diagnostic.data !== null ? (diagnostic.data as Partial<DiagnosticData>).host : undefined;
  const { name, entry } = typeof host === 'object' && host !== null ? (host as Partial<Record<'name' | 'entry', unknown>>) : { name: '', entry: '' };
  return key(diagnostic.code, diagnostic.range, name, entry, diagnostic.message);
}

/** The diagnosticKey of the diagnostic toDiagnostic makes of `finding`. */
export function findingKey(finding: Finding): string {
  return key(finding.code, finding.range, finding.host?.name ?? '', finding.host?.entry ?? '', finding.message);
}

function key(code: unknown, { start, end }: Range, hostName: unknown, hostEntry: unknown, message: unknown): string {
  return `${String(code)}\0${start.line}:${start.character}-${end.line}:${end.character}\0${String(hostName)}\0${String(hostEntry)}\0${String(message)}`;
}

/** Whether a file's findings are the same as what was published (same findings, in the same order). */
export function sameFindings(a: readonly Finding[], b: readonly Finding[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const left = a[i];
    const right = b[i];
    if (left !== right && (!left || !right || !sameFinding(left, right))) return false;
  }
  return true;
}
