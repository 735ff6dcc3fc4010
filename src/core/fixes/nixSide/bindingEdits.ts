import type { NixAttrSetExpression, NixBindingEntry, NixListExpression } from '../../nix/syntaxTree';
import type { FixDraft, SourceFile } from './fixDraft';

/**
 * The text-level moves the Nix-side fixes are made of: put a binding into a set or after a sibling, remove a
 * binding, add items to a list — each keeping the file's indentation and leaving everything else untouched.
 */

/** The file's indentation step: a tab, or the smallest indentation of an indented line (2 when none). */
export function indentUnit(text: string): string {
  let smallest = Infinity;
  let tabs = 0;
  let spaces = 0;
  for (const match of text.matchAll(/^([ \t]+)\S/gm)) {
    const indent = match[1] as string;
    if (indent.startsWith('\t')) tabs++;
    else {
      spaces++;
      smallest = Math.min(smallest, indent.length);
    }
  }
  if (tabs > spaces) return '\t';
  return ' '.repeat(Number.isFinite(smallest) && smallest <= 8 ? smallest : 2);
}

/** The whitespace at the start of the line holding `offset`. */
export function lineIndentAt(text: string, offset: number): string {
  let start = offset;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  return /^[ \t]*/.exec(text.slice(start))?.[0] ?? '';
}

/**
 * Where a new line may go after `offset`: the end of its line when only blanks or a `#` comment follow; undefined
 * when more code follows on the line (then insert inline).
 */
export function lineEndAfter(text: string, offset: number): number | undefined {
  let i = offset;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  if (text[i] === '#') while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i >= text.length || text[i] === '\n' || text[i] === '\r' ? i : undefined;
}

/** Inserts `bindingText` (`a.b = v;`) after `entry`: on a new line with its indentation, or inline after it. */
export function insertAfterEntry(draft: FixDraft, source: SourceFile, entry: NixBindingEntry, bindingText: string): boolean {
  const lineEnd = lineEndAfter(source.text, entry.end);
  if (entry.indent !== undefined && lineEnd !== undefined) return draft.insert(source.file, lineEnd, `\n${entry.indent}${bindingText}`);
  return draft.insert(source.file, entry.end, ` ${bindingText}`);
}

/** Inserts `bindingText` as the last binding of `set`. */
export function insertIntoSet(draft: FixDraft, source: SourceFile, set: NixAttrSetExpression, bindingText: string): boolean {
  const last = set.bindings[set.bindings.length - 1];
  if (last) return insertAfterEntry(draft, source, last, bindingText);
  if (!set.close) return false;
  const { text } = source;
  const inside = text.slice(set.open.end, set.close.start);
  if (!/[\n\r]/.test(inside)) {
    // `{ }` or `{}`: stay on one line.
    return draft.replace(source.file, set.open.end, set.close.start, ` ${bindingText} `);
  }
  const indent = lineIndentAt(text, set.close.start) + indentUnit(text);
  const at = lineEndAfter(text, set.open.end) ?? set.open.end;
  return draft.insert(source.file, at, `\n${indent}${bindingText}`);
}

/** Removes a binding: its whole line when it stands alone on it, else just its text and the blanks after it. */
export function removeEntry(draft: FixDraft, source: SourceFile, entry: NixBindingEntry): boolean {
  const { text } = source;
  const lineEnd = lineEndAfter(text, entry.end);
  if (entry.indent !== undefined && lineEnd !== undefined) {
    const lineStart = entry.start - entry.indent.length;
    const breakLength = text.startsWith('\r\n', lineEnd) ? 2 : lineEnd < text.length ? 1 : 0;
    return draft.replace(source.file, lineStart, lineEnd + breakLength, '');
  }
  let end = entry.end;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  return draft.replace(source.file, entry.start, end, '');
}

/** Adds rendered items at the end of a list literal, in its style (one line, or one item per line). */
export function appendToList(draft: FixDraft, source: SourceFile, list: NixListExpression, items: string[]): boolean {
  if (items.length === 0) return true;
  const { text } = source;
  const last = list.elements[list.elements.length - 1];
  const closeStart = list.end - 1;
  if (!last) return draft.replace(source.file, list.start + 1, closeStart, ` ${items.join(' ')} `);
  const multiLine = /[\n\r]/.test(text.slice(last.end, closeStart)) || (list.elements.length > 1 && /[\n\r]/.test(text.slice(list.elements[0]?.end ?? last.end, last.start)));
  if (multiLine) {
    const indent = lineIndentAt(text, last.start);
    return draft.insert(source.file, lineEndAfter(text, last.end) ?? last.end, items.map((item) => `\n${indent}${item}`).join(''));
  }
  return draft.insert(source.file, last.end, items.map((item) => ` ${item}`).join(''));
}
