import { location } from '../text';
import { MAX_YAML_DEPTH } from './limits';
import type { ComposeNode, FileContext, MapEntry, MapNode, ScalarNode, SeqNode } from './nodes';
import type { TextBlock } from './yamlBlocks';
import { mapNode, noConversionFindings, scalarNode, type ConversionFindings, type ScalarReading, type ScalarState } from './yamlToNodes';

/**
 * A direct reader of the plain block YAML compose files are written in: it gives the very tree (and findings) the
 * `yaml` library's parse and the conversion (yamlToNodes.ts) give, or `undefined` for anything it does not take,
 * which then goes to the library. The library's parser runs cold in a CLI process (its generators are slow until
 * the JIT warms up); this reads a typical file several times faster.
 *
 * It takes: a block map at the root (column 0); block maps and block sequences (`- value`, `- key: value`, a
 * sequence at its key's column); one-line plain scalars typed as YAML 1.2's core schema types them; one-line single-
 * and double-quoted scalars (double-quoted with `\\ \" \/ \n \t` only); one-line flow sequences of such scalars;
 * empty values (`key:`); comments; blank lines. It declines everything else, and everything the library would
 * report an error for: tabs, CR, a byte order mark or other control characters anywhere; anchors, aliases, tags,
 * merge keys, flow maps, `?` keys, block scalars, directives, document markers, multi-line scalars, duplicate keys,
 * keys that are not strings, odd indentation, values nested near MAX_YAML_DEPTH.
 *
 * Where a collection ends (the library's `range[1]`) depends on the blank and comment lines after its last value,
 * and follows the library's parser: a comment indented deeper than the collection holding a one-line scalar right
 * above it belongs to that scalar; the comments after an empty value belong to it; other trailing comments stay
 * with the innermost collection they are not less indented than (the root gives them to the document).
 * test/unit/core/compose/yamlDirect.test.ts holds the reader to the library, text by text.
 */
export function readComposeYamlDirect(text: string, ctx: FileContext): { root: MapNode; findings: ConversionFindings } | undefined {
  if (UNTAKEN_CHARACTER.test(text)) return undefined;
  return withDeclines(() => {
    const reader = new DirectReader(text, ctx, 0, text.length);
    const root = reader.read(0);
    return root && { root, findings: reader.state.findings };
  });
}

/**
 * Reads one block of the file (yamlBlocks.ts: a top-level key, or one service, `depth` deep in the file) as the
 * `yaml` library reads the block's text alone and the conversion converts it (blockToNodes): its top map, with file
 * offsets, and what its conversion found. Undefined when the block is not the file's text at its offset, or the
 * reader declines it.
 */
export function readComposeBlockDirect(
  block: TextBlock,
  ctx: FileContext,
  depth: number,
): { map: MapNode; findings: ConversionFindings; expandedChars: number } | undefined {
  const text = ctx.index.text;
  const end = block.start + block.text.length;
  if (UNTAKEN_CHARACTER.test(block.text) || end > text.length || !text.startsWith(block.text, block.start)) return undefined;
  return withDeclines(() => {
    const reader = new DirectReader(text, ctx, block.start, end);
    const map = reader.read(undefined, depth);
    return map && { map, findings: reader.state.findings, expandedChars: reader.state.expandedChars };
  });
}

/** Characters the reader leaves to the library: tabs, CR, the byte order mark, other controls and odd breaks. */
// eslint-disable-next-line no-control-regex
const UNTAKEN_CHARACTER = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/;

function withDeclines<T>(read: () => T | undefined): T | undefined {
  try {
    return read();
  } catch (error) {
    if (error === DECLINE) return undefined;
    throw error;
  }
}

/** Thrown inside the reader for a text it does not take. */
const DECLINE = Symbol('decline');

function decline(): never {
  throw DECLINE;
}

const BLANK = 0;
const COMMENT = 1;
const CONTENT = 2;

interface Line {
  start: number;
  /** Offset of the first character after the indentation. */
  content: number;
  /** Offset of the line's end (its `\n`, or the end of the text). */
  end: number;
  /** Offset of the next line (past the `\n`). */
  next: number;
  indent: number;
  kind: typeof BLANK | typeof COMMENT | typeof CONTENT;
}

/**
 * A collection read: its node, where the library ends its trailing part (`range[2]`, which ends the collection
 * holding it when it is the last value there), and the deepest comment of the trailing lines it hands on to the
 * collection around it (-1 for none).
 */
interface Read<N extends MapNode | SeqNode> {
  node: N;
  tailEnd: number;
  handedComment: number;
  /** The index of the line after it. */
  next: number;
}

/** A value written on the line of its key or `- `. */
type InlineValue = { kind: 'empty'; pos: number; comment: boolean } | { kind: 'node'; node: ComposeNode };

const NULL_PLAIN = /^(?:~|[Nn]ull|NULL)$/;
/** The core schema's other tags (bool, int, float): a plain scalar matching one is not a string. */
const NOT_STRING_PLAIN = [
  /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
  /^0o[0-7]+$/,
  /^[-+]?[0-9]+$/,
  /^0x[0-9a-fA-F]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
];
/** Characters that cannot start a plain scalar this reader takes (YAML's indicators). */
const INDICATOR = /^[-?:,[\]{}#&*!|>'"%@`]/;
const PLAIN_KEY = /^[A-Za-z0-9_][A-Za-z0-9_./-]*$/;
const MAX_KEY_CHARS = 1000;

class DirectReader {
  private readonly lines: Line[] = [];
  readonly state: ScalarState = { findings: noConversionFindings(), expandedChars: 0, reported: new Set() };

  /** Reads text[from, to) as a document of its own (the offsets of its nodes are those in `text`). */
  constructor(
    private readonly text: string,
    private readonly ctx: FileContext,
    from: number,
    private readonly to: number,
  ) {
    let start = from;
    while (start < to) {
      const newline = text.indexOf('\n', start);
      const end = newline === -1 || newline >= to ? to : newline;
      let content = start;
      while (content < end && text.charCodeAt(content) === 32) content++;
      const kind = content === end ? BLANK : text.charCodeAt(content) === 35 /* # */ ? COMMENT : CONTENT;
      this.lines.push({ start, content, end, next: end === to ? end : end + 1, indent: content - start, kind });
      start = end + 1;
    }
  }

  /** The top map (at column `indent` when given), `depth` deep in the file; undefined when there is none. */
  read(indent: number | undefined, depth = 0): MapNode | undefined {
    const first = this.nextContent(0);
    const line = this.lines[first];
    if (!line || (indent !== undefined && line.indent !== indent)) return undefined;
    const read = this.readMap(first, line.content, depth);
    return read.next < this.lines.length ? undefined : read.node;
  }

  /** The index of the first content line from `from` on (the number of lines when there is none). */
  private nextContent(from: number): number {
    let i = from;
    while (i < this.lines.length && this.lines[i]?.kind !== CONTENT) i++;
    return i;
  }

  private line(index: number): Line {
    return this.lines[index] ?? decline();
  }

  /** Whether the content line is a `- ` item. */
  private isItemLine(line: Line): boolean {
    if (this.text.charCodeAt(line.content) !== 45 /* - */) return false;
    const after = line.content + 1;
    return after === line.end || this.text.charCodeAt(after) === 32;
  }

  /** The offset where the next content line starts (its first character), or the end of the text. */
  private contentStartOf(index: number): number {
    return this.lines[index]?.content ?? this.to;
  }

  /**
   * The end of the trailing part of a collection whose last value ends at `valueEnd`, given the deepest comment
   * left after it (-1 for none), and what it hands on: the comments stay with it (and stretch it to the next
   * content) unless they are less indented than it, or it is at column 0.
   */
  private pop(indent: number, valueEnd: number, comment: number, nextIndex: number): { tailEnd: number; handedComment: number } {
    if (comment >= 0 && indent !== 0 && comment >= indent) return { tailEnd: this.contentStartOf(nextIndex), handedComment: -1 };
    return { tailEnd: valueEnd, handedComment: comment };
  }

  /**
   * Where a one-line value on line `valueLine` of a collection at `indent` ends with the comment lines after it
   * that the library gives it, and the deepest comment left over (-1 for none).
   */
  private scalarTail(valueLine: number, nextIndex: number, indent: number): { end: number; comment: number } {
    let end = this.line(valueLine).next;
    let comment = -1;
    for (let i = valueLine + 1; i < nextIndex; i++) {
      const line = this.line(i);
      if (line.kind !== COMMENT) continue;
      if (comment < 0 && line.indent > indent) end = line.next;
      else comment = Math.max(comment, line.indent);
    }
    return { end, comment };
  }

  /** Whether a comment line lies between two lines. */
  private commentBetween(from: number, to: number): boolean {
    for (let i = from; i < to; i++) if (this.lines[i]?.kind === COMMENT) return true;
    return false;
  }

  /** Reads a block map whose first key is at offset `keyStart` of line `index`; `next` is the line after it. */
  private readMap(index: number, keyStart: number, depth: number): Read<MapNode> {
    if (depth >= MAX_YAML_DEPTH - 1) decline();
    const firstLine = this.line(index);
    const indent = keyStart - firstLine.start;
    const entries = new Map<string, MapEntry>();
    let lineIndex = index;
    let at = keyStart;
    for (;;) {
      const line = this.line(lineIndex);
      const key = this.readKey(at, line.end) ?? decline();
      if (entries.has(key.value)) decline();
      const inline = this.readInline(key.after, line.end, depth + 1);
      let value: ComposeNode;
      let valueEnd: number;
      let comment: number;
      let nextIndex: number;
      if (inline.kind === 'node') {
        value = inline.node;
        nextIndex = this.nextContent(lineIndex + 1);
        ({ end: valueEnd, comment } = this.scalarTail(lineIndex, nextIndex, indent));
      } else {
        const below = this.nextContent(lineIndex + 1);
        const belowLine = this.lines[below];
        if (belowLine && (belowLine.indent > indent || (belowLine.indent === indent && this.isItemLine(belowLine)))) {
          const nested = this.isItemLine(belowLine) ? this.readSeq(below, depth + 1) : this.readMap(below, belowLine.content, depth + 1);
          value = nested.node;
          valueEnd = nested.tailEnd;
          comment = nested.handedComment;
          nextIndex = nested.next;
        } else {
          value = scalarNode(this.ctx, inline.pos, inline.pos, { raw: '', isNull: true, isString: false, quoted: false }, this.state);
          nextIndex = below;
          valueEnd = inline.comment || this.commentBetween(lineIndex + 1, below) ? this.contentStartOf(below) : inline.pos;
          comment = -1;
        }
      }
      entries.set(key.value, { key: key.value, keyLoc: location(this.ctx.file, this.ctx.index, key.start, key.end), value });
      const nextLine = this.lines[nextIndex];
      if (nextLine && nextLine.indent === indent && !this.isItemLine(nextLine)) {
        lineIndex = nextIndex;
        at = nextLine.content;
        continue;
      }
      if (nextLine && nextLine.indent >= indent) decline();
      const { tailEnd, handedComment } = this.pop(indent, valueEnd, comment, nextIndex);
      return { node: mapNode(this.ctx, keyStart, valueEnd, entries), tailEnd, handedComment, next: nextIndex };
    }
  }

  /** Reads a block sequence whose first `- ` starts line `index`. */
  private readSeq(index: number, depth: number): Read<SeqNode> {
    if (depth >= MAX_YAML_DEPTH - 1) decline();
    const first = this.line(index);
    const indent = first.indent;
    const items: ComposeNode[] = [];
    let lineIndex = index;
    for (;;) {
      const line = this.line(lineIndex);
      let at = line.content + 1;
      while (at < line.end && this.text.charCodeAt(at) === 32) at++;
      if (at === line.end) decline();
      const ch = this.text[at];
      if (ch === '#' || (ch === '-' && (at + 1 === line.end || this.text.charCodeAt(at + 1) === 32))) decline();
      let valueEnd: number;
      let comment: number;
      let nextIndex: number;
      if (this.readKey(at, line.end)) {
        const nested = this.readMap(lineIndex, at, depth + 1);
        items.push(nested.node);
        valueEnd = nested.tailEnd;
        comment = nested.handedComment;
        nextIndex = nested.next;
      } else {
        const inline = this.readInline(at, line.end, depth + 1);
        if (inline.kind !== 'node') decline();
        items.push(inline.node);
        nextIndex = this.nextContent(lineIndex + 1);
        ({ end: valueEnd, comment } = this.scalarTail(lineIndex, nextIndex, indent));
      }
      const nextLine = this.lines[nextIndex];
      if (nextLine && nextLine.indent === indent && this.isItemLine(nextLine)) {
        lineIndex = nextIndex;
        continue;
      }
      if (nextLine && nextLine.indent > indent) decline();
      const { tailEnd, handedComment } = this.pop(indent, valueEnd, comment, nextIndex);
      const start = first.content;
      const node: SeqNode = { kind: 'seq', ctx: this.ctx, loc: location(this.ctx.file, this.ctx.index, start, valueEnd), start, end: valueEnd, items };
      return { node, tailEnd, handedComment, next: nextIndex };
    }
  }

  /**
   * The key at `at` when the line holds `key:` there (followed by a space or the end of the line); undefined when
   * it holds no key. Declines keys it does not take.
   */
  private readKey(at: number, lineEnd: number): { value: string; start: number; end: number; after: number } | undefined {
    const text = this.text;
    const ch = text[at];
    if (ch === '"' || ch === "'") {
      const quoted = this.readQuoted(at, lineEnd);
      if (text[quoted.end] !== ':' || (quoted.end + 1 < lineEnd && text.charCodeAt(quoted.end + 1) !== 32)) return undefined;
      return { value: quoted.value, start: at, end: quoted.end, after: quoted.end + 1 };
    }
    let colon = -1;
    for (let i = at; i < lineEnd; i++) {
      const c = text.charCodeAt(i);
      if (c === 35 /* # */ && i > at && text.charCodeAt(i - 1) === 32) break;
      if (c === 58 /* : */ && (i + 1 === lineEnd || text.charCodeAt(i + 1) === 32)) {
        colon = i;
        break;
      }
    }
    if (colon === -1) return undefined;
    const value = text.slice(at, colon);
    if (value.length > MAX_KEY_CHARS || !PLAIN_KEY.test(value) || !plainReading(value).isString) decline();
    return { value, start: at, end: colon, after: colon + 1 };
  }

  /** The value written from `from` (after `key:` or `- `) to the end of the line. */
  private readInline(from: number, lineEnd: number, depth: number): InlineValue {
    const text = this.text;
    let at = from;
    while (at < lineEnd && text.charCodeAt(at) === 32) at++;
    if (at === lineEnd) return { kind: 'empty', pos: at, comment: false };
    const ch = text[at];
    if (ch === '#') {
      if (at === from) decline();
      return { kind: 'empty', pos: at, comment: true };
    }
    if (ch === '[') {
      const seq = this.readFlowSeq(at, lineEnd, depth);
      this.expectLineEnd(seq.end, lineEnd);
      return { kind: 'node', node: seq };
    }
    if (ch === '"' || ch === "'") {
      const quoted = this.readQuoted(at, lineEnd);
      this.expectLineEnd(quoted.end, lineEnd);
      return { kind: 'node', node: this.scalar(at, quoted.end, { raw: quoted.value, isNull: false, isString: true, quoted: true }) };
    }
    if (INDICATOR.test(ch ?? '') && !(ch === '-' && at + 1 < lineEnd && text.charCodeAt(at + 1) !== 32)) decline();
    let end = lineEnd;
    for (let i = at + 1; i < lineEnd; i++) {
      if (text.charCodeAt(i) === 35 /* # */ && text.charCodeAt(i - 1) === 32) {
        end = i;
        break;
      }
    }
    while (text.charCodeAt(end - 1) === 32) end--;
    const source = text.slice(at, end);
    if (source.includes(': ') || source.endsWith(':') || source === '<<') decline();
    return { kind: 'node', node: this.scalar(at, end, plainReading(source)) };
  }

  /** After a value: only spaces, then the end of the line or a comment. */
  private expectLineEnd(from: number, lineEnd: number): void {
    let at = from;
    while (at < lineEnd && this.text.charCodeAt(at) === 32) at++;
    if (at === lineEnd) return;
    if (this.text[at] !== '#' || at === from) decline();
  }

  /** A one-line flow sequence of scalars, `[` at `open`. */
  private readFlowSeq(open: number, lineEnd: number, depth: number): SeqNode {
    if (depth >= MAX_YAML_DEPTH - 1) decline();
    const text = this.text;
    const items: ComposeNode[] = [];
    let at = open + 1;
    const skipSpaces = (): void => {
      while (at < lineEnd && text.charCodeAt(at) === 32) at++;
    };
    skipSpaces();
    if (text[at] !== ']') {
      for (;;) {
        skipSpaces();
        const ch = text[at];
        if (ch === '"' || ch === "'") {
          const quoted = this.readQuoted(at, lineEnd);
          items.push(this.scalar(at, quoted.end, { raw: quoted.value, isNull: false, isString: true, quoted: true }));
          at = quoted.end;
        } else {
          const start = at;
          while (at < lineEnd && text[at] !== ',' && text[at] !== ']') at++;
          let end = at;
          while (end > start && text.charCodeAt(end - 1) === 32) end--;
          const source = text.slice(start, end);
          if (source === '' || INDICATOR.test(source) || /[:#[\]{}"']/.test(source) || source === '<<') decline();
          items.push(this.scalar(start, end, plainReading(source)));
        }
        skipSpaces();
        if (text[at] === ',') {
          at++;
          skipSpaces();
          if (text[at] === ']') decline();
          continue;
        }
        if (text[at] === ']') break;
        decline();
      }
    }
    const end = at + 1;
    return { kind: 'seq', ctx: this.ctx, loc: location(this.ctx.file, this.ctx.index, open, end), start: open, end, items };
  }

  /** A one-line quoted scalar opening at `open`: its string and the offset after its closing quote. */
  private readQuoted(open: number, lineEnd: number): { value: string; end: number } {
    const text = this.text;
    const quote = text[open];
    let value = '';
    let from = open + 1;
    for (let i = open + 1; i < lineEnd; i++) {
      const ch = text[i];
      if (quote === "'") {
        if (ch !== "'") continue;
        if (text[i + 1] === "'") {
          value += text.slice(from, i + 1);
          i++;
          from = i + 1;
          continue;
        }
        return { value: value + text.slice(from, i), end: i + 1 };
      }
      if (ch === '"') return { value: value + text.slice(from, i), end: i + 1 };
      if (ch === '\\') {
        const escaped = ESCAPES[text[i + 1] ?? ''] ?? decline();
        value += text.slice(from, i) + escaped;
        i++;
        from = i + 1;
      }
    }
    return decline();
  }

  private scalar(start: number, end: number, reading: ScalarReading): ScalarNode {
    return scalarNode(this.ctx, start, end, reading, this.state);
  }
}

const ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', '/': '/', n: '\n', t: '\t' };

/** How the core schema reads a one-line plain scalar. */
function plainReading(source: string): ScalarReading {
  if (NULL_PLAIN.test(source)) return { raw: '', isNull: true, isString: false, quoted: false };
  const isString = !NOT_STRING_PLAIN.some((pattern) => pattern.test(source));
  return { raw: source, isNull: false, isString, quoted: false };
}
