import * as path from 'node:path';
import * as vscode from 'vscode';
import { AddImportRequest, type AddImportResult } from '../../shared/protocol';
import { requireClient } from '../migration/messages';
import { pickWorkspaceFolder, uriArgument } from '../migration/workspaceFolder';
import type { CommandContext } from './commandContext';

/**
 * "Add Generated Module to Imports": adds the module Generate wrote (or `module`, a file Uri or path) to the
 * `imports` of its entry module, as an undoable edit of the open buffer. Offered after Generate, in the status menu
 * and in the Migration Report while the module is not imported.
 */
export async function addModuleToImports(ctx: CommandContext, moduleArgument?: unknown, entryArgument?: unknown): Promise<AddImportResult | undefined> {
  const given = uriArgument(moduleArgument);
  const folder = await pickWorkspaceFolder(given);
  if (!folder) return undefined;
  await ctx.state.refresh();
  const generated = ctx.state.folderState(folder)?.generated;
  const module = given?.fsPath ?? generated?.file;
  if (!module) throw new Error('no generated module in this workspace: run "NixOS Homelab: Generate NixOS Module…" first');
  const entry = uriArgument(entryArgument)?.fsPath ?? generated?.entry ?? ctx.state.folderState(folder)?.entry;
  if (!entry) throw new Error(`no NixOS entry module found to import ${path.basename(module)} into (setting nixosHomelab.nixosConfiguration)`);
  const added = await importModule(ctx, vscode.Uri.file(entry), vscode.Uri.file(module));
  await ctx.state.refresh();
  return added;
}

/** Asks the server to add `module` to the imports of `entry` (it plans the edit; the editor applies it) and says what happened. */
export async function importModule(ctx: CommandContext, entry: vscode.Uri, module: vscode.Uri): Promise<AddImportResult> {
  const client = requireClient(ctx);
  const result = await client.sendRequest(AddImportRequest.type, { entry: client.code2ProtocolConverter.asUri(entry), module: client.code2ProtocolConverter.asUri(module) });
  const name = path.basename(entry.fsPath);
  switch (result.outcome) {
    case 'added':
      void vscode.window.showInformationMessage(`NixOS Homelab: added ${result.written} to the imports of ${name} (not saved yet).`);
      break;
    case 'already-imported':
      void vscode.window.showInformationMessage(`NixOS Homelab: ${name} already imports ${result.written}.`);
      break;
    default:
      void vscode.window.showWarningMessage(`NixOS Homelab: ${result.written ?? 'the module'} was not added to ${name}: ${result.message ?? 'unknown reason'}`);
  }
  return result;
}
