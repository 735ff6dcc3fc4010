import * as path from 'node:path';
import { applyPreferredFixes } from '../../core/applyFixes';
import type { ApplyAllFixesParams, ApplyAllFixesResult } from '../../shared/protocol';
import type { ServerContext } from '../context';
import { computeFixes } from '../fixEngine';
import { handler } from '../handler';
import { APPLY_ALL_FIXES_PARAMS } from '../requestParams';
import { uriToPath } from '../uri';
import { changesToWorkspaceEdit } from '../workspaceEdit';

/**
 * `nixosHomelab/applyAllFixes`: every preferred fix of the workspace (or of one document), applied in memory one
 * after another, then sent to the client as one WorkspaceEdit (`workspace/applyEdit`), so a single undo reverts it.
 */
export function applyAllFixesHandler(ctx: ServerContext) {
  return handler<ApplyAllFixesParams, ApplyAllFixesResult>('applyAllFixes', ctx, APPLY_ALL_FIXES_PARAMS, async (params) => {
    const onlyFile = params.uri === undefined ? undefined : uriToPath(params.uri);
    const roots = onlyFile === undefined ? ctx.index.folders() : [ctx.analysisFor(onlyFile).root];
    let applied = 0;
    let accepted = true;
    const hints: string[] = [];
    for (const root of roots) {
      ctx.runner.analysisOf(root);
      const result = applyPreferredFixes(root.cache.options, ctx.index.host, computeFixes, (finding) => onlyFile === undefined || finding.file === onlyFile, ctx.index.openComposeFiles(root));
      hints.push(...result.hints.map((hint) => `${hint.code}: ${hint.message}`));
      if (result.applied.length === 0) continue;
      const edit = changesToWorkspaceEdit(result.changes, ctx);
      if (!edit) {
        hints.push(`${path.basename(root.root)}: the fixes create files, which this workspace does not allow (restricted mode)`);
        continue;
      }
      const response = await ctx.connection.workspace.applyEdit({ label: 'Apply all NixOS Homelab fixes', edit });
      if (response.applied) applied += result.applied.length;
      else accepted = false;
    }
    return { applied, accepted, hints };
  });
}
