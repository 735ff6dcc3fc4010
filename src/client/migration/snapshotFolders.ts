/**
 * Snapshot folders elsewhere in the workspace than the configured one — the example keeps its snapshot in
 * `snapshot/`, a user may have copied the manual procedure's `pre_nixos_*.txt` files anywhere — and the offer to use
 * one. Folder contents are recognised with core's `classifyRawFile`, the names the snapshot loader reads.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { classifyRawFile } from '../../core/host/rawFiles';
import { SETTINGS_SECTION } from '../../shared/protocol';
import { DEFAULT_SETTINGS } from '../../core/settings';
import { snapshotDirOf } from './workspaceFolder';

/** workspaceState key: the folders the offer was shown for (it is shown once per workspace folder). */
const OFFERED_KEY = 'nixosHomelab.snapshotFolderOffered';

export interface SnapshotFolder {
  /** Absolute path. */
  dir: string;
  /** Relative to the workspace folder, with `/` (what the setting stores). */
  relative: string;
  /** The snapshot files in it. */
  files: string[];
}

/** The snapshot files of `dir` (names the snapshot loader reads), sorted; empty when it has none or is missing. */
export function snapshotFilesIn(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isFile() && classifyRawFile(entry.name) !== undefined)
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}

/**
 * Folders of `folder` that hold a snapshot: a `snapshot.json`, or the manual procedure's `pre_nixos_*` files. The
 * configured snapshot folder and the backups Extract/Import keep (`snapshot.bak-<time>`) are left out.
 */
export async function findSnapshotFolders(folder: vscode.WorkspaceFolder): Promise<SnapshotFolder[]> {
  const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/{snapshot.json,pre_nixos_*}'), '**/{node_modules,.git}/**', 1000);
  const configured = snapshotDirOf(folder);
  const dirs = [...new Set(found.map((uri) => path.dirname(uri.fsPath)))].filter((dir) => dir !== configured && !/\.bak-[^/]*$/.test(dir));
  return dirs
    .map((dir) => ({ dir, relative: path.relative(folder.uri.fsPath, dir).split(path.sep).join('/') || '.', files: snapshotFilesIn(dir) }))
    .filter((candidate) => candidate.files.length > 0)
    .sort((a, b) => a.relative.split('/').length - b.relative.split('/').length || (a.relative < b.relative ? -1 : 1));
}

/** Points `nixosHomelab.snapshotPath` of the workspace folder at `dir` (the server re-reads on the change). */
export async function useSnapshotFolder(folder: vscode.WorkspaceFolder, dir: string): Promise<string> {
  const relative = path.relative(folder.uri.fsPath, dir).split(path.sep).join('/');
  const value = relative === '' ? '.' : relative.startsWith('../') ? dir : relative;
  await vscode.workspace.getConfiguration(SETTINGS_SECTION, folder.uri).update('snapshotPath', value, vscode.ConfigurationTarget.WorkspaceFolder);
  return value;
}

/** The configured snapshot folder as the setting shows it. */
export function configuredSnapshotPath(folder: vscode.WorkspaceFolder): string {
  return vscode.workspace.getConfiguration(SETTINGS_SECTION, folder.uri).get<string>('snapshotPath', DEFAULT_SETTINGS.snapshotPath) || DEFAULT_SETTINGS.snapshotPath;
}

/**
 * Offers, once per workspace folder, to use a snapshot folder found in the workspace when the configured one holds
 * no snapshot. The answer is remembered in the workspace settings (the setting itself); a dismissed offer is not
 * shown again, and the status menu keeps offering the folder.
 */
export async function offerSnapshotFolder(state: vscode.Memento, folder: vscode.WorkspaceFolder): Promise<'used' | 'declined' | 'not-offered'> {
  const offered = state.get<string[]>(OFFERED_KEY, []);
  if (offered.includes(folder.uri.toString())) return 'not-offered';
  if (snapshotFilesIn(snapshotDirOf(folder)).length > 0) return 'not-offered';
  const [candidate, ...others] = await findSnapshotFolders(folder);
  if (!candidate) return 'not-offered';
  await state.update(OFFERED_KEY, [...offered, folder.uri.toString()]);
  // The names a user recognises first: snapshot.json and the manual procedure's pre_nixos_* files.
  const named = [...candidate.files].sort((a, b) => Number(!/^(snapshot\.json|pre_nixos_)/.test(a)) - Number(!/^(snapshot\.json|pre_nixos_)/.test(b)));
  const shown = named.slice(0, 3).join(', ') + (named.length > 3 ? ', …' : '');
  const more = others.length > 0 ? ` (${others.length} other snapshot folders are in the status menu)` : '';
  const choice = await vscode.window.showInformationMessage(
    `NixOS Homelab: ${candidate.relative}/ holds a host snapshot (${shown}), but the editor reads ${configuredSnapshotPath(folder)}/, which has none${more}. Use ${candidate.relative}/ as the host snapshot?`,
    USE_AS_SNAPSHOT,
    'Not Now',
  );
  if (choice !== USE_AS_SNAPSHOT) return 'declined';
  await useSnapshotFolder(folder, candidate.dir);
  return 'used';
}

/** The offer's button (UI tests click it). */
export const USE_AS_SNAPSHOT = 'Use as Host Snapshot';
