import * as path from 'node:path';
import * as vscode from 'vscode';
import { CloseAction, ErrorAction, LanguageClient, TransportKind, type ErrorHandler, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SETTINGS_SECTION, type InitializationOptions } from '../shared/protocol';
import { COMMAND_IDS } from './commands/commandList';
import { DOCUMENT_SELECTOR, watchedGlobs } from './selectors';
import { MAX_INITIALIZE_RETRIES, RestartPolicy } from './serverRestarts';
import { showDocumentBeside } from './showDocumentBeside';

/**
 * Creates (not starts) the client of the bundled server, dist/server.js, over stdio: the transport every editor
 * uses, and the one where the server writes re-published diagnostics from their cached JSON (server/publish/stdioWriter.ts).
 */
export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.OutputChannel): LanguageClient {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.stdio },
    debug: { module, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const snapshotPath = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<string>('snapshotPath', '.nixos-homelab/snapshot');
  const watchers = watchedGlobs(snapshotPath).map((glob) => vscode.workspace.createFileSystemWatcher(glob));
  context.subscriptions.push(...watchers);
  const initializationOptions: InitializationOptions = { trusted: vscode.workspace.isTrusted, cacheDir: context.globalStorageUri.fsPath };
  let initializeFailures = 0;
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel: output,
    initializationOptions,
    synchronize: { fileEvents: watchers, configurationSection: SETTINGS_SECTION },
    errorHandler: crashHandler(output),
    middleware: { window: { showDocument: showDocumentBeside } },
    initializationFailedHandler: (error) => {
      initializeFailures++;
      const retry = initializeFailures <= MAX_INITIALIZE_RETRIES;
      const reason = error instanceof Error ? error.message : String(error);
      output.appendLine(`Language server initialization failed (${initializeFailures}): ${reason}${retry ? '; retrying' : ''}`);
      if (!retry) void notify('error', `The NixOS Homelab language server failed to initialize ${initializeFailures} times: ${reason}. The log is in ${LOG_LOCATION}.`, output);
      return retry;
    },
  };
  return new LanguageClient('nixosHomelab', 'NixOS Homelab', serverOptions, clientOptions);
}

const LOG_LOCATION = 'Output ▸ NixOS Homelab';

/**
 * Connection errors: continue past a few, as vscode-languageclient's default does. A closed connection (the server
 * crashed) restarts it a bounded number of times (RestartPolicy) with a visible notice each time.
 */
function crashHandler(output: vscode.OutputChannel): ErrorHandler {
  const restarts = new RestartPolicy(LOG_LOCATION);
  return {
    error: (_error, _message, count) => ({ action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown }),
    closed: () => {
      const decision = restarts.crashed();
      output.appendLine(decision.notice);
      void notify(decision.restart ? 'warning' : 'error', decision.notice, output);
      return { action: decision.restart ? CloseAction.Restart : CloseAction.DoNotRestart, handled: true };
    },
  };
}

async function notify(kind: 'warning' | 'error', message: string, output: vscode.OutputChannel): Promise<void> {
  const actions = kind === 'error' ? ['Show Log', 'Restart'] : ['Show Log'];
  const choice = await (kind === 'error' ? vscode.window.showErrorMessage(message, ...actions) : vscode.window.showWarningMessage(message, ...actions));
  if (choice === 'Show Log') output.show(true);
  if (choice === 'Restart') await vscode.commands.executeCommand(COMMAND_IDS.restartServer);
}
