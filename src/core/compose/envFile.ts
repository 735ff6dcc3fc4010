import { LineIndex, type Range } from '../text';
import { interpolate, toLookup, type EnvVariable, type InterpolationEnv } from './interpolate';

/** One `KEY=VALUE` line of a .env file. */
export interface EnvFileEntry {
  name: string;
  /** The value after unquoting, escapes and interpolation. */
  value: string;
  /** The value before interpolation (inside the quotes, escapes applied). */
  raw: string;
  /** 0-based line of the key. */
  line: number;
  nameRange: Range;
  /** The value as written, quotes included. */
  valueRange: Range;
}

export interface EnvFileProblem {
  line: number;
  range: Range;
  message: string;
}

export interface ParsedEnvFile {
  entries: EnvFileEntry[];
  problems: EnvFileProblem[];
}

const KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * Parses .env syntax as Compose reads it: `KEY=VALUE`, `export KEY=VALUE`, `#` comments and blank lines,
 * single quotes (literal), double quotes (escapes and interpolation, may span lines), unquoted values (trimmed,
 * ` #` starts a comment, interpolated). Values may contain `=`. Later entries can refer to earlier ones; `outerEnv`
 * is consulted after them (for an env_file: the project's .env). Never throws.
 */
export function parseEnvFile(text: string, outerEnv?: InterpolationEnv, file?: string): ParsedEnvFile {
  const index = new LineIndex(text);
  const result: ParsedEnvFile = { entries: [], problems: [] };
  const defined = new Map<string, EnvVariable>();
  const outer = outerEnv === undefined ? undefined : toLookup(outerEnv);
  const env = (name: string): EnvVariable | undefined => defined.get(name) ?? outer?.(name);

  let offset = 0;
  while (offset < text.length) {
    const lineEnd = endOfLine(text, offset);
    const line = text.slice(offset, lineEnd);
    const trimmed = line.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) {
      offset = nextLine(text, lineEnd);
      continue;
    }
    let keyStart = offset + (line.length - trimmed.length);
    if (/^export\s/.test(trimmed)) {
      keyStart += 'export'.length;
      while (/[ \t]/.test(text[keyStart] ?? '')) keyStart++;
    }
    const equals = text.indexOf('=', keyStart);
    if (equals < 0 || equals > lineEnd) {
      result.problems.push(problem(index, keyStart, lineEnd, `expected KEY=VALUE, found \`${line.trim()}\``));
      offset = nextLine(text, lineEnd);
      continue;
    }
    const name = text.slice(keyStart, equals).trim();
    if (!KEY_PATTERN.test(name)) {
      result.problems.push(problem(index, keyStart, equals, `\`${name}\` is not a valid variable name`));
      offset = nextLine(text, lineEnd);
      continue;
    }
    const parsed = readValue(text, equals + 1, lineEnd);
    if (parsed.unterminated) {
      result.problems.push(problem(index, parsed.start, parsed.end, `unterminated quoted value for ${name}`));
    }
    const value = parsed.literal ? parsed.raw : interpolate(parsed.raw, env).value;
    defined.set(name, file === undefined ? { value } : { value, file });
    result.entries.push({
      name,
      value,
      raw: parsed.raw,
      line: index.positionAt(keyStart).line,
      nameRange: index.rangeOf(keyStart, keyStart + name.length),
      valueRange: index.rangeOf(parsed.start, parsed.end),
    });
    // A quoted value may span lines: resume after the line where it ended.
    offset = nextLine(text, parsed.end > lineEnd ? endOfLine(text, parsed.end) : lineEnd);
  }
  return result;
}

/** Turns parsed entries into an interpolation environment (later entries win, as Compose does). */
export function envFileVariables(entries: readonly EnvFileEntry[], file?: string): Map<string, EnvVariable> {
  const variables = new Map<string, EnvVariable>();
  for (const entry of entries) variables.set(entry.name, file === undefined ? { value: entry.value } : { value: entry.value, file });
  return variables;
}

interface RawValue {
  raw: string;
  /** Single-quoted values are taken literally (no escapes, no interpolation). */
  literal: boolean;
  start: number;
  end: number;
  unterminated: boolean;
}

function readValue(text: string, from: number, lineEnd: number): RawValue {
  let start = from;
  while (start < lineEnd && (text[start] === ' ' || text[start] === '\t')) start++;
  const quote = text[start];
  if (quote === "'" || quote === '"') {
    let raw = '';
    let i = start + 1;
    while (i < text.length && text[i] !== quote) {
      const ch = text[i] ?? '';
      if (quote === '"' && ch === '\\' && i + 1 < text.length) {
        raw += unescape(text[i + 1] ?? '');
        i += 2;
        continue;
      }
      raw += ch;
      i++;
    }
    const unterminated = i >= text.length;
    return { raw: unterminated ? text.slice(start + 1, lineEnd) : raw, literal: quote === "'", start, end: unterminated ? lineEnd : i + 1, unterminated };
  }
  let end = lineEnd;
  const comment = /[ \t]#/.exec(text.slice(start, lineEnd));
  if (comment) end = start + comment.index;
  while (end > start && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  return { raw: text.slice(start, end), literal: false, start, end, unterminated: false };
}

function unescape(ch: string): string {
  switch (ch) {
    case 'n':
      return '\n';
    case 't':
      return '\t';
    case 'r':
      return '\r';
    case '$':
      // Keep `\$` literal through interpolation.
      return '$$';
    default:
      return ch;
  }
}


function endOfLine(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n' || ch === '\r') return i;
  }
  return text.length;
}

function nextLine(text: string, lineEnd: number): number {
  if (text[lineEnd] === '\r' && text[lineEnd + 1] === '\n') return lineEnd + 2;
  return lineEnd + 1;
}

function problem(index: LineIndex, start: number, end: number, message: string): EnvFileProblem {
  return { line: index.positionAt(start).line, range: index.rangeOf(start, end), message };
}
