import * as path from 'node:path';
import type { Finding } from '../../core/types';

/** The `--format json` object of SPEC §5 (version 1). */
export function formatJson(findings: Finding[], options: { cwd: string; isFixable(f: Finding): boolean }): string {
  const diagnostics = findings.map((finding) => ({
    file: path.relative(options.cwd, finding.file) || finding.file,
    range: finding.range,
    severity: finding.severity,
    code: finding.code,
    message: finding.message,
    fixable: options.isFixable(finding),
  }));
  return `${JSON.stringify({ version: 1, diagnostics }, null, 2)}\n`;
}
