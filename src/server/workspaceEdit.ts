import * as path from 'node:path';
import type { AnnotatedTextEdit, ChangeAnnotation, CreateFile, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver/node';
import { minimalEdit } from '../core/applyFixes';
import { applyEdits } from '../core/edits/applyEdits';
import type { CodeFix } from '../core/fixes/model';
import type { FileReader } from '../core/types';
import type { ServerContext } from './context';
import { pathToUri } from './uri';

/**
 * A core fix as a WorkspaceEdit. Open documents carry their version, so the editor refuses the edit when the text
 * moved on; a fix computed against a text the file no longer has is not offered at all (undefined).
 */
export function fixToWorkspaceEdit(fix: CodeFix, reader: FileReader, ctx: ServerContext): WorkspaceEdit | undefined {
  for (const edit of fix.edits) {
    const created = fix.creates.some((creation) => creation.file === edit.file);
    if (!created && reader.readText(edit.file) !== edit.baseText) return undefined;
  }
  if (fix.creates.length > 0 && (!ctx.edits.createFiles || !ctx.trusted)) return undefined;
  const outside = (file: string): boolean => isOutsideWorkspace(file, ctx);
  const touchesOutside = [...fix.edits.map((edit) => edit.file), ...fix.creates.map((creation) => creation.file)].some(outside);
  if (!ctx.edits.documentChanges) {
    // Plain `changes` cannot ask the user to confirm: an edit outside the workspace is not offered then.
    if (fix.creates.length > 0 || touchesOutside) return undefined;
    const changes: Record<string, TextEdit[]> = {};
    for (const edit of fix.edits) changes[uriOf(edit.file, ctx)] = [...(changes[uriOf(edit.file, ctx)] ?? []), ...edit.edits];
    return { changes };
  }
  const documentChanges: (TextDocumentEdit | CreateFile)[] = [];
  for (const creation of fix.creates) {
    const uri = uriOf(creation.file, ctx);
    // Edits on a file the fix creates apply to the creation's text: send the final text in one insertion.
    const text = fix.edits.filter((edit) => edit.file === creation.file).reduce((current, edit) => applyEdits(current, edit.edits), creation.text);
    const annotation = outside(creation.file) ? { annotationId: OUTSIDE_WORKSPACE } : {};
    documentChanges.push({ kind: 'create', uri, options: { ignoreIfExists: true }, ...annotation });
    documentChanges.push({ textDocument: { uri, version: null }, edits: annotated([{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: text }], outside(creation.file)) });
  }
  for (const edit of fix.edits) {
    if (fix.creates.some((creation) => creation.file === edit.file)) continue;
    documentChanges.push({ textDocument: { uri: uriOf(edit.file, ctx), version: ctx.documents.versionOf(edit.file) }, edits: annotated(edit.edits, outside(edit.file)) });
  }
  return touchesOutside ? { documentChanges, changeAnnotations: OUTSIDE_ANNOTATIONS } : { documentChanges };
}

/** Whole-run results (applyPreferredFixes) as one WorkspaceEdit: one minimal edit per changed file. */
export function changesToWorkspaceEdit(changes: ReadonlyMap<string, { before: string | undefined; after: string }>, ctx: ServerContext): WorkspaceEdit | undefined {
  const creates = [...changes.values()].some((change) => change.before === undefined);
  if (creates && (!ctx.edits.createFiles || !ctx.trusted || !ctx.edits.documentChanges)) return undefined;
  const touchesOutside = [...changes.keys()].some((file) => isOutsideWorkspace(file, ctx));
  if (!ctx.edits.documentChanges) {
    if (touchesOutside) return undefined;
    const plain: Record<string, TextEdit[]> = {};
    for (const [file, { before, after }] of changes) plain[uriOf(file, ctx)] = [minimalEdit(before ?? '', after)];
    return { changes: plain };
  }
  const documentChanges: (TextDocumentEdit | CreateFile)[] = [];
  for (const [file, { before, after }] of changes) {
    const uri = uriOf(file, ctx);
    const isOutside = isOutsideWorkspace(file, ctx);
    if (before === undefined) documentChanges.push({ kind: 'create', uri, options: { ignoreIfExists: true }, ...(isOutside ? { annotationId: OUTSIDE_WORKSPACE } : {}) });
    documentChanges.push({ textDocument: { uri, version: before === undefined ? null : ctx.documents.versionOf(file) }, edits: annotated([minimalEdit(before ?? '', after)], isOutside) });
  }
  return touchesOutside ? { documentChanges, changeAnnotations: OUTSIDE_ANNOTATIONS } : { documentChanges };
}

/**
 * Edits of files outside every workspace folder (a module imported from `../../outside/users.nix`) carry a change
 * annotation with `needsConfirmation` (LSP 3.16): VS Code then shows the refactor preview, and nothing outside the
 * workspace changes unless the user confirms it. Documents open in the editor count as inside: the user sees them.
 */
export const OUTSIDE_WORKSPACE = 'nixosHomelab.outsideWorkspace';

const OUTSIDE_ANNOTATIONS: Record<string, ChangeAnnotation> = {
  [OUTSIDE_WORKSPACE]: {
    label: 'Files outside the workspace',
    needsConfirmation: true,
    description: 'This fix edits a file outside the workspace folders (an imported module); check it before applying.',
  },
};

function isOutsideWorkspace(file: string, ctx: ServerContext): boolean {
  if (ctx.documents.byFile(file)) return false;
  return !ctx.index.folders().some((root) => root.isFolder && (file === root.root || file.startsWith(root.root + path.sep)));
}

function annotated(edits: TextEdit[], outside: boolean): (TextEdit | AnnotatedTextEdit)[] {
  return outside ? edits.map((edit) => ({ ...edit, annotationId: OUTSIDE_WORKSPACE })) : edits;
}

function uriOf(file: string, ctx: ServerContext): string {
  return ctx.documents.uriOf(file) ?? pathToUri(file);
}
