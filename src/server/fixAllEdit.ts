import { fixAll, type AppliedFixes } from '../core/applyFixes';
import type { Finding } from '../core/types';
import type { ServerContext } from './context';
import type { AnalysedRoot } from './workspaceIndex';

/** Which findings a "fix all" takes: of one file or the whole workspace, of one rule or every rule. */
export interface FixAllRequest {
  /** Only findings of this file; undefined: every folder of the workspace. */
  file?: string;
  /** Only findings of this rule id; undefined: every rule. */
  rule?: string;
}

/**
 * core's `fixAll` (the orchestration `lint --fix` runs too) over the roots a request covers, with the editor's
 * texts: open documents, unsaved compose files included. Each root's run is separate (its own settings and
 * configuration); their changes are merged, so the editor gets one edit and one undo.
 */
export function fixAllInEditor(ctx: ServerContext, request: FixAllRequest): AppliedFixes & { roots: AnalysedRoot[] } {
  const roots = request.file === undefined ? ctx.index.folders() : [ctx.analysisFor(request.file).root];
  const inScope = (finding: Finding): boolean => (request.file === undefined || finding.file === request.file) && (request.rule === undefined || finding.code === request.rule);
  const merged: AppliedFixes & { roots: AnalysedRoot[] } = { changes: new Map(), applied: [], hints: [], leftAlone: new Map(), roots: [] };
  for (const root of roots) {
    // The pending analysis runs first, so the run starts from what the editor shows.
    ctx.runner.analysisOf(root);
    const result = fixAll(root.cache.options, ctx.index.source, { inScope, extraComposeFiles: ctx.index.openFiles(root) });
    merged.hints.push(...result.hints);
    if (result.applied.length === 0) continue;
    merged.applied.push(...result.applied);
    merged.roots.push(root);
    for (const [file, change] of result.changes) {
      const earlier = merged.changes.get(file);
      // Nested folders may both fix a shared module: the later run started from the same text, keep the first.
      if (!earlier) merged.changes.set(file, change);
    }
  }
  return merged;
}
