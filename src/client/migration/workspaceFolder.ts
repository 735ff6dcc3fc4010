import * as path from 'node:path';
import * as vscode from 'vscode';
import { SETTINGS_SECTION } from '../../shared/protocol';
import { DEFAULT_SETTINGS } from '../../core/settings';

/**
 * The workspace folder a migration command works on: the one holding `hint` (a file argument), the only folder,
 * or the one the user picks. Throws with what to do when no folder is open.
 */
export async function pickWorkspaceFolder(hint?: vscode.Uri): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (hint) {
    const holding = vscode.workspace.getWorkspaceFolder(hint);
    if (holding) return holding;
  }
  if (folders.length === 0) throw new Error('open the folder with your compose files and NixOS configuration first (File > Open Folder…)');
  if (folders.length === 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: 'Which workspace folder?' });
}

/** The folder's snapshot folder (setting `nixosHomelab.snapshotPath`, relative to the folder). */
export function snapshotDirOf(folder: vscode.WorkspaceFolder): string {
  const configured = vscode.workspace.getConfiguration(SETTINGS_SECTION, folder.uri).get<string>('snapshotPath', DEFAULT_SETTINGS.snapshotPath);
  return path.resolve(folder.uri.fsPath, configured || DEFAULT_SETTINGS.snapshotPath);
}

/** A command argument that names a file or folder: a Uri, or a path string (tests, keybindings). */
export function uriArgument(value: unknown): vscode.Uri | undefined {
  if (value instanceof vscode.Uri) return value;
  if (typeof value === 'string' && value !== '') return value.includes('://') ? vscode.Uri.parse(value) : vscode.Uri.file(value);
  return undefined;
}
