import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMAND_IDS } from './commands/commandList';
import type { HomelabStatus } from './state/homelabState';

/** The status bar item's name and text (UI tests look for it). */
export const STATUS_TEXT = 'NixOS Homelab';

/**
 * The one entry point in the status bar: a quiet "NixOS Homelab" (the built-in counters already count the
 * problems) whose tooltip says what is true now — snapshot used or not, configuration, analysing — and whose click
 * opens the status menu.
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
    this.item.text = `${status.serverFailed ? '$(warning)' : analysing ? '$(sync~spin)' : '$(home)'} ${STATUS_TEXT}`;
    const lines = [status.serverFailed ? `the language server is not running: ${status.serverFailed}` : analysing ? 'analysing the workspace…' : undefined];
    const several = status.folders.length > 1;
    for (const folder of status.folders) {
      const prefix = several ? `${folder.folder.name}: ` : '';
      lines.push(prefix + (folder.snapshot ? `host snapshot of ${[folder.snapshot.host, folder.snapshot.system].filter(Boolean).join(', ') || 'the old host'} (${folder.snapshotPath}/)` : `no host snapshot (${folder.snapshotPath}/ is empty)`));
      if (folder.entry) lines.push(`${prefix}configuration ${path.relative(folder.folder.uri.fsPath, folder.entry).split(path.sep).join('/')}`);
    }
    const state = lines.filter((line): line is string => line !== undefined);
    this.item.tooltip = `${STATUS_TEXT}\n${state.map((line) => `• ${line}`).join('\n')}\nClick for the menu: report, fixes, generate, import, walkthrough.`;
    this.item.accessibilityInformation = { label: `${STATUS_TEXT}: ${state.join('; ')}`, role: 'button' };
  }

  dispose(): void {
    this.item.dispose();
  }
}
