import type { VerifyReport, VerifyStatus } from './report';

const LABEL: Record<VerifyStatus, string> = { pass: 'pass', fail: 'FAIL', unknown: 'unknown' };
const STATUS_WIDTH = 7;

/**
 * The report as a table for a terminal: one row per check, failures followed by their fix, and a summary
 * line. Plain ASCII so it survives any terminal and log file.
 */
export function formatVerifyText(report: VerifyReport): string {
  const counts = { pass: 0, fail: 0, unknown: 0 };
  for (const c of report.checks) counts[c.status]++;
  const idWidth = Math.max(5, ...report.checks.map((c) => c.id.length));
  const lines = [`Verify ${report.host}`, '', `${'STATUS'.padEnd(STATUS_WIDTH)}  ${'CHECK'.padEnd(idWidth)}  DETAIL`];
  for (const c of report.checks) {
    lines.push(`${LABEL[c.status].padEnd(STATUS_WIDTH)}  ${c.id.padEnd(idWidth)}  ${c.detail}`);
    if (c.fix && c.status !== 'pass') lines.push(`${' '.repeat(STATUS_WIDTH + 2 + idWidth + 2)}fix: ${c.fix}`);
  }
  lines.push('', `${counts.pass} passed, ${counts.fail} failed, ${counts.unknown} unknown.`);
  return `${lines.join('\n')}\n`;
}
