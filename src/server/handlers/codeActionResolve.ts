import type { CodeAction, ExecuteCommandParams } from 'vscode-languageserver/node';
import { z } from 'zod';
import type { ServerContext } from '../context';
import { handler } from '../handler';
import type { ParamsSchema } from '../requestParams';
import { FIX_ALL_OF_RULE_COMMAND, fixAllEdit, resolveFixAllAction } from '../ruleActions';
import { REVEAL_FIX_COMMAND } from './codeActions';

const position = z.object({ line: z.number().int().min(0), character: z.number().int().min(0) });
const range = z.object({ start: position, end: position });
const CODE_ACTION = z.object({ title: z.string() }).passthrough() as unknown as ParamsSchema<CodeAction>;
const EXECUTE_COMMAND = z.object({ command: z.string(), arguments: z.array(z.unknown()).optional() }).passthrough() as unknown as ParamsSchema<ExecuteCommandParams>;
const REVEAL_ARGUMENT = z.object({ uri: z.string(), range });

/** `codeAction/resolve`: the edit of a "fix all <rule>" entry, computed when the user picks it. */
export function codeActionResolveHandler(ctx: ServerContext) {
  return handler<CodeAction, CodeAction>('codeActionResolve', ctx, CODE_ACTION, (action) => resolveFixAllAction(ctx, action));
}

/**
 * `workspace/executeCommand` of the server's own commands: after a quick fix that edits another file, the editor
 * is asked to show that file at what the fix wrote, beside and without taking the focus from the user's file; a
 * "fix all" entry of a client without `codeAction/resolve` sends its edit.
 */
export function executeCommandHandler(ctx: ServerContext) {
  return handler<ExecuteCommandParams, boolean>('executeCommand', ctx, EXECUTE_COMMAND, async (params) => {
    if (params.command === FIX_ALL_OF_RULE_COMMAND) {
      const edit = fixAllEdit(ctx, params.arguments?.[0]);
      return edit ? (await ctx.connection.workspace.applyEdit({ label: 'Fix all', edit })).applied : false;
    }
    if (params.command !== REVEAL_FIX_COMMAND) return false;
    const argument = REVEAL_ARGUMENT.safeParse(params.arguments?.[0]);
    if (!argument.success) return false;
    const shown = await ctx.connection.window.showDocument({ uri: argument.data.uri, selection: argument.data.range, takeFocus: false });
    return shown.success;
  });
}
