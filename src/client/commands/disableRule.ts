import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CommandContext } from './commandContext';
import { RULE_ID, setsRule, withRuleOff } from './ruleSettings';

/**
 * "Disable <rule> in this workspace" (the quick-fix menu's last entry; also in the palette, with a pick): writes
 * `nixosHomelab.rules: { "<rule>": "off" }` into the workspace settings, keeping the other rules' severities. The
 * language server analyses again when the settings change, so the rule's findings go away. When the folder's own
 * settings name the rule (they win over the workspace's), the folder's settings are written instead.
 */
export async function disableRule(ctx: CommandContext, ruleArgument?: unknown, folderArgument?: unknown): Promise<string | undefined> {
  if (!vscode.workspace.workspaceFolders?.length) throw new Error('open a folder first: a rule is turned off in the workspace settings');
  const rule = typeof ruleArgument === 'string' ? ruleArgument : await pickRule(ctx);
  if (!rule) return undefined;
  if (!RULE_ID.test(rule)) throw new Error(`"${rule}" is not a rule id (e.g. puid-unmapped)`);
  const folder = typeof folderArgument === 'string' ? vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(folderArgument)) : undefined;
  const configuration = vscode.workspace.getConfiguration('nixosHomelab', folder?.uri);
  const inspected = configuration.inspect<unknown>('rules');
  const inFolder = folder !== undefined && vscode.workspace.workspaceFile !== undefined && setsRule(inspected?.workspaceFolderValue, rule);
  const target = inFolder ? vscode.ConfigurationTarget.WorkspaceFolder : vscode.ConfigurationTarget.Workspace;
  const current = inFolder ? inspected?.workspaceFolderValue : inspected?.workspaceValue;
  await configuration.update('rules', withRuleOff(current, rule), target);
  void vscode.window.showInformationMessage(`NixOS Homelab: ${rule} is off in this workspace ("nixosHomelab.rules" in the workspace settings).`, 'Open Settings').then((choice) =>
    choice ? vscode.commands.executeCommand(inFolder ? 'workbench.action.openFolderSettingsFile' : 'workbench.action.openWorkspaceSettingsFile') : undefined,
  );
  return rule;
}

async function pickRule(ctx: CommandContext): Promise<string | undefined> {
  const rulesDir = path.join(ctx.extension.extensionPath, 'docs', 'rules');
  let names: string[] = [];
  try {
    names = fs.readdirSync(rulesDir).filter((name) => name.endsWith('.md') && RULE_ID.test(name.slice(0, -3))).map((name) => name.slice(0, -3)).sort();
  } catch {
    throw new Error(`the rule pages are missing from the extension (${rulesDir})`);
  }
  return vscode.window.showQuickPick(names, { title: 'Turn a rule off in this workspace', placeHolder: 'Rule id' });
}
