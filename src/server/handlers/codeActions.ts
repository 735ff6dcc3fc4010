import * as path from 'node:path';
import { CodeActionKind, type CodeAction, type CodeActionParams, type Command, type Diagnostic } from 'vscode-languageserver/node';
import { revealAfterFix } from '../../core/fixes/fixSpot';
import type { CodeFix } from '../../core/fixes/model';
import { FIX_ALL_KIND } from '../../shared/protocol';
import type { ServerContext } from '../context';
import { fixAllInEditor } from '../fixAllEdit';
import { computeFixes } from '../../core/fixes';
import { documentHandler } from '../handler';
import { CODE_ACTION_PARAMS } from '../requestParams';
import { ruleActions, type RuleMenuInput } from '../ruleActions';
import { snapshotOfferAction } from '../snapshotOfferAction';
import { dependsOnSnapshot } from '../../core/rules/snapshotDependent';
import { pathToUri } from '../uri';
import { changesToWorkspaceEdit, fixToWorkspaceEdit } from '../workspaceEdit';

/** Server command (workspace/executeCommand) a cross-file fix runs after its edit: reveal what it wrote. */
export const REVEAL_FIX_COMMAND = 'nixosHomelab.revealFixedRange';

/**
 * Quick fixes per diagnostic and `source.fixAll.nixosHomelab` for the document. Each diagnostic's finding is looked
 * up by key in what the document was last sent (publish/publisher.ts), and dispatch is on its rule's `code`: a
 * diagnostic computed for another document version, or kept from an older publish, gets no action (its ranges may
 * point at the wrong text). After a finding's fixes come its rule's entries (ruleActions.ts): fix all in this file,
 * in the workspace, documentation, disable — and before those, on findings a snapshot would change, "Use <folder>/
 * as host snapshot" (snapshotOfferAction.ts).
 */
export function codeActionsHandler(ctx: ServerContext) {
  return documentHandler<CodeActionParams, CodeAction[]>('codeActions', ctx, CODE_ACTION_PARAMS, (document, file, params) => {
    const { root, analysis } = ctx.analysisFor(file);
    const only = params.context.only;
    const actions: CodeAction[] = [];
    if (wants(only, CodeActionKind.QuickFix)) {
      const rules = new Map<string, RuleMenuInput>();
      const snapshotDependent: Diagnostic[] = [];
      // The analysis above ran whatever was pending, so the document's last publish is of its current text.
      const uri = ctx.documents.uriOf(file) ?? document.uri;
      for (const diagnostic of params.context.diagnostics) {
        const finding = ctx.publisher.findingFor(uri, document.version, diagnostic);
        if (!finding) continue;
        const { fixes } = computeFixes(finding, analysis, ctx.index.source, root.settings);
        for (const fix of fixes) {
          const edit = fixToWorkspaceEdit(fix, ctx.index.source, ctx);
          if (!edit) continue;
          const command = revealCommand(ctx, fix, file);
          actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix.preferred, edit, ...(command ? { command } : {}) });
        }
        if (dependsOnSnapshot(finding.code)) snapshotDependent.push(diagnostic);
        const rule = rules.get(finding.code);
        if (rule) {
          rule.diagnostics.push(diagnostic);
          rule.fixable ||= fixes.some((fix) => fix.preferred);
          continue;
        }
        rules.set(finding.code, {
          rule: finding.code,
          diagnostics: [diagnostic],
          fixable: fixes.some((fix) => fix.preferred),
          inFile: ctx.publisher.countOf(finding.code, uri),
          inWorkspace: ctx.publisher.countOf(finding.code),
          uri: document.uri,
          folderUri: root.isFolder ? pathToUri(root.root) : undefined,
        });
      }
      // A snapshot folder in the workspace would change these findings: offered after their fixes, before the rules' entries.
      const useSnapshot = snapshotOfferAction(root, analysis, snapshotDependent);
      if (useSnapshot) actions.push(useSnapshot);
      for (const rule of rules.values()) actions.push(...ruleActions(ctx, rule));
    }
    // Source actions only when asked for by kind: the lightbulb should show quick fixes, not "fix everything".
    if (only && wants(only, FIX_ALL_KIND)) {
      const result = fixAllInEditor(ctx, { file });
      const edit = result.applied.length > 0 ? changesToWorkspaceEdit(result.changes, ctx) : undefined;
      if (edit) actions.push({ title: `Fix all NixOS Homelab problems in this file (${result.applied.length})`, kind: FIX_ALL_KIND, edit });
    }
    return actions;
  });
}

/**
 * A fix that writes into another file than the one the user is in would change it out of sight: after the edit,
 * the server asks the editor to show what it wrote (`window/showDocument`, without taking the focus).
 */
function revealCommand(ctx: ServerContext, fix: CodeFix, file: string): Command | undefined {
  if (!ctx.client.showsDocuments) return undefined;
  const reveal = revealAfterFix(fix, file);
  if (!reveal) return undefined;
  return { title: `Show the change in ${path.basename(reveal.file)}`, command: REVEAL_FIX_COMMAND, arguments: [{ uri: ctx.documents.uriOf(reveal.file) ?? pathToUri(reveal.file), range: reveal.range }] };
}

/** LSP kind matching: `source` asks for `source.fixAll.nixosHomelab`, `quickfix` for `quickfix`. */
function wants(only: readonly string[] | undefined, kind: string): boolean {
  return !only || only.some((requested) => kind === requested || kind.startsWith(`${requested}.`));
}
