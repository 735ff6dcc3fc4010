import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { buildMigrationReport } from '../../core/report/migrationReport';
import { MigrationReportDataRequest, type MigrationReportData } from '../../shared/protocol';
import { renderReportHtml } from '../report/reportHtml';
import { lastVerify } from '../migration/verifyStore';
import { pickWorkspaceFolder, snapshotDirOf } from '../migration/workspaceFolder';
import type { CommandContext } from './index';

/** The report tab's title (tests look for it). */
export const REPORT_TITLE = 'NixOS Homelab: Migration Report';

let panel: vscode.WebviewPanel | undefined;

/**
 * "Show Migration Report": a webview with the findings by rule and file, the old host's snapshot and the last
 * verify result, as tables. One panel, re-rendered on every call. No scripts (strict CSP). Returns the panel's
 * title and the report's summary line.
 */
export async function showMigrationReport(ctx: CommandContext, folderArgument?: unknown): Promise<{ title: string; summary: string } | undefined> {
  const folder = isWorkspaceFolder(folderArgument) ? folderArgument : await pickWorkspaceFolder();
  if (!folder) return undefined;
  const client = ctx.client();
  // Without a server (it failed to start) the report still shows the verify result; the findings are empty.
  const data: MigrationReportData = client
    ? await client.sendRequest(MigrationReportDataRequest.type, { folder: client.code2ProtocolConverter.asUri(folder.uri) })
    : { findings: [] };
  const dir = snapshotDirOf(folder);
  const verify = lastVerify(ctx.extension.workspaceState, folder);
  const report = buildMigrationReport({
    workspace: folder.name,
    findings: data.findings,
    ...(data.snapshot ? { snapshot: data.snapshot } : {}),
    snapshotDir: path.relative(folder.uri.fsPath, dir) || dir,
    ...(verify ? { verify } : {}),
  });

  if (!panel) {
    panel = vscode.window.createWebviewPanel('nixosHomelab.migrationReport', REPORT_TITLE, vscode.ViewColumn.Active, {
      enableScripts: false,
      enableCommandUris: false,
      localResourceRoots: [],
    });
    panel.onDidDispose(() => (panel = undefined));
  } else {
    panel.reveal(undefined, false);
  }
  panel.webview.html = renderReportHtml(report, randomBytes(16).toString('base64'));
  return { title: panel.title, summary: report.summary };
}

function isWorkspaceFolder(value: unknown): value is vscode.WorkspaceFolder {
  return typeof value === 'object' && value !== null && 'uri' in value && 'name' in value && 'index' in value;
}
