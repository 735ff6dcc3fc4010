import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic } from 'vscode-languageserver/node';
import { applyPreferredFixes } from '../../core/applyFixes';
import { sameRange } from '../../core/text';
import { DIAGNOSTIC_SOURCE, FIX_ALL_KIND, type DiagnosticData } from '../../shared/protocol';
import type { ServerContext } from '../context';
import { computeFixes } from '../fixEngine';
import { documentHandler } from '../handler';
import { CODE_ACTION_PARAMS } from '../requestParams';
import { changesToWorkspaceEdit, fixToWorkspaceEdit } from '../workspaceEdit';

/**
 * Quick fixes per diagnostic and `source.fixAll.nixosHomelab` for the document. Dispatch is on the diagnostic's
 * `code` and the finding it still matches — never on message text — and a diagnostic computed for another
 * document version gets no action (its ranges may point at the wrong text).
 */
export function codeActionsHandler(ctx: ServerContext) {
  return documentHandler<CodeActionParams, CodeAction[]>('codeActions', ctx, CODE_ACTION_PARAMS, (document, file, params) => {
    const { root, analysis } = ctx.analysisFor(file);
    const only = params.context.only;
    const actions: CodeAction[] = [];
    if (wants(only, CodeActionKind.QuickFix)) {
      for (const diagnostic of params.context.diagnostics) {
        const data = ourData(diagnostic);
        if (!data || data.version !== document.version) continue;
        const finding = analysis.findings.find((f) => f.file === file && f.code === diagnostic.code && sameRange(f.range, diagnostic.range));
        if (!finding) continue;
        for (const fix of computeFixes(finding, analysis, ctx.index.host, root.settings).fixes) {
          const edit = fixToWorkspaceEdit(fix, ctx.index.host, ctx);
          if (edit) actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix.preferred, edit });
        }
      }
    }
    // Source actions only when asked for by kind: the lightbulb should show quick fixes, not "fix everything".
    if (only && wants(only, FIX_ALL_KIND)) {
      const result = applyPreferredFixes(root.cache.options, ctx.index.host, computeFixes, (finding) => finding.file === file, ctx.index.openComposeFiles(root));
      const edit = result.applied.length > 0 ? changesToWorkspaceEdit(result.changes, ctx) : undefined;
      if (edit) actions.push({ title: `Fix all NixOS Homelab problems in this file (${result.applied.length})`, kind: FIX_ALL_KIND, edit });
    }
    return actions;
  });
}

/** LSP kind matching: `source` asks for `source.fixAll.nixosHomelab`, `quickfix` for `quickfix`. */
function wants(only: readonly string[] | undefined, kind: string): boolean {
  return !only || only.some((requested) => kind === requested || kind.startsWith(`${requested}.`));
}

function ourData(diagnostic: Diagnostic): DiagnosticData | undefined {
  if (diagnostic.source !== DIAGNOSTIC_SOURCE || typeof diagnostic.data !== 'object' || diagnostic.data === null) return undefined;
  return diagnostic.data as DiagnosticData;
}
