/**
 * The VS Code face of the product: starts the language server, registers the commands, keeps the status item and
 * the walkthrough's context keys in step with the analysis. All analysis happens in the server (src/server) over
 * the shared core (src/core).
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { EvaluationStatusNotification, WorkspaceSummaryNotification, WorkspaceSummaryRequest, WorkspaceTrustedNotification } from '../shared/protocol';
import { registerCommands } from './commands';
import { createLanguageClient } from './languageClient';
import { offerSnapshotFolder } from './migration/snapshotFolders';
import { HomelabState } from './state/homelabState';
import { HomelabStatusBar } from './statusBar';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('NixOS Homelab');
  const state = new HomelabState(context, () => client);
  const statusBar = new HomelabStatusBar();
  context.subscriptions.push(output, state, statusBar, state.onDidChange((status) => statusBar.update(status)));

  const start = async (): Promise<void> => {
    client = createLanguageClient(context, output);
    // A new server has evaluated nothing yet; its states come as it evaluates (registered before start: the first
    // may come before start() resolves).
    state.setEvaluation([]);
    context.subscriptions.push(client.onNotification(EvaluationStatusNotification.type, ({ hosts }) => state.setEvaluation(hosts)));
    try {
      await client.start();
    } catch (error) {
      state.setServerFailed(`it did not start: ${error instanceof Error ? error.message : String(error)}`);
      output.appendLine(`Language server failed to start: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      return;
    }
    context.subscriptions.push(client.onNotification(WorkspaceSummaryNotification.type, (summary) => state.setSummary(summary)));
    client.sendRequest(WorkspaceSummaryRequest.type).then((summary) => state.setSummary(summary), () => undefined);
  };

  context.subscriptions.push(
    ...registerCommands({
      extension: context,
      output,
      client: () => client,
      state,
      restartServer: async () => {
        const running = client;
        client = undefined;
        await running?.stop().catch((error: unknown) => output.appendLine(`Stopping the server: ${String(error)}`));
        await start();
        output.appendLine('Language server restarted.');
      },
    }),
  );
  // Trust granted while running: the server may evaluate with Nix from now on (it was started untrusted).
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void client?.sendNotification(WorkspaceTrustedNotification.type, {}).catch(() => undefined)));
  await start();
  void state.refresh();
  // Not awaited: activation must not wait for a notification the user may never answer.
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    offerSnapshotFolder(context.workspaceState, folder).catch((error: unknown) => output.appendLine(`Looking for snapshot folders in ${folder.name}: ${String(error)}`));
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
