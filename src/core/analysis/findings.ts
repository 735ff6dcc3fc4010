import * as path from 'node:path';
import type { NixConfiguration } from '../nix/model';
import type { RuleFinding } from '../rules';
import { FILE_START, sameRange } from '../text';
import type { Finding, FindingData } from '../types';
import type { HostRef } from './types';

/** Runs one rule, turning a crash into a single finding so one broken rule never hides the others. */
export function runRule<T>(rule: { id: string; check(ctx: T): RuleFinding[] }, ctx: T, fallbackFile: string): RuleFinding[] {
  try {
    return rule.check(ctx);
  } catch (error) {
    return [{ file: fallbackFile, range: FILE_START, message: `Internal error in rule ${rule.id}: ${(error as Error).message}`, explanation: 'Please report it; other rules still ran.', related: [] }];
  }
}

/** With several hosts in one repository, say which host (and entry module) a stack was checked against. */
export function withEntryNote(found: RuleFinding, nix: NixConfiguration | undefined, entryCount: number, host?: HostRef): RuleFinding {
  if (!nix || entryCount < 2 || found.related.some((r) => r.location.file === nix.entry)) return found;
  const module = `${path.basename(path.dirname(nix.entry))}/${path.basename(nix.entry)}`;
  return { ...found, related: [...found.related, { location: { file: nix.entry, range: FILE_START }, message: host ? `checked against host ${host.name} (${module})` : `checked against ${module}` }] };
}

function dedupeFindings(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = dedupeKey(f);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** What makes two findings the same one; kept per finding object (the language server merges the same ones often). */
const dedupeKeys = new WeakMap<Finding, string>();
function dedupeKey(f: Finding): string {
  let key = dedupeKeys.get(f);
  if (key === undefined) {
    key = `${f.code}|${f.file}|${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}|${f.message}`;
    dedupeKeys.set(f, key);
  }
  return key;
}

/** Equal in everything a finding says (its data is JSON: numbers, strings, booleans, null, arrays of them). */
export function sameFinding(a: Finding, b: Finding): boolean {
  return (
    a === b ||
    (a.code === b.code &&
    a.severity === b.severity &&
    a.file === b.file &&
    sameRange(a.range, b.range) &&
    a.message === b.message &&
    a.explanation === b.explanation &&
    a.host?.name === b.host?.name &&
    a.host?.entry === b.host?.entry &&
    a.related.length === b.related.length &&
    a.related.every((r, i) => {
      const other = b.related[i];
      return other !== undefined && r.message === other.message && r.location.file === other.location.file && sameRange(r.location.range, other.location.range);
    }) &&
    sameData(a.data, b.data))
  );
}

function sameData(a: FindingData | undefined, b: FindingData | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  let count = 0;
  for (const key in a) {
    count++;
    const left = a[key];
    const right = b[key];
    if (left === right) continue;
    if (!Array.isArray(left) || !Array.isArray(right) || left.length !== right.length) return false;
    for (let i = 0; i < left.length; i++) if (left[i] !== right[i]) return false;
  }
  for (const _key in b) count--;
  return count === 0;
}

function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}

/** The finding, naming the host it was checked against. */
export function withHost(finding: Finding | undefined, host: HostRef | undefined): Finding | undefined {
  if (finding && host) finding.host = host;
  return finding;
}

/** One file's findings as an analysis lists them: deduplicated and sorted. */
export function mergedFileFindings(findings: Finding[]): Finding[] {
  return sortFindings(dedupeFindings(findings));
}

/** The findings of every stage as one list: deduplicated and sorted by file, then position, then rule. */
export function mergeFindings(parts: readonly Finding[][]): Finding[] {
  return mergedFileFindings(parts.flat());
}
