import { LineIndex } from '../text';
import type { TextEdit } from './model';

/**
 * Applies non-overlapping edits, all given in positions of `text`, and returns the new text. Pure: the CLI and
 * the tests use it on file texts; the language server leaves it to the editor. Overlapping edits are a bug in
 * whoever built them, so they throw.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineIndex(text);
  const spans = edits
    .map((edit, index) => ({ start: lines.offsetAt(edit.range.start), end: lines.offsetAt(edit.range.end), text: edit.newText, index }))
    // Same start: keep the given order (two insertions at one point read in the order they were listed).
    .sort((a, b) => a.start - b.start || a.end - b.end || a.index - b.index);
  let result = '';
  let cursor = 0;
  for (const span of spans) {
    if (span.start < cursor) throw new Error(`applyEdits: overlapping edits at offset ${span.start}`);
    result += text.slice(cursor, span.start) + span.text;
    cursor = span.end;
  }
  return result + text.slice(cursor);
}
