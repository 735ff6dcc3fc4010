import type { NixConfiguration, NixDefinition } from '../../nix/model';
import { LineIndex, sameRange, type Position, type Range } from '../../text';
import type { FindingData } from '../../types';

/**
 * Helpers shared by the Nix-side rules: exact ranges inside the files the model was read from, and the data a
 * fix needs to find the definition a finding is about again.
 */

const lineIndexes = new WeakMap<NixConfiguration, Map<string, LineIndex>>();

/** The file's text as the model read it, with a line index (cached per configuration). */
export function sourceOf(nix: NixConfiguration, file: string): { text: string; lines: LineIndex } | undefined {
  const text = nix.sourceText?.(file);
  if (text === undefined) return undefined;
  let perFile = lineIndexes.get(nix);
  if (!perFile) lineIndexes.set(nix, (perFile = new Map()));
  let lines = perFile.get(file);
  if (!lines || lines.text !== text) perFile.set(file, (lines = new LineIndex(text)));
  return { text, lines };
}

/** The range of file offsets [start, end), or undefined when the file's text is not available. */
export function offsetRange(nix: NixConfiguration, file: string, start: number, end: number): Range | undefined {
  return sourceOf(nix, file)?.lines.rangeOf(start, end);
}

/** The file offset of a position, when the text is available. */
export function offsetOf(nix: NixConfiguration, file: string, position: Position): number | undefined {
  return sourceOf(nix, file)?.lines.offsetAt(position);
}

/**
 * Where a binding's attribute path ends (`hardware.opengl` in `hardware.opengl = { … };`): scans identifiers, dots,
 * quoted names and `${…}` from `start` up to the `=`. Returns the end offset, trailing whitespace excluded.
 */
export function attrpathEnd(text: string, start: number): number {
  let i = start;
  let end = start;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '=') break;
    if (ch === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
      end = i;
      continue;
    }
    if (ch === '$' && text[i + 1] === '{') {
      let depth = 0;
      for (; i < text.length; i++) {
        if (text[i] === '{') depth++;
        else if (text[i] === '}' && --depth === 0) break;
      }
      i++;
      end = i;
      continue;
    }
    if (ch === '#' || ch === ';' || ch === '{' || ch === '}') break;
    i++;
    if (!/\s/.test(ch)) end = i;
  }
  return end;
}

/** The range of a definition's attribute path as written (falls back to the whole binding). */
export function attrpathRange(nix: NixConfiguration, def: NixDefinition): Range {
  const source = sourceOf(nix, def.file);
  if (!source) return def.loc.range;
  const start = source.lines.offsetAt(def.loc.range.start);
  return source.lines.rangeOf(start, attrpathEnd(source.text, start));
}

/** What a fix needs to find a definition again: its path and where its binding starts. */
export function definitionData(def: NixDefinition): FindingData {
  return { path: def.path, line: def.loc.range.start.line, character: def.loc.range.start.character };
}

export function positionBefore(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/** True when range `inner` lies within `outer`. */
export function rangeWithin(inner: Range, outer: Range): boolean {
  return !positionBefore(inner.start, outer.start) && !positionBefore(outer.end, inner.end);
}

/** The definitions among `defs` whose binding is not inside another one of them (the bindings as the user wrote them). */
export function outermostDefinitions(defs: readonly NixDefinition[]): NixDefinition[] {
  return defs.filter((def) => !defs.some((other) => other !== def && other.file === def.file && rangeWithin(def.loc.range, other.loc.range) && !sameRange(def.loc.range, other.loc.range)));
}

/** `a.b.c` for messages. */
export function dotted(path: string[]): string {
  return path.map((segment) => (/^[A-Za-z_][\w'-]*$/.test(segment) ? segment : `"${segment}"`)).join('.');
}
