import * as path from 'node:path';
import * as vscode from 'vscode';
import { snapshotDirBlocked, writeSnapshotDir } from '../../platform/snapshotStore';
import { SnapshotWrittenNotification } from '../../shared/protocol';
import type { CommandContext } from '../commands/commandContext';
import { confirmReplace } from './messages';

/** How a command may treat an existing snapshot: ask (interactive), or what a caller (test, script) decided. */
export type OverwritePolicy = 'ask' | boolean;

/**
 * Whether a new snapshot may go to `dir`: yes when it is empty or missing; otherwise only after a modal
 * confirmation (or when the caller said so). Asked before any work, so a long extraction is never thrown away.
 * Returns undefined when the user declined or the caller forbade it.
 */
export async function mayWriteSnapshot(dir: string, policy: OverwritePolicy): Promise<{ force: boolean } | undefined> {
  const blocked = snapshotDirBlocked(dir);
  if (!blocked) return { force: false };
  if (policy === false) return undefined;
  if (policy === true) return { force: true };
  const replace = await confirmReplace(
    `${path.basename(dir)}/ already holds a snapshot. Replace it?`,
    `${dir}\n\nThe current snapshot is kept beside it as ${path.basename(dir)}.bak-<time>.`,
    'Replace',
  );
  return replace ? { force: true } : undefined;
}

export type SnapshotWritten = { dir: string; written: string[]; backup?: string };

/** Writes the folder (atomically, backing up the old one when `force`) and tells the server to re-read it. */
export function writeSnapshot(ctx: CommandContext, dir: string, files: ReadonlyMap<string, string>, force: boolean): SnapshotWritten {
  const written = writeSnapshotDir(dir, files, { force });
  if (!written.ok) throw new Error(written.message);
  if (written.backup) ctx.output.appendLine(`The previous snapshot is now ${written.backup}`);
  void ctx.client()?.sendNotification(SnapshotWrittenNotification.type, { folder: vscode.Uri.file(written.dir).toString() });
  return written.backup ? { dir: written.dir, written: written.written, backup: written.backup } : { dir: written.dir, written: written.written };
}

/** The result notification, with a button that opens snapshot.json. */
export function announceSnapshot(message: string, dir: string): void {
  void vscode.window.showInformationMessage(message, 'Open Snapshot').then(async (choice) => {
    if (choice) await vscode.window.showTextDocument(vscode.Uri.file(path.join(dir, 'snapshot.json')), { preview: false });
  });
}
