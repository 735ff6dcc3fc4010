import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { CommandContext } from '../commands/commandContext';

/** A failure the user can act on: its message, with "Show Output" for ssh's own words (logged there). */
export function showFailure(ctx: CommandContext, what: string, error: { message: string; detail?: string }): void {
  ctx.output.appendLine(`${what}: ${error.message}`);
  if (error.detail) ctx.output.appendLine(error.detail.split('\n').map((line) => `    ${line}`).join('\n'));
  void vscode.window.showErrorMessage(`NixOS Homelab: ${error.message}`, 'Show Output').then((choice) => {
    if (choice) ctx.output.show(true);
  });
}

/** The running language client, or an error saying how to get one. */
export function requireClient(ctx: CommandContext): LanguageClient {
  const client = ctx.client();
  if (!client) throw new Error('the language server is not running (see "NixOS Homelab: Show Output", or run "NixOS Homelab: Restart Language Server")');
  return client;
}

/** Asks before replacing something; the answer is only ever "yes" when the user clicked the button. */
export async function confirmReplace(message: string, detail: string, button: string): Promise<boolean> {
  const choice = await vscode.window.showWarningMessage(message, { modal: true, detail }, button);
  return choice === button;
}

/** Opens a file in an editor (preview off, so it stays). */
export async function openFile(file: vscode.Uri): Promise<void> {
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file), { preview: false });
}
