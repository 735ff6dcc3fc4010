import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import { isFixable, type FixableContext } from '../core/rules';
import type { Finding, Severity } from '../core/types';
import { DIAGNOSTIC_SOURCE, type DiagnosticData } from '../shared/protocol';
import { pathToUri } from './uri';

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
  return {
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
    data,
  };
}

/** A short identity of a finding, to tell whether a file's diagnostics changed. Cached per finding object. */
const fingerprints = new WeakMap<Finding, string>();
export function fingerprint(finding: Finding): string {
  let known = fingerprints.get(finding);
  if (known === undefined) {
    const { start, end } = finding.range;
    known = `${finding.code}|${finding.severity}|${start.line}:${start.character}-${end.line}:${end.character}|${finding.message}|${finding.related.length}`;
    fingerprints.set(finding, known);
  }
  return known;
}

export function sameFindings(a: readonly Finding[], b: readonly Finding[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const left = a[i];
    const right = b[i];
    if (left !== right && (!left || !right || fingerprint(left) !== fingerprint(right))) return false;
  }
  return true;
}
