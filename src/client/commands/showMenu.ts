import * as path from 'node:path';
import * as vscode from 'vscode';
import { buildMenu, type MenuEntry, type MenuFolder } from '../menu/menuItems';
import type { HostEvaluationStatus } from '../../shared/protocol';
import type { FolderState } from '../state/homelabState';
import type { CommandContext } from './commandContext';

const OPEN_WALKTHROUGH = 'workbench.action.openWalkthrough';

interface MenuItem extends vscode.QuickPickItem {
  entry?: MenuEntry;
}

/**
 * "Show Menu" (a click on the status bar item): what is true now and the migration commands, in one quick pick.
 * Returns the id of the command picked (it has run by then), or undefined when the menu was dismissed.
 */
export async function showMenu(ctx: CommandContext): Promise<string | undefined> {
  await ctx.state.refresh();
  const status = ctx.state.status;
  const entries = buildMenu({
    ready: status.summary?.ready ?? false,
    ...(status.serverFailed ? { serverFailed: status.serverFailed } : {}),
    fixable: status.summary?.fixable ?? 0,
    folders: status.folders.map((folder) => menuFolder(folder, status.evaluation)),
  });
  const items: MenuItem[] = entries.map((entry) =>
    entry.separator
      ? { label: entry.label, kind: vscode.QuickPickItemKind.Separator }
      : { label: entry.label, ...(entry.description ? { description: entry.description } : {}), entry },
  );
  const picked = await vscode.window.showQuickPick(items, { title: 'NixOS Homelab', placeHolder: 'What is true now, and what to do next', matchOnDescription: true });
  const command = picked?.entry?.command;
  if (!command) return undefined;
  const args = (picked.entry?.args ?? []).map(asCommandArgument);
  if (command === OPEN_WALKTHROUGH) await ctx.state.withContextKeysReset(() => vscode.commands.executeCommand(command, ...args));
  else await vscode.commands.executeCommand(command, ...args);
  return command;
}

/** `{ file }` in a menu entry (built without `vscode`) stands for a file Uri. */
function asCommandArgument(arg: unknown): unknown {
  if (typeof arg === 'object' && arg !== null && 'file' in arg && Object.keys(arg).length === 1) return vscode.Uri.file(String((arg as { file: unknown }).file));
  return arg;
}

function menuFolder(state: FolderState, evaluation: readonly HostEvaluationStatus[]): MenuFolder {
  const root = state.folder.uri.fsPath;
  const evaluated = evaluation.filter((host) => host.folder === root).map(({ host, state: hostState, message }) => ({ host, state: hostState, ...(message ? { message } : {}) }));
  const relative = (file: string): string => path.relative(root, file).split(path.sep).join('/');
  const snapshotJson = path.resolve(root, state.snapshotPath, 'snapshot.json');
  const folder: MenuFolder = {
    name: state.folder.name,
    snapshotPath: state.snapshotPath.replace(/\/+$/, ''),
    candidates: state.snapshotCandidates.map((c) => ({ relative: c.relative, dir: c.dir })),
    ...(state.snapshot ? { snapshot: state.snapshot, ...(state.snapshotFiles.includes('snapshot.json') ? { snapshotJson } : {}) } : {}),
    ...(state.entry ? { entry: relative(state.entry), entryFile: state.entry } : {}),
    ...(state.verified ? { verified: state.verified } : {}),
    ...(evaluated.length > 0 ? { evaluation: evaluated } : {}),
  };
  if (state.generated) {
    folder.generated = {
      relative: relative(state.generated.file),
      file: state.generated.file,
      imported: state.generated.imported,
      ...(state.generated.entry ? { entryName: path.basename(state.generated.entry) } : {}),
    };
  }
  return folder;
}
