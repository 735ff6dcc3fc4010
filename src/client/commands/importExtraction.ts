import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { completeSnapshotFiles, selectImportFiles } from '../../core/host';
import { snapshotOneLine } from '../../core/report/snapshotSummary';
import { announceSnapshot, mayWriteSnapshot, writeSnapshot, type SnapshotWritten } from '../migration/snapshotWriter';
import { pickWorkspaceFolder, snapshotDirOf, uriArgument } from '../migration/workspaceFolder';
import type { CommandContext } from './commandContext';

export interface ImportOptions {
  /** Replace an existing snapshot without asking (true) or refuse to (false); omitted: ask. */
  overwrite?: boolean;
}

export interface ImportResult extends SnapshotWritten {
  imported: string[];
  unrecognised: string[];
}

/**
 * "Import Extraction Files…": a folder holding the manual procedure's `pre_nixos_*.txt` files (or another snapshot
 * folder) becomes the workspace's snapshot: the recognised files are copied, loaded and validated, and a
 * snapshot.json is written beside them. `source` (a folder Uri or path) replaces the open dialog.
 */
export async function importExtraction(ctx: CommandContext, source?: unknown, options: ImportOptions = {}): Promise<ImportResult | undefined> {
  const folder = await pickWorkspaceFolder();
  if (!folder) return undefined;
  const from = uriArgument(source) ?? (await askForFolder(folder));
  if (!from) return undefined;
  const sourceDir = from.fsPath;

  let names: string[];
  try {
    names = fs.readdirSync(sourceDir, { withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => entry.name);
  } catch (error) {
    throw new Error(`cannot read ${sourceDir}: ${(error as Error).message}`);
  }
  const selection = selectImportFiles(names);
  if (selection.recognised.length === 0) {
    throw new Error(`${sourceDir} holds no extraction files (expected names like pre_nixos_lsblk.txt, pre_nixos_fstab.txt, pre_nixos_id.txt, pre_nixos_gid110.txt, lsblk.txt, id-palav.txt)`);
  }
  const raw = new Map<string, string>();
  for (const { name } of selection.recognised) raw.set(name, fs.readFileSync(path.join(sourceDir, name), 'utf8'));
  const completed = completeSnapshotFiles(raw, { source: 'import' });
  if (!completed.ok) throw new Error(completed.message);

  const dir = snapshotDirOf(folder);
  const allowed = await mayWriteSnapshot(dir, options.overwrite ?? 'ask');
  if (!allowed) {
    if (options.overwrite === false) void vscode.window.showWarningMessage(`NixOS Homelab: ${dir} already holds a snapshot; nothing was imported.`);
    return undefined;
  }
  const written = writeSnapshot(ctx, dir, completed.files, allowed.force);
  for (const problem of completed.problems) ctx.output.appendLine(`${problem.file}${problem.line ? `:${problem.line}` : ''}: ${problem.message}`);
  const imported = selection.recognised.map((file) => file.name);
  ctx.output.appendLine(`Imported ${imported.join(', ')} from ${sourceDir} into ${dir}`);
  if (selection.unrecognised.length) ctx.output.appendLine(`Not imported (not extraction files): ${selection.unrecognised.join(', ')}`);
  const skipped = selection.unrecognised.length ? ` Not imported: ${selection.unrecognised.join(', ')}.` : '';
  announceSnapshot(`NixOS Homelab: imported ${imported.length} files into ${path.relative(folder.uri.fsPath, dir) || dir} — ${snapshotOneLine(completed.snapshot)}.${skipped}`, dir);
  return { ...written, imported, unrecognised: selection.unrecognised };
}

async function askForFolder(folder: vscode.WorkspaceFolder): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: 'Folder with the extraction files (pre_nixos_*.txt)',
    defaultUri: folder.uri,
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    openLabel: 'Import',
  });
  return picked?.[0];
}
