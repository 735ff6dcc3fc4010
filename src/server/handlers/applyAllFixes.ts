import type { ApplyAllFixesParams, ApplyAllFixesResult } from '../../shared/protocol';
import type { ServerContext } from '../context';
import { fixAllInEditor } from '../fixAllEdit';
import { handler } from '../handler';
import { APPLY_ALL_FIXES_PARAMS } from '../requestParams';
import { uriToPath } from '../uri';
import { changesToWorkspaceEdit } from '../workspaceEdit';

/**
 * `nixosHomelab/applyAllFixes`: every preferred fix of the workspace (or of one document), applied in memory one
 * after another by core's `fixAll` (the same run as `lint --fix` and the quick-fix menu's "Fix all"), then sent to
 * the client as one WorkspaceEdit (`workspace/applyEdit`), so a single undo reverts it.
 */
export function applyAllFixesHandler(ctx: ServerContext) {
  return handler<ApplyAllFixesParams, ApplyAllFixesResult>('applyAllFixes', ctx, APPLY_ALL_FIXES_PARAMS, async (params) => {
    const onlyFile = params.uri === undefined ? undefined : uriToPath(params.uri);
    const result = fixAllInEditor(ctx, { file: onlyFile });
    const hints = result.hints.map((hint) => `${hint.code}: ${hint.message}`);
    if (result.applied.length === 0) return { applied: 0, accepted: true, hints };
    const edit = changesToWorkspaceEdit(result.changes, ctx);
    if (!edit) return { applied: 0, accepted: true, hints: [...hints, 'the fixes create files, which this workspace does not allow (restricted mode)'] };
    const response = await ctx.connection.workspace.applyEdit({ label: 'Apply all NixOS Homelab fixes', edit });
    return { applied: response.applied ? result.applied.length : 0, accepted: response.applied, hints };
  });
}
