/**
 * The quick-fix menu's entries about a rule rather than one finding, after the finding's own fixes (as
 * vscode-eslint offers them): fix every finding of the rule in this file, then in the workspace, show the rule's
 * page, turn the rule off for the workspace. The two "fix all" entries are computed only when chosen
 * (`codeAction/resolve`, or a server command for clients without it): a run re-analyses after every fix, too slow
 * for every lightbulb.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodeActionKind, type CodeAction, type Command, type Diagnostic, type WorkspaceEdit } from 'vscode-languageserver/node';
import type { ServerContext } from './context';
import { fixAllInEditor } from './fixAllEdit';
import { changesToWorkspaceEdit } from './workspaceEdit';
import { uriToPath } from './uri';

/** Client commands (src/client/commands/commandList.ts) the menu's entries run. */
export const SHOW_RULE_DOCUMENTATION_COMMAND = 'nixosHomelab.showRuleDocumentation';
export const DISABLE_RULE_COMMAND = 'nixosHomelab.disableRule';

/** `CodeAction.data` of a "fix all" entry, until it is resolved. */
export interface FixAllActionData {
  nixosHomelabFixAll: { uri: string; rule: string; scope: 'file' | 'workspace' };
}

export interface RuleMenuInput {
  rule: string;
  /** The diagnostics of this rule in the request (the entries are listed once per rule). */
  diagnostics: Diagnostic[];
  /** Whether a finding of the rule here has a preferred fix ("fix all" would do something). */
  fixable: boolean;
  /** How many findings of the rule are in this document / in the workspace. */
  inFile: number;
  inWorkspace: number;
  /** URI of the document and of its workspace folder (the settings the rule is turned off in). */
  uri: string;
  folderUri: string | undefined;
}

/** The rule's entries, in the menu's order. */
export function ruleActions(ctx: ServerContext, input: RuleMenuInput): CodeAction[] {
  const { rule, diagnostics } = input;
  const actions: CodeAction[] = [];
  if (input.fixable) {
    actions.push(fixAllAction(ctx, input, 'file', `Fix all ${rule} problems in this file${count(input.inFile)}`));
    actions.push(fixAllAction(ctx, input, 'workspace', `Fix all ${rule} problems in the workspace${count(input.inWorkspace)}`));
  }
  if (hasRulePage(rule)) {
    const title = `Show documentation for ${rule}`;
    actions.push({ title, kind: CodeActionKind.QuickFix, diagnostics, command: { title, command: SHOW_RULE_DOCUMENTATION_COMMAND, arguments: [rule] } });
  }
  const title = `Disable ${rule} in this workspace`;
  const command: Command = { title, command: DISABLE_RULE_COMMAND, arguments: input.folderUri ? [rule, input.folderUri] : [rule] };
  actions.push({ title, kind: CodeActionKind.QuickFix, diagnostics, command });
  return actions;
}

function fixAllAction(ctx: ServerContext, input: RuleMenuInput, scope: 'file' | 'workspace', title: string): CodeAction {
  const data: FixAllActionData = { nixosHomelabFixAll: { uri: input.uri, rule: input.rule, scope } };
  if (ctx.client.resolvesCodeActionEdit) return { title, kind: CodeActionKind.QuickFix, diagnostics: input.diagnostics, data };
  // A client that cannot resolve an action's edit later runs the server's command, which sends the edit then.
  return { title, kind: CodeActionKind.QuickFix, diagnostics: input.diagnostics, command: { title, command: FIX_ALL_OF_RULE_COMMAND, arguments: [data.nixosHomelabFixAll] } };
}

/** Server command (workspace/executeCommand) of a "fix all" entry for clients without `codeAction/resolve`. */
export const FIX_ALL_OF_RULE_COMMAND = 'nixosHomelab.fixAllOfRule';

/** The edit of a "fix all" entry (its `data`, or the command's argument); undefined when there is nothing to fix. */
export function fixAllEdit(ctx: ServerContext, data: unknown): WorkspaceEdit | undefined {
  const request = fixAllRequestOf(data);
  const file = request && uriToPath(request.uri);
  if (!request || !file) return undefined;
  const result = fixAllInEditor(ctx, { file: request.scope === 'file' ? file : undefined, rule: request.rule });
  return result.applied.length > 0 ? changesToWorkspaceEdit(result.changes, ctx) : undefined;
}

/** `codeAction/resolve`: the edit of a "fix all" entry; other actions come back as they are. */
export function resolveFixAllAction(ctx: ServerContext, action: CodeAction): CodeAction {
  const edit = fixAllEdit(ctx, action.data);
  return edit ? { ...action, edit } : action;
}

/** The request of a "fix all" entry: `{ nixosHomelabFixAll: request }` (action data) or the request itself. */
function fixAllRequestOf(data: unknown): FixAllActionData['nixosHomelabFixAll'] | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const wrapped: unknown = (data as { nixosHomelabFixAll?: unknown }).nixosHomelabFixAll;
  const request = (wrapped ?? data) as { uri?: unknown; rule?: unknown; scope?: unknown } | null;
  if (typeof request !== 'object' || request === null) return undefined;
  const { uri, rule, scope } = request;
  return typeof uri === 'string' && typeof rule === 'string' && (scope === 'file' || scope === 'workspace') ? { uri, rule, scope } : undefined;
}

function count(n: number): string {
  return n > 1 ? ` (${n})` : '';
}

/** The rule pages ship beside the bundle (dist/server.js → docs/rules/<id>.md), in the VSIX and in a clone. */
const RULES_DIRS = [path.join(__dirname, '..', 'docs', 'rules'), path.join(__dirname, '..', '..', 'docs', 'rules')];
const RULE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function hasRulePage(rule: string): boolean {
  return RULE_ID.test(rule) && RULES_DIRS.some((dir) => fs.existsSync(path.join(dir, `${rule}.md`)));
}
