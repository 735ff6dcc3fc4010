import * as vscode from 'vscode';
import { ApplyAllFixesRequest, type ApplyAllFixesResult } from '../../shared/protocol';
import type { CommandContext } from './index';

/**
 * "Apply All Fixes": the server computes every preferred fix and asks the editor to apply them as one edit (one
 * undo). With a URI argument (editor title / context menu) only that document's findings are fixed.
 */
export async function applyAllFixes(ctx: CommandContext, uri?: unknown): Promise<ApplyAllFixesResult | undefined> {
  const client = ctx.client();
  if (!client) throw new Error('the language server is not running (see "NixOS Homelab: Show Output")');
  const params = uri instanceof vscode.Uri ? { uri: client.code2ProtocolConverter.asUri(uri) } : {};
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'NixOS Homelab: applying fixes…' },
    () => client.sendRequest(ApplyAllFixesRequest.type, params),
  );
  for (const hint of result.hints) ctx.output.appendLine(`not fixed: ${hint}`);
  const left = result.hints.length > 0 ? ` ${result.hints.length} findings need a manual change (details in the output).` : '';
  if (!result.accepted) void vscode.window.showWarningMessage(`NixOS Homelab: the editor did not apply the fixes (a file changed meanwhile?). Try again.${left}`);
  else if (result.applied === 0) void vscode.window.showInformationMessage(`NixOS Homelab: nothing to fix automatically.${left}`);
  else void vscode.window.showInformationMessage(`NixOS Homelab: applied ${result.applied} fixes (not saved yet).${left}`);
  return result;
}
