import * as vscode from 'vscode';
import { allPassed, type VerifyReport } from '../../core/verify';
import { verifyHost } from '../../platform/hostVerify';
import { VerifyExpectationRequest } from '../../shared/protocol';
import { pickSshTarget } from '../migration/hostPicker';
import { requireClient, showFailure } from '../migration/messages';
import { storeVerify } from '../migration/verifyStore';
import { pickWorkspaceFolder } from '../migration/workspaceFolder';
import type { CommandContext } from './commandContext';
import { showMigrationReport } from './showReport';

/**
 * "Verify NixOS Host over SSH…": after `nixos-rebuild switch`, checks the new host (read-only, one connection) for
 * what the stacks need — the same needs "Generate NixOS Module" writes — then stores and shows the report.
 */
export async function verifyOverSsh(ctx: CommandContext): Promise<VerifyReport | undefined> {
  const folder = await pickWorkspaceFolder();
  if (!folder) return undefined;
  const target = await pickSshTarget(ctx, 'Verify the NixOS host over SSH');
  if (!target) return undefined;
  const client = requireClient(ctx);
  const expectation = await client.sendRequest(VerifyExpectationRequest.type, { folder: client.code2ProtocolConverter.asUri(folder.uri) });

  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `NixOS Homelab: verifying ${target.display}`, cancellable: true },
    (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      progress.report({ message: 'running the read-only checks…' });
      return verifyHost(target, expectation, { signal: abort.signal });
    },
  );
  if (!result.ok) {
    if (result.error.kind === 'cancelled') void vscode.window.showInformationMessage('NixOS Homelab: verify cancelled.');
    else showFailure(ctx, `Verify of ${target.display}`, result.error);
    return undefined;
  }
  const { report } = result;
  await storeVerify(ctx.extension.workspaceState, folder, { report, at: new Date().toISOString() });
  for (const check of report.checks) ctx.output.appendLine(`verify ${check.status.padEnd(7)} ${check.id}: ${check.detail}${check.fix ? ` — ${check.fix}` : ''}`);
  const failed = report.checks.filter((c) => c.status !== 'pass').length;
  const message = allPassed(report)
    ? `NixOS Homelab: ${target.display} passed all ${report.checks.length} checks.`
    : `NixOS Homelab: ${failed} of ${report.checks.length} checks on ${target.display} did not pass; the report says what to do.`;
  if (allPassed(report)) void vscode.window.showInformationMessage(message);
  else void vscode.window.showWarningMessage(message);
  await showMigrationReport(ctx, folder);
  return report;
}
