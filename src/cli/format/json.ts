import * as path from 'node:path';
import type { Finding } from '../../core/types';

/**
 * The `--format json` object of SPEC §5 (version 1). `notices` (present only when there are some) says why the run
 * checked nothing, e.g. no compose file and no configuration found.
 */
export function formatJson(findings: Finding[], options: { cwd: string; isFixable(f: Finding): boolean; notices?: string[] }): string {
  const diagnostics = findings.map((finding) => ({
    file: path.relative(options.cwd, finding.file) || finding.file,
    range: finding.range,
    severity: finding.severity,
    code: finding.code,
    message: finding.message,
    fixable: options.isFixable(finding),
  }));
  const notices = options.notices?.length ? { notices: options.notices } : {};
  return `${JSON.stringify({ version: 1, diagnostics, ...notices }, null, 2)}\n`;
}
