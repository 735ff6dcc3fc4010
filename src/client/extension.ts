/**
 * The VS Code face of the product: starts the language server, registers the commands, shows the findings count.
 * All analysis happens in the server (src/server) over the shared core (src/core).
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { WorkspaceSummaryNotification, WorkspaceSummaryRequest } from '../shared/protocol';
import { registerCommands } from './commands';
import { createLanguageClient } from './languageClient';
import { FindingsStatusBar } from './statusBar';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('NixOS Homelab');
  const statusBar = new FindingsStatusBar();
  context.subscriptions.push(output, statusBar);

  const start = async (): Promise<void> => {
    client = createLanguageClient(context, output);
    try {
      await client.start();
    } catch (error) {
      statusBar.failed(`the language server did not start: ${error instanceof Error ? error.message : String(error)}`);
      output.appendLine(`Language server failed to start: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      return;
    }
    context.subscriptions.push(client.onNotification(WorkspaceSummaryNotification.type, (summary) => statusBar.update(summary)));
    client.sendRequest(WorkspaceSummaryRequest.type).then((summary) => statusBar.update(summary), () => undefined);
  };

  context.subscriptions.push(
    ...registerCommands({
      extension: context,
      output,
      client: () => client,
      restartServer: async () => {
        const running = client;
        client = undefined;
        await running?.stop().catch((error: unknown) => output.appendLine(`Stopping the server: ${String(error)}`));
        await start();
        output.appendLine('Language server restarted.');
      },
    }),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
