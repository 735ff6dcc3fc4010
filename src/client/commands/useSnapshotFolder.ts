import * as path from 'node:path';
import * as vscode from 'vscode';
import { findSnapshotFolders, snapshotFilesIn, useSnapshotFolder as pointSettingAt } from '../migration/snapshotFolders';
import { pickWorkspaceFolder, uriArgument } from '../migration/workspaceFolder';
import type { CommandContext } from './commandContext';

/**
 * "Use Folder as Host Snapshot…": points `nixosHomelab.snapshotPath` (workspace settings) at a folder that holds a
 * snapshot — `dir` (a folder Uri or path, e.g. from the Explorer or the status menu), else one picked from the
 * snapshot folders found in the workspace. The server re-reads the snapshot on the settings change.
 */
export async function useSnapshotFolderCommand(ctx: CommandContext, dirArgument?: unknown): Promise<{ snapshotPath: string } | undefined> {
  const given = uriArgument(dirArgument);
  const folder = await pickWorkspaceFolder(given);
  if (!folder) return undefined;
  const dir = given?.fsPath ?? (await pickCandidate(folder));
  if (!dir) return undefined;
  const files = snapshotFilesIn(dir);
  if (files.length === 0) throw new Error(`${dir} holds no snapshot files (snapshot.json, pre_nixos_lsblk.txt, pre_nixos_id.txt…): extract or import one first`);
  const snapshotPath = await pointSettingAt(folder, dir);
  void vscode.window.showInformationMessage(`NixOS Homelab: the host snapshot is now read from ${snapshotPath}/ (setting nixosHomelab.snapshotPath of this workspace).`);
  await ctx.state.refresh();
  return { snapshotPath };
}

async function pickCandidate(folder: vscode.WorkspaceFolder): Promise<string | undefined> {
  const candidates = await findSnapshotFolders(folder);
  const items = candidates.map((c) => ({ label: `${c.relative}/`, description: c.files.join(', '), dir: c.dir }));
  const browse = { label: '$(folder-opened) Choose a folder…', description: '', dir: '' };
  const picked = await vscode.window.showQuickPick([...items, browse], { title: 'Use a folder as the host snapshot', placeHolder: items.length ? 'Snapshot folders in this workspace' : 'No snapshot folder found in this workspace' });
  if (!picked) return undefined;
  if (picked.dir) return picked.dir;
  const chosen = await vscode.window.showOpenDialog({ title: 'Folder with the host snapshot', defaultUri: folder.uri, canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Use as Host Snapshot' });
  return chosen?.[0] ? path.resolve(chosen[0].fsPath) : undefined;
}
