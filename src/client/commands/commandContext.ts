import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { HomelabState } from '../state/homelabState';

/**
 * What a command needs from the extension. In a file of its own so that the commands and the migration helpers
 * need not import the command registry (index.ts), which imports them.
 */
export interface CommandContext {
  extension: vscode.ExtensionContext;
  output: vscode.OutputChannel;
  client(): LanguageClient | undefined;
  restartServer(): Promise<void>;
  /** What is true now (snapshot, configuration, generated module…), shared by the status bar, menu and report. */
  state: HomelabState;
}
