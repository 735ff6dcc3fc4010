/**
 * Positions in the LSP sense: 0-based line and UTF-16 character (a JS string index is a UTF-16 offset,
 * so offsets into the file's text convert directly).
 */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A place in a file: absolute path plus range. */
export interface SourceLocation {
  file: string;
  range: Range;
}

/**
 * Maps string offsets to line/character positions and back. Line breaks are \n, \r\n and a lone \r, as LSP and
 * VS Code count them, and a position never points into or past a line break: an offset inside one (between \r
 * and \n) is the end of its line, and a character beyond the end of a line is clamped to it (as
 * vscode-languageserver-textdocument does), so no range runs past the end of its line.
 */
export class LineIndex {
  private readonly lineStarts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      } else if (ch === 10 /* \n */) {
        starts.push(i + 1);
      }
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= clamped) low = mid;
      else high = mid - 1;
    }
    const start = this.lineStarts[low] ?? 0;
    return { line: low, character: Math.min(clamped, this.contentEnd(low)) - start };
  }

  offsetAt(position: Position): number {
    if (position.line >= this.lineStarts.length) return this.text.length;
    const line = Math.max(0, position.line);
    const start = this.lineStarts[line] ?? 0;
    return Math.min(start + Math.max(0, position.character), this.contentEnd(line));
  }

  /** The offset where a line's text ends: before its line break (or at the end of the file). */
  contentEnd(line: number): number {
    const next = this.lineStarts[line + 1];
    if (next === undefined) return this.text.length;
    return this.text.charCodeAt(next - 1) === 10 && this.text.charCodeAt(next - 2) === 13 ? next - 2 : next - 1;
  }

  rangeOf(startOffset: number, endOffset: number): Range {
    return { start: this.positionAt(startOffset), end: this.positionAt(endOffset) };
  }

  /** Offset of the first character of a line. */
  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length - 1))] ?? 0;
  }
}

/** Whether two ranges cover the same text. */
export function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

export function location(file: string, index: LineIndex, startOffset: number, endOffset: number): SourceLocation {
  return { file, range: index.rangeOf(startOffset, endOffset) };
}

/** A zero-width range at the start of a file, for findings about a whole file. */
export const FILE_START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
