/**
 * The migration report as data: the findings (by rule and by file), the old host's snapshot and the last verify
 * result, as titled tables of plain strings. The editor renders it as a webview; any other face (markdown, text)
 * can render the same tables, so the report's content is decided once, here.
 */
import { dataMounts } from '../host/mounts';
import type { HostSnapshot } from '../host/model';
import type { Severity } from '../types';
import type { VerifyReport, VerifyStatus } from '../verify/report';

/** One finding as the report shows it. */
export interface ReportFinding {
  /** Relative to the workspace folder. */
  file: string;
  /** 1-based. */
  line: number;
  rule: string;
  severity: Severity;
  /** The finding's plain-text headline. */
  message: string;
  /** The rest of what the finding says (Markdown), shown on demand under the headline. */
  explanation?: string;
}

export interface ReportInput {
  /** The workspace folder's name, for the title. */
  workspace: string;
  findings: readonly ReportFinding[];
  snapshot?: HostSnapshot;
  /** How the snapshot folder is named (relative to the workspace), also when there is no snapshot. */
  snapshotDir: string;
  /** The last verify run, with when it ran (ISO time). */
  verify?: { report: VerifyReport; at: string };
}

export interface ReportTable {
  caption?: string;
  columns: string[];
  rows: string[][];
  /** Per row, Markdown shown on demand under the row's Message cell (a finding's explanation). */
  details?: (string | undefined)[];
}

export interface ReportSection {
  title: string;
  /** Sentences above the tables (what the section shows, or why it is empty and what to do). */
  notes: string[];
  tables: ReportTable[];
}

export interface MigrationReport {
  title: string;
  /** Counts for a one-line summary at the top. */
  summary: string;
  sections: ReportSection[];
}

const SEVERITY_ORDER: Severity[] = ['error', 'warning', 'information', 'hint'];
const STATUS_LABEL: Record<VerifyStatus, string> = { pass: 'pass', fail: 'FAIL', unknown: 'could not check' };

/** Builds the report. Deterministic: the same input gives the same tables. */
export function buildMigrationReport(input: ReportInput): MigrationReport {
  const sections = [findingsSection(input.findings), snapshotSection(input.snapshot, input.snapshotDir), verifySection(input.verify)];
  const counts = SEVERITY_ORDER.map((severity) => [severity, input.findings.filter((f) => f.severity === severity).length] as const).filter(([, n]) => n > 0);
  const findings = counts.length === 0 ? 'no findings' : counts.map(([severity, n]) => `${n} ${plural(severity, n)}`).join(', ');
  const snapshot = input.snapshot ? `snapshot of ${input.snapshot.host ?? 'the old host'}` : 'no snapshot';
  const verify = input.verify ? verifyCounts(input.verify.report) : 'not verified yet';
  return { title: `NixOS Homelab Migration Report — ${input.workspace}`, summary: `${findings}; ${snapshot}; ${verify}.`, sections };
}

function findingsSection(findings: readonly ReportFinding[]): ReportSection {
  if (findings.length === 0) {
    return { title: 'Findings', notes: ['No migration problems found in the compose files and the NixOS configuration.'], tables: [] };
  }
  const byRule = new Map<string, ReportFinding[]>();
  for (const finding of findings) byRule.set(finding.rule, [...(byRule.get(finding.rule) ?? []), finding]);
  const ruleRows = [...byRule.entries()]
    .sort(([a, fa], [b, fb]) => severityRank(fa) - severityRank(fb) || fb.length - fa.length || (a < b ? -1 : 1))
    .map(([rule, list]) => [rule, worstSeverity(list), String(list.length), [...new Set(list.map((f) => f.file))].sort().join(', ')]);
  const sorted = [...findings].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || (a.rule < b.rule ? -1 : 1)));
  return {
    title: 'Findings',
    notes: ['Each finding is also a diagnostic in the editor (Problems panel); docs/rules/<rule>.md explains each rule and its fix.'],
    tables: [
      { caption: 'By rule', columns: ['Rule', 'Severity', 'Count', 'Files'], rows: ruleRows },
      { caption: 'By file', columns: ['File', 'Line', 'Severity', 'Rule', 'Message'], rows: sorted.map((f) => [f.file, String(f.line), f.severity, f.rule, f.message]), details: sorted.map((f) => f.explanation) },
    ],
  };
}

function snapshotSection(snapshot: HostSnapshot | undefined, dir: string): ReportSection {
  if (!snapshot) {
    return {
      title: 'Old host snapshot',
      notes: [`No snapshot in ${dir}. Run "NixOS Homelab: Extract Host State over SSH…" (or import the pre_nixos_*.txt files) so users, groups and disks come from the old host.`],
      tables: [],
    };
  }
  const about = [
    ['Host', snapshot.host ?? 'unknown'],
    ['System', snapshot.os?.prettyName ?? snapshot.os?.id ?? 'unknown'],
    ['Taken', snapshot.takenAt ?? 'unknown'],
    ['Source', snapshot.source],
    ['Folder', dir],
  ];
  const tables: ReportTable[] = [{ caption: 'Snapshot', columns: ['', ''], rows: about }];
  tables.push({
    caption: 'Users',
    columns: ['Name', 'uid', 'gid', 'Groups'],
    rows: snapshot.users.map((u) => [u.name, String(u.uid), String(u.gid), u.groups.map((g) => `${g.name}(${g.gid})`).join(', ')]),
  });
  tables.push({ caption: 'Groups', columns: ['Name', 'gid', 'Members'], rows: snapshot.groups.map((g) => [g.name, String(g.gid), g.members.join(', ')]) });
  tables.push({
    caption: 'Data mounts',
    columns: ['Mount point', 'File system', 'UUID / device', 'Options', 'From'],
    rows: dataMounts(snapshot).map((m) => [m.mountpoint, m.fsType ?? '', m.uuid ?? m.device ?? '', m.options.join(','), m.origin]),
  });
  tables.push({ caption: 'GPUs', columns: ['Slot', 'Vendor', 'Description'], rows: snapshot.gpus.map((g) => [g.slot, g.vendor, g.description]) });
  tables.push({ caption: 'Render nodes (/dev/dri)', columns: ['Node', 'uid', 'gid', 'Mode'], rows: snapshot.dri.map((d) => [d.node, String(d.uid), String(d.gid), d.mode ?? '']) });
  tables.push({ caption: 'Gaps (what could not be read)', columns: ['Command', 'Why'], rows: snapshot.gaps.map((g) => [g.command, g.reason]) });
  return { title: 'Old host snapshot', notes: [], tables };
}

function verifySection(verify: ReportInput['verify']): ReportSection {
  if (!verify) {
    return {
      title: 'Verify',
      notes: ['The new host has not been verified from this workspace yet. After `nixos-rebuild switch`, run "NixOS Homelab: Verify NixOS Host over SSH…".'],
      tables: [],
    };
  }
  const { report, at } = verify;
  return {
    title: 'Verify',
    notes: [`${report.host}, checked ${at}: ${verifyCounts(report)}.`],
    tables: [{ columns: ['Check', 'Status', 'Found', 'What to do'], rows: report.checks.map((c) => [c.id, STATUS_LABEL[c.status], c.detail, c.fix ?? '']) }],
  };
}

function verifyCounts(report: VerifyReport): string {
  const count = (status: VerifyStatus): number => report.checks.filter((c) => c.status === status).length;
  return `verify: ${count('pass')} passed, ${count('fail')} failed, ${count('unknown')} could not be checked`;
}

function worstSeverity(findings: readonly ReportFinding[]): Severity {
  return SEVERITY_ORDER[severityRank(findings)] ?? 'hint';
}

function severityRank(findings: readonly ReportFinding[]): number {
  return Math.min(...findings.map((f) => SEVERITY_ORDER.indexOf(f.severity)));
}

function plural(severity: Severity, n: number): string {
  const word = severity === 'information' ? 'note' : severity;
  return n === 1 ? word : `${word}s`;
}
