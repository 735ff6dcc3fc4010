import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMAND_IDS } from './commands/commandList';
import type { HostEvaluationStatus } from '../shared/protocol';
import type { HomelabStatus } from './state/homelabState';

/** The status bar item's name and text (UI tests look for it). */
export const STATUS_TEXT = 'NixOS Homelab';

/**
 * The one entry point in the status bar: a quiet "NixOS Homelab" (the built-in counters already count the
 * problems) whose tooltip says what is true now — snapshot used or not, configuration, analysing, each host's
 * evaluation by Nix — and whose click opens the status menu. While Nix evaluates a host the text says so.
 */
export class HomelabStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('nixosHomelab.status', vscode.StatusBarAlignment.Left, 10);

  constructor() {
    this.item.name = STATUS_TEXT;
    this.item.command = { command: COMMAND_IDS.showMenu, title: 'Show the NixOS Homelab menu' };
    this.item.text = `$(sync~spin) ${STATUS_TEXT}`;
    this.item.tooltip = `${STATUS_TEXT}: analysing the workspace…`;
    this.item.accessibilityInformation = { label: `${STATUS_TEXT}: analysing the workspace`, role: 'button' };
    this.item.show();
  }

  update(status: HomelabStatus): void {
    const analysing = !status.serverFailed && !status.summary?.ready;
    const evaluating = status.serverFailed ? [] : status.evaluation.filter((host) => host.state === 'evaluating').map((host) => host.host);
    this.item.text = `${status.serverFailed ? '$(warning)' : analysing || evaluating.length > 0 ? '$(sync~spin)' : '$(home)'} ${STATUS_TEXT}${evaluating.length > 0 ? `: evaluating ${evaluating.join(', ')}…` : ''}`;
    const lines = [status.serverFailed ? `the language server is not running: ${status.serverFailed}` : analysing ? 'analysing the workspace…' : undefined];
    const several = status.folders.length > 1;
    for (const folder of status.folders) {
      const prefix = several ? `${folder.folder.name}: ` : '';
      lines.push(prefix + (folder.snapshot ? `host snapshot of ${[folder.snapshot.host, folder.snapshot.system].filter(Boolean).join(', ') || 'the old host'} (${folder.snapshotPath}/)` : `no host snapshot (${folder.snapshotPath}/ is empty)`));
      if (folder.entry) lines.push(`${prefix}configuration ${path.relative(folder.folder.uri.fsPath, folder.entry).split(path.sep).join('/')}`);
      for (const host of status.evaluation) if (host.folder === folder.folder.uri.fsPath) lines.push(prefix + evaluationLine(host));
    }
    const state = lines.filter((line): line is string => line !== undefined);
    this.item.tooltip = `${STATUS_TEXT}\n${state.map((line) => `• ${line}`).join('\n')}\nClick for the menu: report, fixes, generate, import, walkthrough.`;
    this.item.accessibilityInformation = { label: `${STATUS_TEXT}: ${state.join('; ')}`, role: 'button' };
  }

  dispose(): void {
    this.item.dispose();
  }
}

/** One host's evaluation as a tooltip line. */
function evaluationLine(host: Pick<HostEvaluationStatus, 'host' | 'state' | 'message'>): string {
  switch (host.state) {
    case 'evaluating':
      return `evaluating ${host.host}…`;
    case 'queued':
      return `${host.host}: waiting to be evaluated`;
    case 'evaluated':
      return `${host.host}: values evaluated by Nix${host.message ? ` (${host.message})` : ''}`;
    case 'failed':
      return `${host.host}: not evaluated, static reading only${host.message ? ` — ${host.message}` : ''}`;
  }
}
