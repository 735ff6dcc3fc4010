import { planAddImport } from '../../core/nix/editImports';
import type { AddImportParams, AddImportResult } from '../../shared/protocol';
import type { ServerContext } from '../context';
import { handler } from '../handler';
import { ADD_IMPORT_PARAMS } from '../requestParams';
import { uriToPath } from '../uri';
import { fixToWorkspaceEdit } from '../workspaceEdit';

/**
 * `nixosHomelab/addImport`: plans the `imports` edit of the entry module with the core planner (the one quick
 * fixes use for homelab.nix) and asks the editor to apply it, so it lands in the open buffer with undo.
 */
export function addImportHandler(ctx: ServerContext) {
  return handler<AddImportParams, AddImportResult>('addImport', ctx, ADD_IMPORT_PARAMS, async (params) => {
    const entry = uriToPath(params.entry);
    const module = uriToPath(params.module);
    if (!entry || !module) return { outcome: 'error', message: 'only files on disk can be imported' };
    const plan = planAddImport(entry, module, ctx.index.source);
    if (plan.kind === 'error') return { outcome: 'error', message: plan.message };
    if (plan.kind === 'already-imported') return { outcome: 'already-imported', written: plan.written };
    const edit = fixToWorkspaceEdit({ title: 'Add to imports', preferred: false, code: 'imports', edits: [plan.edit], creates: [] }, ctx.index.source, ctx);
    if (!edit) return { outcome: 'refused', written: plan.written, message: `${entry} changed while the edit was planned; try again` };
    const response = await ctx.connection.workspace.applyEdit({ label: `Import ${plan.written}`, edit });
    return response.applied
      ? { outcome: 'added', written: plan.written }
      : { outcome: 'refused', written: plan.written, message: response.failureReason ?? 'the editor did not apply the edit' };
  });
}
