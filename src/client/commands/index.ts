import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { applyAllFixes } from './applyAllFixes';
import { COMMAND_IDS, type CommandName } from './commandList';

/** What a command needs from the extension. */
export interface CommandContext {
  extension: vscode.ExtensionContext;
  output: vscode.OutputChannel;
  client(): LanguageClient | undefined;
  restartServer(): Promise<void>;
}

export interface CommandDefinition {
  run(ctx: CommandContext, ...args: unknown[]): unknown;
  /** True for commands that run processes or write files outside the editor: refused in restricted mode. */
  needsTrust?: boolean;
}

/**
 * Every command of the extension — the registration point for the migration commands (Extract/Import/Generate/
 * Verify/Show Migration Report) when they arrive: add the id to commandList.ts, the implementation here, and the
 * `contributes.commands` entry in package.json.
 */
const IMPLEMENTATIONS: Record<CommandName, CommandDefinition> = {
  restartServer: { run: (ctx) => ctx.restartServer() },
  applyAllFixes: { run: (ctx, uri) => applyAllFixes(ctx, uri) },
  showOutput: { run: (ctx) => ctx.output.show(true) },
};

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  return (Object.keys(IMPLEMENTATIONS) as CommandName[]).map((name) => {
    const command = IMPLEMENTATIONS[name];
    return vscode.commands.registerCommand(COMMAND_IDS[name], async (...args: unknown[]) => {
      if (command.needsTrust && !vscode.workspace.isTrusted) {
        void vscode.window.showWarningMessage('NixOS Homelab: this command runs programs or writes files, which a restricted workspace does not allow. Trust the workspace first.');
        return undefined;
      }
      try {
        return await command.run(ctx, ...args);
      } catch (error) {
        ctx.output.appendLine(`${COMMAND_IDS[name]} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
        void vscode.window.showErrorMessage(`NixOS Homelab: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      }
    });
  });
}
