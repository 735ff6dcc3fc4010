/**
 * Decodes Nix string literals the way Nix's lexer and parser do, keeping for every character of the result the
 * file offset it came from, so a finding about a character inside a string (e.g. a unit script) can point at it.
 *
 * `"…"`: escapes `\n \r \t \X`, CR and CRLF normalised to LF (Nix's unescapeStr).
 * `''…''`: escapes `'''` → `''`, `''$` → `$`, `''\X` → unescaped X; the common indentation of the lines is removed,
 * a first line holding only spaces is dropped, and so is a final line holding only spaces (Nix's stripIndentation).
 * Deliberate divergence: CRLF inside `''…''` counts as one line break (Nix would keep the CR and then stop stripping
 * indentation), because a file edited on Windows should read like the same file with LF.
 */
import type { NixStringExpression } from './syntaxTree';

export interface DecodedString {
  /** The string's text; interpolations either kept as written (`${…}`) or left out. */
  text: string;
  interpolated: boolean;
  /** `offsets[i]` is the file offset of `text[i]`; `offsets[text.length]` is the end of the literal's content. */
  offsets: number[];
}

type InterpolationMode = 'keep' | 'drop';

interface Token {
  kind: 'literal' | 'escape' | 'interpolation';
  chars: string;
  offsets: number[];
}

/** Decodes a string expression of `source`. `keep` writes interpolations as written, `drop` leaves them out. */
export function decodeString(source: string, string: NixStringExpression, mode: InterpolationMode): DecodedString {
  const tokens = string.indented ? stripIndentation(indentedTokens(source, string)) : plainTokens(source, string);
  let text = '';
  const offsets: number[] = [];
  for (const token of tokens) {
    if (token.kind === 'interpolation' && mode === 'drop') continue;
    text += token.chars;
    for (const offset of token.offsets) offsets.push(offset);
  }
  offsets.push(string.content.end);
  return { text, interpolated: string.interpolations.length > 0, offsets };
}

/** The name a quoted attribute (`"a/b"`) stands for, or undefined when it is computed (`"${x}"`). */
export function decodeAttrName(source: string, string: NixStringExpression): string | undefined {
  if (string.interpolations.length > 0) return undefined;
  // Most quoted names (`"svc/conf"`, `"/mnt/x"`) hold nothing to decode: they are their text.
  const raw = source.slice(string.content.start, string.content.end);
  if (!string.indented && !raw.includes('\\') && !raw.includes('\r')) return raw;
  return decodeString(source, string, 'drop').text;
}

class TokenWriter {
  readonly tokens: Token[] = [];
  private literal: Token | undefined;

  char(ch: string, offset: number): void {
    if (!this.literal) {
      this.literal = { kind: 'literal', chars: '', offsets: [] };
      this.tokens.push(this.literal);
    }
    this.literal.chars += ch;
    this.literal.offsets.push(offset);
  }

  token(kind: 'escape' | 'interpolation', chars: string, offsets: number[]): void {
    this.literal = undefined;
    this.tokens.push({ kind, chars, offsets });
  }
}

function unescapeChar(ch: string): string {
  if (ch === 'n') return '\n';
  if (ch === 'r') return '\r';
  if (ch === 't') return '\t';
  return ch;
}

function interpolationToken(writer: TokenWriter, source: string, start: number, end: number): void {
  const offsets: number[] = [];
  for (let k = start; k < end; k++) offsets.push(k);
  writer.token('interpolation', source.slice(start, end), offsets);
}

function plainTokens(source: string, string: NixStringExpression): Token[] {
  const writer = new TokenWriter();
  const { start, end } = string.content;
  let next = 0;
  for (let i = start; i < end;) {
    const interpolation = string.interpolations[next];
    if (interpolation && interpolation.start === i) {
      interpolationToken(writer, source, interpolation.start, interpolation.end);
      i = interpolation.end;
      next++;
      continue;
    }
    const ch = source[i] as string;
    if (ch === '\\' && i + 1 < end) {
      writer.char(unescapeChar(source[i + 1] as string), i);
      i += 2;
    } else if (ch === '\r') {
      writer.char('\n', i);
      i += source[i + 1] === '\n' ? 2 : 1;
    } else {
      writer.char(ch, i);
      i++;
    }
  }
  return writer.tokens;
}

function indentedTokens(source: string, string: NixStringExpression): Token[] {
  const writer = new TokenWriter();
  let { start } = string.content;
  const { end } = string.content;
  // The lexer's `''( *\n)?`: a first line of only spaces belongs to the opening delimiter.
  const firstLine = /^ *\r?\n/.exec(source.slice(start, Math.min(end, start + 200)));
  if (firstLine) start += firstLine[0].length;
  let next = 0;
  while (next < string.interpolations.length && (string.interpolations[next]?.start ?? 0) < start) next++;
  for (let i = start; i < end;) {
    const interpolation = string.interpolations[next];
    if (interpolation && interpolation.start === i) {
      interpolationToken(writer, source, interpolation.start, interpolation.end);
      i = interpolation.end;
      next++;
      continue;
    }
    const ch = source[i] as string;
    if (ch === "'" && source[i + 1] === "'") {
      const after = source[i + 2];
      if (after === "'") { writer.token('escape', "''", [i, i + 1]); i += 3; continue; }
      if (after === '$') { writer.token('escape', '$', [i]); i += 3; continue; }
      if (after === '\\' && i + 3 < end) {
        const escaped = source[i + 3] as string;
        writer.token('escape', escaped === '\r' ? '\n' : unescapeChar(escaped), [i]);
        i += escaped === '\r' && source[i + 4] === '\n' ? 5 : 4;
        continue;
      }
    }
    if (ch === '\r' && source[i + 1] === '\n') {
      writer.char('\n', i);
      i += 2;
      continue;
    }
    writer.char(ch, i);
    i++;
  }
  return writer.tokens;
}

/** Nix's stripIndentation over the token list (escapes and interpolations end a line's leading whitespace). */
function stripIndentation(tokens: Token[]): Token[] {
  let minIndent = Number.MAX_SAFE_INTEGER;
  let atStartOfLine = true;
  let currentIndent = 0;
  for (const token of tokens) {
    if (token.kind !== 'literal') {
      if (atStartOfLine) {
        atStartOfLine = false;
        minIndent = Math.min(minIndent, currentIndent);
      }
      continue;
    }
    for (const ch of token.chars) {
      if (atStartOfLine) {
        if (ch === ' ') currentIndent++;
        else if (ch === '\n') currentIndent = 0;
        else {
          atStartOfLine = false;
          minIndent = Math.min(minIndent, currentIndent);
        }
      } else if (ch === '\n') {
        atStartOfLine = true;
        currentIndent = 0;
      }
    }
  }

  const result: Token[] = [];
  atStartOfLine = true;
  let dropped = 0;
  tokens.forEach((token, index) => {
    if (token.kind === 'interpolation') {
      atStartOfLine = false;
      dropped = 0;
      result.push(token);
      return;
    }
    let chars = '';
    const offsets: number[] = [];
    for (let j = 0; j < token.chars.length; j++) {
      const ch = token.chars[j] as string;
      const offset = token.offsets[j] ?? 0;
      if (atStartOfLine) {
        if (ch === ' ') {
          if (dropped++ >= minIndent) { chars += ch; offsets.push(offset); }
        } else if (ch === '\n') {
          dropped = 0;
          chars += ch; offsets.push(offset);
        } else {
          atStartOfLine = false;
          dropped = 0;
          chars += ch; offsets.push(offset);
        }
      } else {
        chars += ch; offsets.push(offset);
        if (ch === '\n') atStartOfLine = true;
      }
    }
    if (index === tokens.length - 1) {
      // The last line, when it holds only spaces, is the indentation of the closing `''`: not part of the string.
      const lastBreak = chars.lastIndexOf('\n');
      if (lastBreak >= 0 && /^ *$/.test(chars.slice(lastBreak + 1))) {
        chars = chars.slice(0, lastBreak + 1);
        offsets.length = lastBreak + 1;
      }
    }
    result.push({ kind: token.kind, chars, offsets });
  });
  return result;
}
