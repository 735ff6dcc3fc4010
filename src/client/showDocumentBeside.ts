import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';

/**
 * `window/showDocument` without focus (what the server sends after a quick fix that edits another file) opens
 * that file beside the one the user is in, at what the fix wrote — the library's default would put it in the same
 * editor group, in place of the compose file being fixed. Requests that take the focus or are external keep the
 * library's handling.
 */
export const showDocumentBeside: NonNullable<NonNullable<Middleware['window']>['showDocument']> = async (params, next) => {
  if (params.external === true || params.takeFocus === true) {
    const result = await next(params, new vscode.CancellationTokenSource().token);
    return 'success' in result ? result : { success: false };
  }
  try {
    const selection = params.selection
      ? new vscode.Range(params.selection.start.line, params.selection.start.character, params.selection.end.line, params.selection.end.character)
      : undefined;
    await vscode.window.showTextDocument(vscode.Uri.parse(params.uri), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true, preview: true, selection });
    return { success: true };
  } catch {
    return { success: false };
  }
};
