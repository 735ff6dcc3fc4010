/**
 * Text-level helpers of the Nix edit planner: the file's own style (indentation unit, line ending) and a draft that
 * applies edits one after another while remembering them as edits of the original text, so the planner can
 * re-parse between steps and still hand back minimal edits of the file as it was read.
 */
import { LineIndex, type Range } from '../text';
import type { TextEdit } from '../edits/model';

/** The line ending a file uses: CRLF files stay CRLF. */
export function detectLineEnding(text: string): '\n' | '\r\n' {
  const crlf = text.indexOf('\r\n');
  const lf = text.indexOf('\n');
  return crlf >= 0 && crlf < lf ? '\r\n' : '\n';
}

/**
 * One level of indentation as the file writes it: a tab when indented lines start with tabs, else the most common
 * step by which a line is indented deeper than the one before it (2 or 4 spaces in practice). Files without
 * indentation get two spaces, the NixOS default.
 */
export function detectIndentUnit(text: string): string {
  let tabs = 0;
  let spaced = 0;
  const steps = new Map<number, number>();
  let previous = 0;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const width = line.length - line.trimStart().length;
    if (line.startsWith('\t')) tabs++;
    else if (line.startsWith(' ')) spaced++;
    if (width > previous && !line.startsWith('\t')) steps.set(width - previous, (steps.get(width - previous) ?? 0) + 1);
    previous = width;
  }
  if (tabs > spaced) return '\t';
  let best = 2;
  let bestCount = 0;
  for (const [step, count] of steps) {
    if (step >= 2 && step <= 8 && (count > bestCount || (count === bestCount && step < best))) {
      best = step;
      bestCount = count;
    }
  }
  return ' '.repeat(best);
}

/** Turns `\n` in text the planner built into the file's own line ending. */
export function withLineEnding(text: string, eol: string): string {
  return eol === '\n' ? text : text.replace(/\r?\n/g, eol);
}

/** Collapses whitespace so that `[ "a"  "b" ]` and `[ "a" "b" ]` compare equal. */
export function normalizeNixText(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\(\s+/g, '(').replace(/\s+\)/g, ')').trim();
}

interface Change {
  /** Offsets in the original text. */
  start: number;
  end: number;
  text: string;
}

/**
 * A file being edited: `text` is the current draft; every `replace` is recorded as a change of the original text
 * (merged with earlier changes it touches), so `edits()` returns non-overlapping edits of the original.
 */
export class TextDraft {
  private current: string;
  private changes: Change[] = [];

  constructor(readonly original: string) {
    this.current = original;
  }

  get text(): string {
    return this.current;
  }

  get changed(): boolean {
    return this.current !== this.original;
  }

  /** Replaces `[start, end)` of the current text. */
  replace(start: number, end: number, newText: string): void {
    if (start > end || start < 0 || end > this.current.length) throw new Error(`TextDraft: bad range ${start}-${end}`);
    if (start === end && newText === '') return;
    // Where each earlier change sits in the current text.
    let delta = 0;
    const placed = this.changes.map((change) => {
      const currentStart = change.start + delta;
      delta += change.text.length - (change.end - change.start);
      return { change, currentStart, currentEnd: currentStart + change.text.length };
    });
    const touched = placed.filter((p) => p.currentStart <= end && p.currentEnd >= start);
    const toOriginal = (offset: number): number => {
      // Offsets outside every change map back through the changes before them.
      let shift = 0;
      for (const p of placed) {
        if (p.currentEnd <= offset) shift += p.change.text.length - (p.change.end - p.change.start);
      }
      return offset - shift;
    };
    const first = touched[0];
    const last = touched[touched.length - 1];
    const regionStart = first ? Math.min(start, first.currentStart) : start;
    const regionEnd = last ? Math.max(end, last.currentEnd) : end;
    const originalStart = first && first.currentStart <= start ? first.change.start : toOriginal(start);
    const originalEnd = last && last.currentEnd >= end ? last.change.end : toOriginal(end);
    const merged: Change = {
      start: originalStart,
      end: originalEnd,
      text: this.current.slice(regionStart, start) + newText + this.current.slice(end, regionEnd),
    };
    this.current = this.current.slice(0, start) + newText + this.current.slice(end);
    this.changes = [...this.changes.filter((c) => !touched.some((t) => t.change === c)), merged].sort((a, b) => a.start - b.start || a.end - b.end);
  }

  /** Applies an LSP-style edit given in positions of the current text. */
  applyTextEdit(edit: TextEdit): void {
    const lines = new LineIndex(this.current);
    this.replace(lines.offsetAt(edit.range.start), lines.offsetAt(edit.range.end), edit.newText);
  }

  /** The changes as edits of the original text, in order. Unchanged stretches inside a merged change are dropped. */
  edits(): TextEdit[] {
    const lines = new LineIndex(this.original);
    const result: TextEdit[] = [];
    for (const change of this.changes) {
      const trimmed = trimUnchanged(this.original.slice(change.start, change.end), change.text);
      if (trimmed.oldText === '' && trimmed.newText === '') continue;
      const start = change.start + trimmed.prefix;
      const range: Range = lines.rangeOf(start, start + trimmed.oldText.length);
      result.push({ range, newText: trimmed.newText });
    }
    return result;
  }
}

/** Drops the common prefix and suffix of a replaced stretch, so an edit covers only what differs. */
function trimUnchanged(oldText: string, newText: string): { prefix: number; oldText: string; newText: string } {
  let prefix = 0;
  while (prefix < oldText.length && prefix < newText.length && oldText[prefix] === newText[prefix]) prefix++;
  // Never split a CRLF pair: an LSP position between \r and \n is ambiguous to editors.
  if (prefix > 0 && oldText[prefix - 1] === '\r') prefix--;
  let suffix = 0;
  while (suffix < oldText.length - prefix && suffix < newText.length - prefix && oldText[oldText.length - 1 - suffix] === newText[newText.length - 1 - suffix]) suffix++;
  if (suffix > 0 && oldText[oldText.length - suffix] === '\n' && oldText[oldText.length - suffix - 1] === '\r') suffix--;
  return { prefix, oldText: oldText.slice(prefix, oldText.length - suffix), newText: newText.slice(prefix, newText.length - suffix) };
}
