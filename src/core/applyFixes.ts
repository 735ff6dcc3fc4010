import * as path from 'node:path';
import { AnalysisCache } from './analysisCache';
import type { DiskHost } from './fileHost';
import { applyEdits } from './edits/applyEdits';
import { fixPhase } from './fixes/fixOrder';
import type { CodeFix, FixHint } from './fixes/model';
import { createOverlayHost } from './hostLayers';
import { LineIndex, type Range } from './text';
import type { FileHost, Finding } from './types';
import type { WorkspaceAnalysis, WorkspaceOptions } from './workspace';
import type { Settings } from './settings';

/** The fix engine's entry point (src/core/fixes/index.ts), passed in so this module stays testable on its own. */
export type ComputeFixes = (finding: Finding, analysis: WorkspaceAnalysis, host: FileHost, settings: Settings) => { fixes: CodeFix[]; hints: FixHint[] };

/** The outcome of applying every preferred fix: new texts per file, computed in memory, nothing written. */
export interface AppliedFixes {
  /** Files whose text changed (or that were created), with the text before (undefined: created) and after. */
  changes: Map<string, { before: string | undefined; after: string }>;
  /** Titles of the fixes applied, in order. */
  applied: string[];
  /** Why some findings in scope were left (no preferred fix, fix no longer applicable). */
  hints: FixHint[];
}

/** At most this many fixes in one run: every fix removes a finding, so more means a fix that does not. */
const MAX_FIXES = 200;

/**
 * Applies the preferred fix of every fixable finding in scope, one at a time: after each fix the workspace is
 * re-analysed over the edited texts (cheaply: AnalysisCache recomputes only what read a changed file), so later
 * fixes see earlier ones — two fixes inserting into the same `users.users.palav` block merge instead of
 * colliding. Used by `lint --fix`, the "Apply All Fixes" command and `source.fixAll`.
 */
export function applyPreferredFixes(
  options: WorkspaceOptions,
  base: DiskHost,
  computeFixes: ComputeFixes,
  inScope: (finding: Finding) => boolean = () => true,
  extraComposeFiles: readonly string[] = [],
): AppliedFixes {
  const edited = new Map<string, string>();
  const host = createOverlayHost(base, { textOf: (file) => edited.get(file), files: () => edited.keys() });
  const cache = new AnalysisCache(options, host);
  const originals = new Map<string, string | undefined>();
  const attempted = new Set<string>();
  const applied: string[] = [];
  const hints: FixHint[] = [];
  try {
    while (applied.length < MAX_FIXES) {
      const analysis = cache.analyse(extraComposeFiles);
      // Declarations first, then the compose rewrites that depend on what the configuration finally says.
      const open = analysis.findings.filter((finding) => inScope(finding) && !attempted.has(findingKey(finding)));
      const next = open.find((finding) => fixPhase(finding.code) === 1) ?? open[0];
      if (!next) break;
      attempted.add(findingKey(next));
      const { fixes, hints: fixHints } = computeFixes(next, analysis, host, options.settings);
      const fix = fixes.find((candidate) => candidate.preferred);
      if (!fix) {
        hints.push(...fixHints);
        continue;
      }
      const result = applyFix(fix, host);
      if (typeof result === 'string') {
        hints.push({ code: fix.code, message: result });
        continue;
      }
      for (const [file, text] of result) {
        if (!originals.has(file)) originals.set(file, base.readText(file));
        edited.set(file, text);
      }
      applied.push(fix.title);
    }
  } finally {
    cache.dispose();
  }
  const changes = new Map<string, { before: string | undefined; after: string }>();
  for (const [file, after] of edited) {
    const before = originals.get(file);
    if (before !== after) changes.set(file, { before, after });
  }
  return { changes, applied, hints };
}

/** What `fixAll` fixes: the findings in scope, and compose files the walk does not find (unsaved editor buffers). */
export interface FixAllScope {
  inScope?: (finding: Finding) => boolean;
  extraComposeFiles?: readonly string[];
}

/**
 * "Fix all": the one orchestration behind `lint --fix`, "Apply All Fixes", `source.fixAll` and the quick-fix menu's
 * "Fix all <rule> problems". Two runs of applyPreferredFixes: the declarations first (fix phase 1, see fixOrder.ts),
 * then everything in scope over the declared configuration — a compose rewrite must see what the configuration
 * finally says. The changes of both runs are merged per file (before: the text on disk or in the editor).
 */
export function fixAll(options: WorkspaceOptions, base: DiskHost, computeFixes: ComputeFixes, scope: FixAllScope = {}): AppliedFixes {
  const inScope = scope.inScope ?? (() => true);
  const extra = scope.extraComposeFiles ?? [];
  const first = applyPreferredFixes(options, base, computeFixes, (finding) => inScope(finding) && fixPhase(finding.code) === 1, extra);
  const staged = new Map([...first.changes].map(([file, change]) => [file, change.after]));
  const layered = createOverlayHost(base, { textOf: (file) => staged.get(file), files: () => staged.keys() });
  const second = applyPreferredFixes(options, layered, computeFixes, inScope, extra);
  const changes = new Map(first.changes);
  for (const [file, change] of second.changes) changes.set(file, { before: first.changes.has(file) ? first.changes.get(file)?.before : change.before, after: change.after });
  for (const [file, change] of changes) if (change.before === change.after) changes.delete(file);
  return { changes, applied: [...first.applied, ...second.applied], hints: [...first.hints, ...second.hints] };
}

/** New texts of the files a fix touches, or why it cannot apply (a file no longer has the text it was made for). */
export function applyFix(fix: CodeFix, host: FileHost): Map<string, string> | string {
  const texts = new Map<string, string>();
  for (const creation of fix.creates) {
    if (host.readText(creation.file) === undefined) texts.set(creation.file, creation.text);
  }
  for (const edit of fix.edits) {
    const current = texts.get(edit.file) ?? host.readText(edit.file);
    if (current !== edit.baseText) return `${fix.title}: ${path.basename(edit.file)} changed since the fix was computed`;
    try {
      texts.set(edit.file, applyEdits(current, edit.edits));
    } catch (error) {
      // Overlapping edits are the fix builder's bug: skip this fix, keep the others.
      return `${fix.title}: ${(error as Error).message}`;
    }
  }
  return texts;
}

/** The smallest single edit turning `before` into `after` (common prefix and suffix kept), for a minimal WorkspaceEdit. */
export function minimalEdit(before: string, after: string): { range: Range; newText: string } {
  const max = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  const lines = new LineIndex(before);
  return { range: lines.rangeOf(prefix, before.length - suffix), newText: after.slice(prefix, after.length - suffix) };
}

function findingKey(finding: Finding): string {
  return `${finding.code}|${finding.file}|${finding.message}`;
}
