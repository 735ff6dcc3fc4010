import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SETTINGS_SECTION, type InitializationOptions } from '../shared/protocol';
import { DOCUMENT_SELECTOR, watchedGlobs } from './selectors';

/**
 * Creates (not starts) the client of the bundled server, dist/server.js, over stdio: the transport every editor
 * uses, and the one where the server writes re-published diagnostics from their cached JSON (transport.ts).
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
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel: output,
    initializationOptions,
    synchronize: { fileEvents: watchers, configurationSection: SETTINGS_SECTION },
  };
  return new LanguageClient('nixosHomelab', 'NixOS Homelab', serverOptions, clientOptions);
}
