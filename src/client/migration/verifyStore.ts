import type * as vscode from 'vscode';
import type { VerifyReport } from '../../core/verify';

/** The last verify result of a workspace folder, kept in workspaceState for "Show Migration Report". */
export interface StoredVerify {
  report: VerifyReport;
  /** ISO time of the run. */
  at: string;
}

function key(folder: vscode.WorkspaceFolder): string {
  return `nixosHomelab.lastVerify:${folder.uri.toString()}`;
}

export function lastVerify(state: vscode.Memento, folder: vscode.WorkspaceFolder): StoredVerify | undefined {
  return state.get<StoredVerify>(key(folder));
}

export function storeVerify(state: vscode.Memento, folder: vscode.WorkspaceFolder, verify: StoredVerify): Thenable<void> {
  return state.update(key(folder), verify);
}
