import type { CreateFile, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver/node';
import { minimalEdit } from '../core/applyFixes';
import { applyEdits } from '../core/fixes/applyEdits';
import type { CodeFix } from '../core/fixes/model';
import type { FileHost } from '../core/types';
import type { ServerContext } from './context';
import { pathToUri } from './uri';

/**
 * A core fix as a WorkspaceEdit. Open documents carry their version, so the editor refuses the edit when the text
 * moved on; a fix computed against a text the file no longer has is not offered at all (undefined).
 */
export function fixToWorkspaceEdit(fix: CodeFix, host: FileHost, ctx: ServerContext): WorkspaceEdit | undefined {
  for (const edit of fix.edits) {
    const created = fix.creates.some((creation) => creation.file === edit.file);
    if (!created && host.readText(edit.file) !== edit.baseText) return undefined;
  }
  if (fix.creates.length > 0 && (!ctx.edits.createFiles || !ctx.trusted)) return undefined;
  if (!ctx.edits.documentChanges) {
    if (fix.creates.length > 0) return undefined;
    const changes: Record<string, TextEdit[]> = {};
    for (const edit of fix.edits) changes[uriOf(edit.file, ctx)] = [...(changes[uriOf(edit.file, ctx)] ?? []), ...edit.edits];
    return { changes };
  }
  const documentChanges: (TextDocumentEdit | CreateFile)[] = [];
  for (const creation of fix.creates) {
    const uri = uriOf(creation.file, ctx);
    // Edits on a file the fix creates apply to the creation's text: send the final text in one insertion.
    const text = fix.edits.filter((edit) => edit.file === creation.file).reduce((current, edit) => applyEdits(current, edit.edits), creation.text);
    documentChanges.push({ kind: 'create', uri, options: { ignoreIfExists: true } });
    documentChanges.push({ textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: text }] });
  }
  for (const edit of fix.edits) {
    if (fix.creates.some((creation) => creation.file === edit.file)) continue;
    documentChanges.push({ textDocument: { uri: uriOf(edit.file, ctx), version: ctx.documents.versionOf(edit.file) }, edits: edit.edits });
  }
  return { documentChanges };
}

/** Whole-run results (applyPreferredFixes) as one WorkspaceEdit: one minimal edit per changed file. */
export function changesToWorkspaceEdit(changes: ReadonlyMap<string, { before: string | undefined; after: string }>, ctx: ServerContext): WorkspaceEdit | undefined {
  const creates = [...changes.values()].some((change) => change.before === undefined);
  if (creates && (!ctx.edits.createFiles || !ctx.trusted || !ctx.edits.documentChanges)) return undefined;
  if (!ctx.edits.documentChanges) {
    const plain: Record<string, TextEdit[]> = {};
    for (const [file, { before, after }] of changes) plain[uriOf(file, ctx)] = [minimalEdit(before ?? '', after)];
    return { changes: plain };
  }
  const documentChanges: (TextDocumentEdit | CreateFile)[] = [];
  for (const [file, { before, after }] of changes) {
    const uri = uriOf(file, ctx);
    if (before === undefined) documentChanges.push({ kind: 'create', uri, options: { ignoreIfExists: true } });
    documentChanges.push({ textDocument: { uri, version: before === undefined ? null : ctx.documents.versionOf(file) }, edits: [minimalEdit(before ?? '', after)] });
  }
  return { documentChanges };
}

function uriOf(file: string, ctx: ServerContext): string {
  return ctx.documents.uriOf(file) ?? pathToUri(file);
}
