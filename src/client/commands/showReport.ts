import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { buildMigrationReport } from '../../core/report/migrationReport';
import { MigrationReportDataRequest, type MigrationReportData } from '../../shared/protocol';
import { renderReportHtml, type ReportLinks } from '../report/reportHtml';
import { lastVerify } from '../migration/verifyStore';
import { pickWorkspaceFolder, snapshotDirOf } from '../migration/workspaceFolder';
import { COMMAND_IDS } from './commandList';
import type { CommandContext } from './commandContext';

/** The report tab's title (tests look for it). */
export const REPORT_TITLE = 'NixOS Homelab: Migration Report';

/** The only commands the report's links may run (the webview has no scripts; links are command URIs). */
const LINK_COMMANDS = [COMMAND_IDS.openFindingLocation, COMMAND_IDS.showRuleDocumentation, COMMAND_IDS.addModuleToImports, COMMAND_IDS.useSnapshotFolder];

interface OpenReport {
  panel: vscode.WebviewPanel;
  folder: vscode.WorkspaceFolder;
  /** The last rendering without its nonce: an analysis change that changes nothing shown does not redraw. */
  shown: string;
  /** How many times it was rendered (tests read it through the command's result). */
  renders: number;
}

let open: OpenReport | undefined;

/**
 * "Show Migration Report": a webview with the findings by rule and file, the old host's snapshot and the last
 * verify result, as tables. File:line entries open the file at the line, rule ids open the rule's page. One panel,
 * re-rendered whenever the analysis changes while it is open. No scripts (strict CSP); links are command URIs
 * limited to the report's own commands. Returns the panel's title, the report's summary line and the render count.
 */
export async function showMigrationReport(ctx: CommandContext, folderArgument?: unknown): Promise<{ title: string; summary: string; renders: number } | undefined> {
  const folder = isWorkspaceFolder(folderArgument) ? folderArgument : open?.folder ?? (await pickWorkspaceFolder());
  if (!folder) return undefined;
  if (!open) {
    const panel = vscode.window.createWebviewPanel('nixosHomelab.migrationReport', REPORT_TITLE, vscode.ViewColumn.Active, {
      enableScripts: false,
      enableCommandUris: LINK_COMMANDS,
      localResourceRoots: [],
    });
    const report: OpenReport = { panel, folder, shown: '', renders: 0 };
    open = report;
    const subscription = ctx.state.onDidChangeAnalysis(() => void render(ctx, report).catch((error: unknown) => ctx.output.appendLine(`Migration Report: ${String(error)}`)));
    panel.onDidDispose(() => {
      subscription.dispose();
      if (open === report) open = undefined;
    });
  } else {
    open.folder = folder;
    open.panel.reveal(undefined, false);
  }
  const summary = await render(ctx, open);
  return { title: open.panel.title, summary, renders: open.renders };
}

/** Renders the report of `report.folder` from the server's current analysis; returns the summary line. */
async function render(ctx: CommandContext, report: OpenReport): Promise<string> {
  const { folder } = report;
  const client = ctx.client();
  // Without a server (it failed to start) the report still shows the verify result; the findings are empty.
  const data: MigrationReportData = client
    ? await client.sendRequest(MigrationReportDataRequest.type, { folder: client.code2ProtocolConverter.asUri(folder.uri) })
    : { findings: [] };
  const dir = snapshotDirOf(folder);
  const verify = lastVerify(ctx.extension.workspaceState, folder);
  const built = buildMigrationReport({
    workspace: folder.name,
    findings: data.findings,
    ...(data.snapshot ? { snapshot: data.snapshot } : {}),
    snapshotDir: path.relative(folder.uri.fsPath, dir) || dir,
    ...(verify ? { verify } : {}),
  });
  const links = reportLinks(ctx, folder, data.snapshot !== undefined);
  const shown = JSON.stringify([built, links.actions]);
  if (shown !== report.shown && open === report) {
    report.shown = shown;
    report.renders++;
    report.panel.webview.html = renderReportHtml(built, randomBytes(16).toString('base64'), links);
  }
  return built.summary;
}

function reportLinks(ctx: CommandContext, folder: vscode.WorkspaceFolder, hasSnapshot: boolean): ReportLinks {
  const command = (id: string, args: unknown[]): string => `command:${id}?${encodeURIComponent(JSON.stringify(args))}`;
  const state = ctx.state.folderState(folder);
  const actions: { label: string; href: string }[] = [];
  const generated = state?.generated;
  if (generated && !generated.imported && generated.entry) {
    actions.push({
      label: `Add ${path.basename(generated.file)} to the imports of ${path.basename(generated.entry)}`,
      href: command(COMMAND_IDS.addModuleToImports, [vscode.Uri.file(generated.file).toString(), vscode.Uri.file(generated.entry).toString()]),
    });
  }
  if (!hasSnapshot) {
    for (const candidate of state?.snapshotCandidates ?? []) {
      actions.push({ label: `Use ${candidate.relative}/ as the host snapshot`, href: command(COMMAND_IDS.useSnapshotFolder, [vscode.Uri.file(candidate.dir).toString()]) });
    }
  }
  return {
    location: (file, line) => command(COMMAND_IDS.openFindingLocation, [folder.uri.toString(), file, line]),
    rule: (rule) => command(COMMAND_IDS.showRuleDocumentation, [rule]),
    actions,
  };
}

function isWorkspaceFolder(value: unknown): value is vscode.WorkspaceFolder {
  return typeof value === 'object' && value !== null && 'uri' in value && 'name' in value && 'index' in value;
}
