/**
 * What a finding says in all: its one-line headline, then its explanation (#18 §6). A rule test that checks a fact
 * (a consequence, a fix, a name) checks it here, wherever the rule put it; the headline's own shape is checked by
 * messages.test.ts.
 */
export function said(finding: { message: string; explanation?: string } | undefined): string {
  if (!finding) return '';
  return finding.explanation ? `${finding.message}\n\n${finding.explanation}` : finding.message;
}
