/**
 * Where a quick fix writes: the spot go to definition lands on and the range the editor reveals after a fix that
 * edits another file. Both come from the Nix edit planner's spot
 * (FileEdit.spot, the first setting it writes), so they name the file the fix really targets — `homelab.nix` with
 * fixTarget "module", the module that declares `users.users.palav` — not the entry module's first line.
 */
import { LineIndex, type Position, type Range, type SourceLocation } from '../text';
import { applyEdits } from '../edits/applyEdits';
import type { FileEdit, TextEdit } from '../edits/model';
import type { CodeFix } from './model';

/**
 * Where the fix declares what is missing, in the files as they are now. A fix creating `homelab.nix` has no
 * place in it yet: its spot is the entry's new `imports` line. Undefined for a fix that edits no existing file.
 */
export function fixSpot(fix: CodeFix): SourceLocation | undefined {
  const marked = fix.edits.find((edit) => edit.spot !== undefined && !creates(fix, edit.file));
  if (marked?.spot) return { file: marked.file, range: { start: marked.spot, end: marked.spot } };
  const edited = fix.edits.find((edit) => !creates(fix, edit.file) && edit.edits.length > 0);
  const first = edited && [...edited.edits].sort((a, b) => compare(a.range.start, b.range.start))[0];
  return edited && first ? { file: edited.file, range: { start: first.range.start, end: first.range.start } } : undefined;
}

/**
 * What to show after the fix is applied: the text it wrote at its spot, in the file's new text (or the start of a
 * file it creates). Undefined when the fix writes nothing outside `besides` (the document the user is in).
 */
export function revealAfterFix(fix: CodeFix, besides: string): SourceLocation | undefined {
  const created = fix.creates.find((creation) => creation.file !== besides);
  if (created) {
    const text = fix.edits.filter((edit) => edit.file === created.file).reduce((current, edit) => applyEdits(current, edit.edits), created.text);
    return { file: created.file, range: bodyRange(text) };
  }
  const edit = fix.edits.find((candidate) => candidate.file !== besides && candidate.spot !== undefined) ?? fix.edits.find((candidate) => candidate.file !== besides && candidate.edits.length > 0);
  if (!edit) return undefined;
  return { file: edit.file, range: writtenRange(edit) };
}


function creates(fix: CodeFix, file: string): boolean {
  return fix.creates.some((creation) => creation.file === file);
}

function isFileStart(location: SourceLocation): boolean {
  const { start, end } = location.range;
  return start.line === 0 && start.character === 0 && end.line === 0 && end.character === 0;
}

function compare(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/** The range the spot's edit (else the file's first edit) occupies in the edited text, without surrounding blanks. */
function writtenRange(edit: FileEdit): Range {
  const lines = new LineIndex(edit.baseText);
  const sorted = [...edit.edits].sort((a, b) => compare(a.range.start, b.range.start));
  const chosen: TextEdit | undefined = (edit.spot && sorted.find((candidate) => compare(candidate.range.start, edit.spot as Position) === 0)) || sorted[0];
  if (!chosen) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  // Offsets shift by what the edits before the chosen one added or removed.
  let shift = 0;
  for (const other of sorted) {
    if (other === chosen) break;
    shift += other.newText.length - (lines.offsetAt(other.range.end) - lines.offsetAt(other.range.start));
  }
  const start = lines.offsetAt(chosen.range.start) + shift;
  const leading = chosen.newText.length - chosen.newText.trimStart().length;
  const after = new LineIndex(applyEdits(edit.baseText, edit.edits));
  return { start: after.positionAt(start + leading), end: after.positionAt(start + chosen.newText.trimEnd().length) };
}

/** A created file's text past its header comments: where its settings are. */
function bodyRange(text: string): Range {
  const lines = new LineIndex(text);
  const end = lines.positionAt(text.trimEnd().length);
  return { start: { line: 0, character: 0 }, end };
}
