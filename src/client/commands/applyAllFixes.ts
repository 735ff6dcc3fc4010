import * as vscode from 'vscode';
import { ApplyAllFixesRequest, WorkspaceSummaryRequest, type ApplyAllFixesResult, type WorkspaceSummary } from '../../shared/protocol';
import type { CommandContext } from './commandContext';

export interface AppliedFixes extends ApplyAllFixesResult {
  /** Findings of the workspace that went away with the edit: what the user sees disappear from Problems. */
  resolved: number;
  /** Findings of the workspace left after it. */
  remaining: number;
}

/**
 * "Apply All Fixes": the server computes every preferred fix and asks the editor to apply them as one edit (one
 * undo). With a URI argument (editor title / context menu) only that document's findings are fixed. The message
 * counts findings resolved — one fix (a `uid` in users.users.palav) often resolves several findings — from the
 * server's workspace counts before and after the edit.
 */
export async function applyAllFixes(ctx: CommandContext, uri?: unknown): Promise<AppliedFixes | undefined> {
  const client = ctx.client();
  if (!client) throw new Error('the language server is not running (see "NixOS Homelab: Show Output")');
  const params = uri instanceof vscode.Uri ? { uri: client.code2ProtocolConverter.asUri(uri) } : {};
  const { result, before, after } = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'NixOS Homelab: applying fixes…' },
    async () => {
      // The summary request runs the pending analysis first, so both counts are of the current text; the client
      // delivers the edit's document changes before any later request.
      const countsBefore = await client.sendRequest(WorkspaceSummaryRequest.type);
      const applied = await client.sendRequest(ApplyAllFixesRequest.type, params);
      const countsAfter = await client.sendRequest(WorkspaceSummaryRequest.type);
      return { result: applied, before: countsBefore, after: countsAfter };
    },
  );
  const resolved = Math.max(0, total(before) - total(after));
  for (const hint of result.hints) ctx.output.appendLine(`not fixed: ${hint}`);
  const left = result.hints.length > 0 ? ` ${result.hints.length} findings need a manual change (details in the output).` : '';
  const edits = `${result.applied} ${result.applied === 1 ? 'fix' : 'fixes'}`;
  if (!result.accepted) void vscode.window.showWarningMessage(`NixOS Homelab: the editor did not apply the fixes (a file changed meanwhile?). Try again.${left}`);
  else if (result.applied === 0) void vscode.window.showInformationMessage(`NixOS Homelab: nothing to fix automatically.${left}`);
  else void vscode.window.showInformationMessage(`NixOS Homelab: ${resolved} ${resolved === 1 ? 'finding' : 'findings'} resolved by ${edits} (not saved yet); ${total(after)} left.${left}`);
  return { ...result, resolved, remaining: total(after) };
}

function total(summary: WorkspaceSummary): number {
  return summary.counts.error + summary.counts.warning + summary.counts.information + summary.counts.hint;
}
