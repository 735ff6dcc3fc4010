import type { Finding, Severity } from '../../core/types';
import { relativePaths } from './paths';

const COLORS: Record<Severity, string> = { error: '\u001b[31m', warning: '\u001b[33m', information: '\u001b[36m', hint: '\u001b[90m' };
const RESET = '\u001b[0m';
const DIM = '\u001b[2m';
const BOLD = '\u001b[1m';

/**
 * Compiler-style listing: `file:line:col  severity  headline  [rule-id]` with the finding's explanation as indented
 * notes below it (as rustc's `= note:` lines; `notes: false` leaves them out), grouped by file, then `notices` (about
 * the run as a whole, e.g. no NixOS configuration found: once each, not per file), then a summary line.
 */
export function formatText(findings: Finding[], options: { cwd: string; color: boolean; fixableHint?: boolean; isFixable(f: Finding): boolean; notices?: string[]; notes?: boolean }): string {
  const paint = (code: string, text: string): string => (options.color ? `${code}${text}${RESET}` : text);
  const shown = relativePaths(options.cwd);
  const lines: string[] = [];
  let currentFile: string | undefined;
  let currentHost: string | undefined;
  for (const finding of byHost(findings)) {
    const hostLine = hostHeading(finding, findings, shown);
    if (hostLine !== undefined && hostLine !== currentHost) {
      if (currentFile !== undefined) lines.push('');
      lines.push(paint(BOLD, hostLine));
      currentHost = hostLine;
      currentFile = undefined;
    }
    const file = shown(finding.file);
    if (file !== currentFile) {
      if (currentFile !== undefined) lines.push('');
      currentFile = file;
    }
    const where = `${file}:${finding.range.start.line + 1}:${finding.range.start.character + 1}`;
    const severity = paint(COLORS[finding.severity], finding.severity.padEnd(11));
    const fixable = options.isFixable(finding) ? paint(DIM, ' (fixable)') : '';
    lines.push(`${paint(BOLD, where)}  ${severity} ${finding.message}  ${paint(DIM, `[${finding.code}]`)}${fixable}`);
    if (options.notes !== false && finding.explanation) lines.push(...explanationNotes(finding.explanation).map((line) => paint(DIM, line)));
  }
  if (lines.length > 0) lines.push('');
  for (const notice of options.notices ?? []) lines.push(`${paint(COLORS.information, 'notice')}: ${notice}`);
  if (options.notices?.length) lines.push('');
  lines.push(summaryLine(findings, options.isFixable, paint));
  return `${lines.join('\n')}\n`;
}

const NOTE_WIDTH = 100;
const NOTE_INDENT = '    ';

/**
 * An explanation as note lines: `    = ` before each paragraph (and each list item), wrapped at NOTE_WIDTH columns
 * with continuation lines indented to match; a code span is not broken. Code spans keep their backticks, as in
 * compilers' notes.
 */
export function explanationNotes(explanation: string): string[] {
  const lines: string[] = [];
  const blocks = explanation
    .split(/\n\s*\n|\n(?=\s*[-*] )/)
    .map((block) => block.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
  for (const block of blocks) {
    const first = `${NOTE_INDENT}= `;
    const rest = `${NOTE_INDENT}  `;
    let line = first;
    // A code span is one word: `users.groups.render.gid = lib.mkForce 110;` is never broken across lines.
    for (const word of block.match(/(?:`[^`]*`|[^\s`]|`)+/g) ?? []) {
      const prefixOnly = line === first || line === rest;
      if (!prefixOnly && line.length + 1 + word.length > NOTE_WIDTH) {
        lines.push(line);
        line = rest + word;
      } else line = prefixOnly ? line + word : `${line} ${word}`;
    }
    lines.push(line);
  }
  return lines;
}

function summaryLine(findings: Finding[], isFixable: (f: Finding) => boolean, paint: (code: string, text: string) => string): string {
  if (findings.length === 0) return paint(COLORS.information, '✔ no problems found');
  const count = (severity: Severity): number => findings.filter((f) => f.severity === severity).length;
  const parts = (['error', 'warning', 'information', 'hint'] as const)
    .map((severity) => [severity, count(severity)] as const)
    .filter(([, n]) => n > 0)
    .map(([severity, n]) => `${n} ${severity === 'information' ? 'info' : severity}${n === 1 || severity === 'information' ? '' : 's'}`);
  const files = new Set(findings.map((f) => f.file)).size;
  const fixable = findings.filter(isFixable).length;
  const mark = count('error') > 0 ? paint(COLORS.error, '✖') : paint(COLORS.warning, '⚠');
  const fixNote = fixable > 0 ? `; ${fixable} fixable with --fix` : '';
  return `${mark} ${findings.length} problem${findings.length === 1 ? '' : 's'} (${parts.join(', ')}) in ${files} file${files === 1 ? '' : 's'}${fixNote}`;
}

/** Findings in groups by the host they were checked against (in order of first appearance), when there are several. */
function byHost(findings: Finding[]): Finding[] {
  if (hostCount(findings) < 2) return findings;
  const order = new Map<string, number>();
  for (const finding of findings) {
    const key = hostKeyOf(finding);
    if (!order.has(key)) order.set(key, order.size);
  }
  // Findings without a host (parse errors, stacks checked on their own) come last.
  const rank = (finding: Finding): number => (finding.host ? (order.get(hostKeyOf(finding)) ?? 0) : Number.MAX_SAFE_INTEGER);
  return findings.map((finding, index) => ({ finding, index })).sort((a, b) => rank(a.finding) - rank(b.finding) || a.index - b.index).map(({ finding }) => finding);
}

/** `host nas (hosts/nas/configuration.nix)` when findings name several hosts; undefined otherwise. */
function hostHeading(finding: Finding, all: Finding[], shown: (file: string) => string): string | undefined {
  if (hostCount(all) < 2) return undefined;
  if (!finding.host) return 'not checked against a host';
  return `host ${finding.host.name} (${shown(finding.host.entry)})`;
}

const hostCounts = new WeakMap<Finding[], number>();
function hostCount(findings: Finding[]): number {
  let count = hostCounts.get(findings);
  if (count === undefined) {
    count = new Set(findings.filter((finding) => finding.host).map(hostKeyOf)).size;
    hostCounts.set(findings, count);
  }
  return count;
}

function hostKeyOf(finding: Finding): string {
  return finding.host ? `${finding.host.name}\0${finding.host.entry}` : '';
}
