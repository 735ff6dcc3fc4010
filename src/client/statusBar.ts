import * as vscode from 'vscode';
import type { WorkspaceSummary } from '../shared/protocol';

/** The status bar item: the workspace's findings count; a click opens the Problems panel. */
export class FindingsStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('nixosHomelab.findings', vscode.StatusBarAlignment.Left, 10);

  constructor() {
    this.item.name = 'NixOS Homelab';
    this.item.command = 'workbench.actions.view.problems';
    this.item.text = '$(sync~spin) NixOS';
    this.item.tooltip = 'NixOS Homelab: analysing the workspace…';
    this.item.show();
  }

  update(summary: WorkspaceSummary): void {
    const { error, warning, information, hint } = summary.counts;
    const total = error + warning + information + hint;
    if (!summary.ready) return;
    this.item.text = total === 0 ? '$(check) NixOS' : `$(error) ${error} $(warning) ${warning} NixOS`;
    const fixable = summary.fixable > 0 ? `\n${summary.fixable} can be fixed with "NixOS Homelab: Apply All Fixes".` : '';
    this.item.tooltip = total === 0
      ? 'NixOS Homelab: no migration problems found'
      : `NixOS Homelab: ${error} errors, ${warning} warnings, ${information + hint} notes in ${summary.files} files.${fixable}\nClick to open the Problems panel.`;
    this.item.backgroundColor = error > 0 ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  failed(message: string): void {
    this.item.text = '$(error) NixOS';
    this.item.tooltip = `NixOS Homelab: ${message}`;
    this.item.command = 'nixosHomelab.showOutput';
  }

  dispose(): void {
    this.item.dispose();
  }
}
