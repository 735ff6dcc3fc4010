/**
 * Where new text goes and how it is laid out: after a binding (keeping a trailing comment on its line), into an
 * empty set, or onto the end of a list, with the indentation of the neighbours.
 */
import type { AttrScope, ScopeEntry } from './editScopes';
import type { NixListExpression } from './syntaxTree';

/** A replacement of `[start, end)` in the current text. */
export interface Splice {
  start: number;
  end: number;
  text: string;
}

/** The whitespace that starts the line holding `offset`. */
export function lineIndentAt(text: string, offset: number): string {
  let lineStart = offset;
  while (lineStart > 0 && text[lineStart - 1] !== '\n' && text[lineStart - 1] !== '\r') lineStart--;
  let end = lineStart;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  return text.slice(lineStart, end);
}

/** The whitespace before `offset` when only whitespace precedes it on its line, else undefined. */
function ownLineIndent(text: string, offset: number): string | undefined {
  let i = offset;
  while (i > 0 && (text[i - 1] === ' ' || text[i - 1] === '\t')) i--;
  return i === 0 || text[i - 1] === '\n' || text[i - 1] === '\r' ? text.slice(i, offset) : undefined;
}

/** The end of the line holding `offset` when the rest of it is blank or a `#` comment, else undefined. */
function endOfLineAfter(text: string, offset: number): number | undefined {
  let end = offset;
  while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
  return /^[ \t]*(#.*)?$/.test(text.slice(offset, end)) ? end : undefined;
}

/**
 * Inserts one binding (built by `render` for the indentation it will start at) into `scope`: after `after` when
 * given, else after the last entry, else into the empty set. A binding that shares its line with code after it
 * stays on that line; a trailing comment stays with the binding it belongs to.
 */
export function insertBinding(text: string, scope: AttrScope, after: ScopeEntry | undefined, fileUnit: string, eol: string, render: (indent: string, unit: string) => string): Splice {
  const anchor = after ?? defaultAnchor(scope);
  if (anchor) {
    const indent = ownLineIndent(text, anchor.entry.start) ?? scope.entries.map((e) => ownLineIndent(text, e.entry.start)).find((i) => i !== undefined);
    // The step this set's own bindings are indented by beats the file's general habit.
    const outer = lineIndentAt(text, scope.set.open.start);
    const unit = indent !== undefined && indent.length > outer.length && indent.startsWith(outer) ? indent.slice(outer.length) : fileUnit;
    if (indent !== undefined) {
      const lineEnd = endOfLineAfter(text, anchor.entry.end);
      if (lineEnd !== undefined) return { start: lineEnd, end: lineEnd, text: `${eol}${indent}${render(indent, unit)}` };
    }
    // Everything on one line (`{ a = 1; b = 2; }`): stay on it.
    const lineIndent = lineIndentAt(text, anchor.entry.start);
    return { start: anchor.entry.end, end: anchor.entry.end, text: ` ${render(lineIndent, unit)}` };
  }
  const unit = fileUnit;
  const set = scope.set;
  const outer = lineIndentAt(text, set.open.start);
  const inner = outer + unit;
  const close = set.close;
  const between = close ? text.slice(set.open.end, close.start) : '';
  if (close && /^\s*$/.test(between)) {
    return { start: set.open.end, end: close.start, text: `${eol}${inner}${render(inner, unit)}${eol}${outer}` };
  }
  const lineEnd = endOfLineAfter(text, set.open.end) ?? set.open.end;
  return { start: lineEnd, end: lineEnd, text: `${eol}${inner}${render(inner, unit)}` };
}

/**
 * Where a new binding goes when nothing related exists: after the last entry — but a module's own set traditionally
 * ends with `system.stateVersion` and its comment block, and new settings belong above that.
 */
export function defaultAnchor(scope: AttrScope): ScopeEntry | undefined {
  const { entries } = scope;
  const last = entries[entries.length - 1];
  const endsWithStateVersion = scope.prefix.length === 0 && last?.path[0] === 'system' && last.path[1] === 'stateVersion';
  return endsWithStateVersion && entries.length > 1 ? entries[entries.length - 2] : last;
}

/**
 * Appends already rendered items to a list literal: one per line when the list has one item per line,
 * else on the line of the last item (`[ "wheel" ]` → `[ "wheel" "render" ]`).
 */
export function appendToList(text: string, list: NixListExpression, items: string[], eol: string): Splice {
  const last = list.elements[list.elements.length - 1];
  if (!last) {
    const innerStart = list.start + 1;
    const innerEnd = Math.max(innerStart, list.end - 1);
    if (/^\s*$/.test(text.slice(innerStart, innerEnd))) return { start: innerStart, end: innerEnd, text: ` ${items.join(' ')} ` };
    return { start: innerStart, end: innerStart, text: ` ${items.join(' ')}` };
  }
  const indent = ownLineIndent(text, last.start);
  const multiLine = /[\r\n]/.test(text.slice(list.start, list.end));
  if (indent !== undefined && multiLine) {
    const lineEnd = endOfLineAfter(text, last.end);
    if (lineEnd !== undefined) return { start: lineEnd, end: lineEnd, text: items.map((item) => `${eol}${indent}${item}`).join('') };
  }
  return { start: last.end, end: last.end, text: ` ${items.join(' ')}` };
}
