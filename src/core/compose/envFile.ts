import { LineIndex, type Range } from '../text';
import { interpolate, toLookup, type EnvVariable, type InterpolationEnv } from './interpolate';
import { describeSize, MAX_ENV_FILE_CHARS, MAX_EXPANDED_FILE_CHARS } from './limits';

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
  /** A limit of this reader (limits.ts), not a syntax error Compose would refuse the file for. */
  limit?: true;
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
 * is consulted after them (for an env_file: the project's .env). Never throws; linear in the text: a file over
 * MAX_ENV_FILE_CHARS is not read, and values stop being interpolated once they add up to MAX_EXPANDED_FILE_CHARS.
 */
export function parseEnvFile(text: string, outerEnv?: InterpolationEnv, file?: string): ParsedEnvFile {
  const result: ParsedEnvFile = { entries: [], problems: [] };
  if (text.length > MAX_ENV_FILE_CHARS) {
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const message = `the file is ${describeSize(text.length)}, too large to check (limit ${describeSize(MAX_ENV_FILE_CHARS)}); none of its variables were read. Check that it really is a .env file`;
    result.problems.push({ line: 0, range, message, limit: true });
    return result;
  }
  const index = new LineIndex(text);
  let expansionBudget = MAX_EXPANDED_FILE_CHARS;
  const unterminatedFrom: UnterminatedFrom = {};
  let valueCut = false;
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
    // Searched within the line: a search to the end of the text on every line would be quadratic.
    const inLine = line.indexOf('=', keyStart - offset);
    const equals = inLine < 0 ? -1 : offset + inLine;
    if (equals < 0) {
      result.problems.push(problem(index, keyStart, lineEnd, `expected KEY=VALUE, found \`${shorten(line.trim())}\``));
      offset = nextLine(text, lineEnd);
      continue;
    }
    const name = text.slice(keyStart, equals).trim();
    if (!KEY_PATTERN.test(name)) {
      result.problems.push(problem(index, keyStart, equals, `\`${shorten(name)}\` is not a valid variable name`));
      offset = nextLine(text, lineEnd);
      continue;
    }
    const parsed = readValue(text, equals + 1, lineEnd, unterminatedFrom);
    if (parsed.unterminated) {
      result.problems.push(problem(index, parsed.start, parsed.end, `unterminated quoted value for ${name}`));
    }
    let value = parsed.raw;
    if (!parsed.literal && expansionBudget > 0) {
      const interpolated = interpolate(parsed.raw, env);
      value = interpolated.value;
      expansionBudget -= value.length;
      const limit = interpolated.errors.find((error) => error.kind === 'limit');
      // The first value cut is reported; the ones built from it (`A2=${A1}${A1}`…) would only repeat it.
      if (limit && !valueCut) {
        valueCut = true;
        result.problems.push({ ...problem(index, parsed.start, parsed.end, `${name}: ${limit.message}`), limit: true });
      }
      if (expansionBudget <= 0) {
        const message = `the values up to ${name} expand to more than ${describeSize(MAX_EXPANDED_FILE_CHARS)} together; the variables after it were read without interpolation`;
        result.problems.push({ ...problem(index, parsed.start, parsed.end, message), limit: true });
      }
    }
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

/**
 * Per quote character, the earliest opening quote whose value was found to run to the end of the text: a value
 * opened after it is unterminated too (its scan would see the same characters from the same state), so that a file of
 * many unterminated lines is read in linear time.
 */
type UnterminatedFrom = Partial<Record<'"' | "'", number>>;

function readValue(text: string, from: number, lineEnd: number, unterminatedFrom: UnterminatedFrom): RawValue {
  let start = from;
  while (start < lineEnd && (text[start] === ' ' || text[start] === '\t')) start++;
  const quote = text[start];
  if (quote === "'" || quote === '"') {
    const knownUnterminated = unterminatedFrom[quote];
    if (knownUnterminated !== undefined && knownUnterminated < start) {
      return { raw: text.slice(start + 1, lineEnd), literal: quote === "'", start, end: lineEnd, unterminated: true };
    }
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
    if (unterminated) unterminatedFrom[quote] = start;
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

/** Text quoted in a message, cut to a readable length. */
function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

function problem(index: LineIndex, start: number, end: number, message: string): EnvFileProblem {
  return { line: index.positionAt(start).line, range: index.rangeOf(start, end), message };
}
