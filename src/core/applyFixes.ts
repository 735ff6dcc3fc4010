import * as path from 'node:path';
import { AnalysisCache } from './analysis/incremental';
import type { FileSource } from './analysis/fileSource';
import { applyEdits } from './edits/applyEdits';
import { fixPhase } from './fixes/fixOrder';
import { computeFixes } from './fixes';
import type { CodeFix, FixHint } from './fixes/model';
import { createOverlaySource } from './analysis/fileLayers';
import { LineIndex, type Range } from './text';
import type { FileReader, Finding } from './types';
import type { WorkspaceOptions } from './analysis/types';

/** The outcome of applying every preferred fix: new texts per file, computed in memory, nothing written. */
export interface AppliedFixes {
  /** Files whose text changed (or that were created), with the text before (undefined: created) and after. */
  changes: Map<string, { before: string | undefined; after: string }>;
  /** Titles of the fixes applied, in order. */
  applied: string[];
  /** Why some findings in scope were left (no preferred fix, fix no longer applicable). */
  hints: FixHint[];
  /** Files the scope did not let fixes edit (`mayEdit`), with the titles of the preferred fixes left for them. */
  leftAlone: Map<string, Set<string>>;
}

/** At most this many fixes in one run: every fix removes a finding, so more means a fix that does not. */
const MAX_FIXES = 200;

/**
 * Applies the preferred fix of every fixable finding in scope, one at a time: after each fix the workspace is
 * re-analysed over the edited texts (cheaply: AnalysisCache recomputes only what read a changed file), so later
 * fixes see earlier ones — two fixes inserting into the same `users.users.palav` block merge instead of
 * colliding. One run of `fixAll`.
 */
function applyPreferredFixes(options: WorkspaceOptions, base: FileSource, inScope: (finding: Finding) => boolean, extraComposeFiles: readonly string[], mayEdit: (file: string) => boolean): AppliedFixes {
  const edited = new Map<string, string>();
  const source = createOverlaySource(base, { textOf: (file) => edited.get(file), files: () => edited.keys() });
  const cache = new AnalysisCache(options, source);
  const originals = new Map<string, string | undefined>();
  const attempted = new Set<string>();
  const applied: string[] = [];
  const hints: FixHint[] = [];
  const leftAlone = new Map<string, Set<string>>();
  try {
    while (applied.length < MAX_FIXES) {
      const analysis = cache.analyse(extraComposeFiles);
      // Declarations first, then the compose rewrites that depend on what the configuration finally says.
      const open = analysis.findings.filter((finding) => inScope(finding) && !attempted.has(findingKey(finding)));
      const next = open.find((finding) => fixPhase(finding.code) === 1) ?? open[0];
      if (!next) break;
      attempted.add(findingKey(next));
      const { fixes, hints: fixHints } = computeFixes(next, analysis, source, options.settings);
      // A preferred fix that would edit a file the scope keeps out of bounds is not taken: the finding stays, and
      // later fixes see the workspace without it (a partial fix never leaves an import pointing at nothing).
      for (const candidate of fixes) {
        if (!candidate.preferred) continue;
        for (const file of filesOf(candidate).filter((touched) => !mayEdit(touched))) leftAlone.set(file, (leftAlone.get(file) ?? new Set()).add(candidate.title));
      }
      const fix = fixes.find((candidate) => candidate.preferred && filesOf(candidate).every(mayEdit));
      if (!fix) {
        hints.push(...fixHints);
        continue;
      }
      const result = applyFix(fix, source);
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
  return { changes, applied, hints, leftAlone };
}

/**
 * What `fixAll` fixes: the findings in scope, compose files the walk does not find (unsaved editor buffers), and
 * the files fixes may edit or create (`lint --fix` without `--fix-outside`: the folders given; default: any).
 */
export interface FixAllScope {
  inScope?: (finding: Finding) => boolean;
  extraComposeFiles?: readonly string[];
  mayEdit?: (file: string) => boolean;
}

/**
 * "Fix all": the one orchestration behind `lint --fix`, "Apply All Fixes", `source.fixAll` and the quick-fix menu's
 * "Fix all <rule> problems". Two runs of applyPreferredFixes: the declarations first (fix phase 1, see fixOrder.ts),
 * then everything in scope over the declared configuration — a compose rewrite must see what the configuration
 * finally says. The changes of both runs are merged per file (before: the text on disk or in the editor).
 */
export function fixAll(options: WorkspaceOptions, base: FileSource, scope: FixAllScope = {}): AppliedFixes {
  const inScope = scope.inScope ?? (() => true);
  const extra = scope.extraComposeFiles ?? [];
  const mayEdit = scope.mayEdit ?? (() => true);
  const first = applyPreferredFixes(options, base, (finding) => inScope(finding) && fixPhase(finding.code) === 1, extra, mayEdit);
  const staged = new Map([...first.changes].map(([file, change]) => [file, change.after]));
  const layered = createOverlaySource(base, { textOf: (file) => staged.get(file), files: () => staged.keys() });
  const second = applyPreferredFixes(options, layered, inScope, extra, mayEdit);
  const changes = new Map(first.changes);
  for (const [file, change] of second.changes) changes.set(file, { before: first.changes.has(file) ? first.changes.get(file)?.before : change.before, after: change.after });
  for (const [file, change] of changes) if (change.before === change.after) changes.delete(file);
  const leftAlone = new Map(first.leftAlone);
  for (const [file, titles] of second.leftAlone) leftAlone.set(file, new Set([...(leftAlone.get(file) ?? []), ...titles]));
  return { changes, applied: [...first.applied, ...second.applied], hints: [...first.hints, ...second.hints], leftAlone };
}

/** New texts of the files a fix touches, or why it cannot apply (a file no longer has the text it was made for). */
export function applyFix(fix: CodeFix, source: FileReader): Map<string, string> | string {
  const texts = new Map<string, string>();
  for (const creation of fix.creates) {
    if (source.readText(creation.file) === undefined) texts.set(creation.file, creation.text);
  }
  for (const edit of fix.edits) {
    const current = texts.get(edit.file) ?? source.readText(edit.file);
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

/** Every file a fix edits or creates. */
function filesOf(fix: CodeFix): string[] {
  return [...new Set([...fix.edits.map((edit) => edit.file), ...fix.creates.map((creation) => creation.file)])];
}

function findingKey(finding: Finding): string {
  return `${finding.code}|${finding.file}|${finding.message}`;
}
