import * as path from 'node:path';
import * as vscode from 'vscode';
import { validateGid, validateUserName } from '../../core/host';
import { snapshotOneLine } from '../../core/report/snapshotSummary';
import { extractHostSnapshot } from '../../platform/hostExtraction';
import type { SshTarget } from '../../platform/ssh';
import { ExtractionTargetsRequest } from '../../shared/protocol';
import { pickSshTarget } from '../migration/hostPicker';
import { showFailure } from '../migration/messages';
import { announceSnapshot, mayWriteSnapshot, writeSnapshot, type SnapshotWritten } from '../migration/snapshotWriter';
import { pickWorkspaceFolder, snapshotDirOf } from '../migration/workspaceFolder';
import type { CommandContext } from './commandContext';

/** "Extract Host State over SSH…": pick a host, run the read-only extraction over one connection. */
export async function extractOverSsh(ctx: CommandContext): Promise<SnapshotWritten | undefined> {
  const folder = await pickWorkspaceFolder();
  if (!folder) return undefined;
  const target = await pickSshTarget(ctx, 'Extract host state over SSH');
  if (!target) return undefined;
  return extractInto(ctx, folder, target);
}

/**
 * "Extract Host State from This Machine": the same extraction with `sh` here — for when VS Code runs on the old
 * host through Remote-SSH (the extension runs where the workspace is).
 */
export async function extractLocal(ctx: CommandContext): Promise<SnapshotWritten | undefined> {
  const folder = await pickWorkspaceFolder();
  if (!folder) return undefined;
  return extractInto(ctx, folder, undefined);
}

async function extractInto(ctx: CommandContext, folder: vscode.WorkspaceFolder, target: SshTarget | undefined): Promise<SnapshotWritten | undefined> {
  const dir = snapshotDirOf(folder);
  const allowed = await mayWriteSnapshot(dir, 'ask');
  if (!allowed) return undefined;
  const targets = await extractionTargets(ctx, folder);
  const where = target ? target.display : 'this machine';
  ctx.output.appendLine(`Extracting from ${where} (read-only commands, no sudo): users ${targets.users.join(', ') || '-'}, uids ${targets.uids.join(', ') || '-'}, gids ${targets.gids.join(', ') || '-'}`);

  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `NixOS Homelab: extracting from ${where}`, cancellable: true },
    (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      progress.report({ message: target ? 'connecting…' : 'starting…' });
      return extractHostSnapshot({ ...(target ? { target } : {}), ...targets, signal: abort.signal, onStep: (step) => progress.report({ message: step }) });
    },
  );
  if (!result.ok) {
    if (result.error.kind === 'cancelled') void vscode.window.showInformationMessage('NixOS Homelab: extraction cancelled; nothing was written.');
    else showFailure(ctx, `Extraction from ${where}`, result.error);
    return undefined;
  }
  for (const problem of result.problems) ctx.output.appendLine(`${problem.file}${problem.line ? `:${problem.line}` : ''}: ${problem.message}`);
  for (const gap of result.snapshot.gaps) ctx.output.appendLine(`gap: ${gap.command}: ${gap.reason}`);
  const written = writeSnapshot(ctx, dir, result.files, allowed.force);
  announceSnapshot(`NixOS Homelab: snapshot of ${result.snapshot.host ?? where} saved to ${path.relative(folder.uri.fsPath, dir) || dir} — ${snapshotOneLine(result.snapshot)}.`, dir);
  return written;
}

/** What to ask the host about: the ids and names the compose files use (as the CLI derives them), validated. */
async function extractionTargets(ctx: CommandContext, folder: vscode.WorkspaceFolder): Promise<{ users: string[]; uids: number[]; gids: number[] }> {
  const client = ctx.client();
  if (!client) return { users: [], uids: [], gids: [] };
  const derived = await client.sendRequest(ExtractionTargetsRequest.type, { folder: client.code2ProtocolConverter.asUri(folder.uri) });
  return {
    users: derived.users.filter((name) => validateUserName(name).ok),
    uids: derived.uids.filter((uid) => validateGid(uid).ok),
    gids: derived.gids.filter((gid) => validateGid(gid).ok),
  };
}
