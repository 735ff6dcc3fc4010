import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { writeFileAtomically } from '../../platform/atomicWrite';
import { GenerateModuleRequest, type AddImportResult } from '../../shared/protocol';
import { entryImportsModule } from '../state/generatedModule';
import { textOf } from '../state/homelabState';
import { importModule } from './addToImports';
import { confirmReplace, openFile, requireClient } from '../migration/messages';
import { pickWorkspaceFolder, uriArgument } from '../migration/workspaceFolder';
import type { CommandContext } from './commandContext';

export interface GenerateOptions {
  /** Replace an existing file without asking (true) or refuse to (false); omitted: ask. */
  overwrite?: boolean;
  /** Add the module to the entry's imports without asking (true) or not at all (false); omitted: offer a button. */
  addToImports?: boolean;
}

export interface GenerateResult {
  file: string;
  written: boolean;
  entry?: string;
  imported?: AddImportResult;
}

/**
 * "Generate NixOS Module…": the module the stacks need, from the server's current analysis (the same text as
 * `nixos-homelab generate`), saved where the user says (default homelab.nix beside the entry module), opened, and
 * offered for the entry's `imports`. `target` (a file Uri or path) replaces the save dialog.
 */
export async function generateNixosModule(ctx: CommandContext, target?: unknown, options: GenerateOptions = {}): Promise<GenerateResult | undefined> {
  const targetUri = uriArgument(target);
  const folder = await pickWorkspaceFolder(targetUri);
  if (!folder) return undefined;
  const client = requireClient(ctx);
  const generate = (replaces?: vscode.Uri) =>
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'NixOS Homelab: generating the NixOS module…', cancellable: true }, (_progress, token) =>
      client.sendRequest(
        GenerateModuleRequest.type,
        { folder: client.code2ProtocolConverter.asUri(folder.uri), ...(replaces ? { replaces: client.code2ProtocolConverter.asUri(replaces) } : {}) },
        token,
      ),
    );
  let generated = await generate();
  const entry = generated.entry ? client.protocol2CodeConverter.asUri(generated.entry) : undefined;
  const defaultUri = vscode.Uri.file(path.join(entry ? path.dirname(entry.fsPath) : folder.uri.fsPath, 'homelab.nix'));
  const file =
    targetUri ??
    (await vscode.window.showSaveDialog({ title: 'Save the generated NixOS module', defaultUri, filters: { 'Nix module': ['nix'] }, saveLabel: 'Save Module' }));
  if (!file) return undefined;

  const exists = fs.existsSync(file.fsPath);
  if (exists) {
    // The save dialog has already asked whether to replace the file; ask here only for a target given as an argument.
    const overwrite = options.overwrite ?? (targetUri ? await confirmReplace(`${path.basename(file.fsPath)} already exists. Replace it with the generated module?`, file.fsPath, 'Replace') : true);
    if (!overwrite) {
      if (options.overwrite === false) void vscode.window.showWarningMessage(`NixOS Homelab: ${file.fsPath} already exists; it was left as it is.`);
      return { file: file.fsPath, written: false, ...(entry ? { entry: entry.fsPath } : {}) };
    }
  }
  // Regenerating a module the configuration already imports: what it declares now is not "already set elsewhere".
  if (exists) generated = await generate(file);
  const written = writeFileAtomically(file.fsPath, generated.text, { overwrite: exists });
  if (!written.ok) throw new Error(written.kind === 'exists' ? `${file.fsPath} appeared meanwhile; run the command again` : written.message);
  await openFile(file);
  for (const note of generated.notes) ctx.output.appendLine(`to do (${path.basename(file.fsPath)}): ${note}`);
  const todo = generated.notes.length ? ` ${generated.notes.length} things to decide are marked "To do" in the module (and listed in the output).` : '';
  await ctx.state.rememberGenerated(folder, file.fsPath, entry?.fsPath);

  const result: GenerateResult = { file: file.fsPath, written: true, ...(entry ? { entry: entry.fsPath } : {}) };
  const wrote = `NixOS Homelab: wrote ${path.basename(file.fsPath)} for ${generated.stacks} stacks.${todo}`;
  if (!entry || options.addToImports === false) {
    void vscode.window.showInformationMessage(wrote);
    return result;
  }
  if (options.addToImports) return { ...result, imported: await importModule(ctx, entry, file) };
  if (entryImportsModule(entry.fsPath, textOf(entry.fsPath), file.fsPath)) {
    void vscode.window.showInformationMessage(`${wrote} ${path.basename(entry.fsPath)} already imports it.`);
    return { ...result, imported: { outcome: 'already-imported' } };
  }
  // Not awaited: the command is done once the file is written. The toast may vanish; the status menu and the
  // Migration Report keep offering "Add to imports" while the module is not imported.
  void vscode.window
    .showInformationMessage(`${wrote} Add it to the imports of ${path.basename(entry.fsPath)}? (Also in the status menu "NixOS Homelab" and the Migration Report.)`, ADD_TO_IMPORTS)
    .then((choice) => (choice ? importModule(ctx, entry, file).then(() => ctx.state.refresh()) : undefined))
    .then(undefined, (error: unknown) => void vscode.window.showErrorMessage(`NixOS Homelab: ${error instanceof Error ? error.message : String(error)}`));
  return result;
}

/** The button of the notification after Generate. */
export const ADD_TO_IMPORTS = 'Add to imports';
