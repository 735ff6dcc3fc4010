import * as vscode from 'vscode';
import { addModuleToImports } from './addToImports';
import { applyAllFixes } from './applyAllFixes';
import type { CommandContext } from './commandContext';
import { COMMAND_IDS, NEEDS_TRUST, type CommandName } from './commandList';
import { disableRule } from './disableRule';
import { extractLocal, extractOverSsh } from './extractHost';
import { generateNixosModule, type GenerateOptions } from './generateModule';
import { importExtraction, type ImportOptions } from './importExtraction';
import { openFindingLocation, showRuleDocumentation } from './ruleDocumentation';
import { showMenu } from './showMenu';
import { showMigrationReport } from './showReport';
import { useSnapshotFolderCommand } from './useSnapshotFolder';
import { verifyOverSsh } from './verifyHost';

export interface CommandDefinition {
  run(ctx: CommandContext, ...args: unknown[]): unknown;
}

/**
 * Every command of the extension: add the id to commandList.ts, the implementation here, and the
 * `contributes.commands` entry in package.json (with `enablement: isWorkspaceTrusted` when it needs trust).
 */
const IMPLEMENTATIONS: Record<CommandName, CommandDefinition> = {
  restartServer: { run: (ctx) => ctx.restartServer() },
  applyAllFixes: { run: (ctx, uri) => applyAllFixes(ctx, uri) },
  showOutput: { run: (ctx) => ctx.output.show(true) },
  extractOverSsh: { run: (ctx) => extractOverSsh(ctx) },
  extractLocal: { run: (ctx) => extractLocal(ctx) },
  importExtraction: { run: (ctx, source, options) => importExtraction(ctx, source, asOptions<ImportOptions>(options)) },
  generateModule: { run: (ctx, target, options) => generateNixosModule(ctx, target, asOptions<GenerateOptions>(options)) },
  verifyOverSsh: { run: (ctx) => verifyOverSsh(ctx) },
  showMigrationReport: { run: (ctx, folder) => showMigrationReport(ctx, folder) },
  showMenu: { run: (ctx) => showMenu(ctx) },
  useSnapshotFolder: { run: (ctx, dir) => useSnapshotFolderCommand(ctx, dir) },
  addModuleToImports: { run: (ctx, module, entry) => addModuleToImports(ctx, module, entry) },
  showRuleDocumentation: { run: (ctx, rule) => showRuleDocumentation(ctx, rule) },
  openFindingLocation: { run: (ctx, folder, file, line) => openFindingLocation(ctx, folder, file, line) },
  disableRule: { run: (ctx, rule, folder) => disableRule(ctx, rule, folder) },
};

/** An options argument given by a caller (tests, keybindings): only a plain object counts. */
function asOptions<T extends object>(value: unknown): T {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as T) : ({} as T);
}

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  return (Object.keys(IMPLEMENTATIONS) as CommandName[]).map((name) => {
    const command = IMPLEMENTATIONS[name];
    return vscode.commands.registerCommand(COMMAND_IDS[name], async (...args: unknown[]) => {
      if (NEEDS_TRUST.has(name) && !vscode.workspace.isTrusted) {
        void vscode.window
          .showWarningMessage('NixOS Homelab: this command runs programs (ssh, sh) or writes files, which a restricted workspace does not allow. Trust the workspace first.', 'Manage Workspace Trust')
          .then((choice) => (choice ? vscode.commands.executeCommand('workbench.trust.manage') : undefined));
        return undefined;
      }
      try {
        return await command.run(ctx, ...args);
      } catch (error) {
        ctx.output.appendLine(`${COMMAND_IDS[name]} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
        void vscode.window.showErrorMessage(`NixOS Homelab: ${error instanceof Error ? error.message : String(error)}`, 'Show Output').then((choice) => {
          if (choice) ctx.output.show(true);
        });
        return undefined;
      }
    });
  });
}
