import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { pickWorkspaceFolder } from '../migration/workspaceFolder';
import type { CommandContext } from './commandContext';

/** A rule id as the rules name themselves (also keeps a link's argument from naming any other file). */
const RULE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * "Show Rule Documentation…": the rule's page (docs/rules/<id>.md, shipped inside the extension) in the Markdown
 * preview. Without an id, a pick of every rule. The Migration Report's rule links call it.
 */
export async function showRuleDocumentation(ctx: CommandContext, ruleArgument?: unknown): Promise<string | undefined> {
  const rulesDir = path.join(ctx.extension.extensionPath, 'docs', 'rules');
  const rule = typeof ruleArgument === 'string' ? ruleArgument : await pickRule(rulesDir);
  if (!rule) return undefined;
  if (!RULE_ID.test(rule)) throw new Error(`"${rule}" is not a rule id (e.g. puid-unmapped)`);
  const page = path.join(rulesDir, `${rule}.md`);
  if (!fs.existsSync(page)) throw new Error(`no documentation for rule ${rule} in ${rulesDir}`);
  await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(page));
  return page;
}

async function pickRule(rulesDir: string): Promise<string | undefined> {
  let names: string[] = [];
  try {
    names = fs.readdirSync(rulesDir).filter((name) => name.endsWith('.md') && RULE_ID.test(name.slice(0, -3))).map((name) => name.slice(0, -3)).sort();
  } catch {
    throw new Error(`the rule pages are missing from the extension (${rulesDir})`);
  }
  return vscode.window.showQuickPick(names, { title: 'Show the documentation of a rule', placeHolder: 'Rule id' });
}

/**
 * Opens a finding's file at its line: `file` relative to the workspace folder `folder` (a URI string), `line`
 * 1-based. The Migration Report's file:line links call it; a path leaving the folder is refused.
 */
export async function openFindingLocation(_ctx: CommandContext, folderArgument?: unknown, fileArgument?: unknown, lineArgument?: unknown): Promise<string | undefined> {
  const folder = typeof folderArgument === 'string' ? vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(folderArgument)) : await pickWorkspaceFolder();
  if (!folder || typeof fileArgument !== 'string') return undefined;
  const file = path.resolve(folder.uri.fsPath, fileArgument);
  if (path.relative(folder.uri.fsPath, file).startsWith('..')) throw new Error(`${fileArgument} is not inside ${folder.name}`);
  const line = Math.max(0, (typeof lineArgument === 'number' ? lineArgument : 1) - 1);
  const position = new vscode.Position(line, 0);
  await vscode.window.showTextDocument(vscode.Uri.file(file), { selection: new vscode.Range(position, position), preview: false, viewColumn: vscode.ViewColumn.Beside });
  return file;
}
