import type { Finding } from '../../core/types';
import { relativePaths } from './paths';

/**
 * The `--format json` object of SPEC §5 (version 1). `notices` (present only when there are some) is about the run
 * as a whole: why it checked nothing (no compose file and no configuration found), or what it could not check (no
 * NixOS configuration: the stacks were checked on their own). A diagnostic's `related` (present when it has some)
 * lists its other locations — the services sharing one PUID, the other ports of a service — and what it was
 * checked against. `message` is the one-line headline; `explanation` (present when there is more to say) the rest,
 * in Markdown.
 */
export function formatJson(findings: Finding[], options: { cwd: string; isFixable(f: Finding): boolean; notices?: string[] }): string {
  const shown = relativePaths(options.cwd);
  const diagnostics = findings.map((finding) => ({
    file: shown(finding.file),
    range: finding.range,
    severity: finding.severity,
    code: finding.code,
    message: finding.message,
    ...(finding.explanation ? { explanation: finding.explanation } : {}),
    fixable: options.isFixable(finding),
    ...(finding.host ? { host: { name: finding.host.name, entry: shown(finding.host.entry) } } : {}),
    ...(finding.related.length
      ? { related: finding.related.map((related) => ({ file: shown(related.location.file), range: related.location.range, message: related.message })) }
      : {}),
  }));
  const notices = options.notices?.length ? { notices: options.notices } : {};
  return `${JSON.stringify({ version: 1, diagnostics, ...notices }, null, 2)}\n`;
}
