import { describeSize, MAX_EXPANDED_VALUE_CHARS, MAX_REFERENCE_NESTING } from './limits';
import type { Substitution } from './model';

/** A variable's value and the .env file that defined it (undefined for `extraEnv` values). */
export interface EnvVariable {
  value: string;
  file?: string;
}

/** A function from variable name to its value, or undefined when the variable is unset. */
export type EnvLookup = (name: string) => EnvVariable | undefined;

/**
 * Where interpolation looks variables up: a map with file attribution, a lookup function, or (for convenience)
 * a plain record without file attribution.
 */
export type InterpolationEnv = ReadonlyMap<string, EnvVariable> | EnvLookup | Readonly<Record<string, string>>;

/** A `${VAR}` or `$VAR` without default whose variable is unset. Offsets are into the interpolated text. */
export interface UnsetReference {
  name: string;
  start: number;
  end: number;
}

/**
 * A reference Compose itself rejects (`${VAR:?err}` with VAR unset, or a malformed `${…}`), or one this reader
 * stopped at (`limit`: defaults nested too deeply, or a value expanding past MAX_EXPANDED_VALUE_CHARS).
 */
export interface InterpolationError {
  name: string;
  message: string;
  start: number;
  end: number;
  kind: 'required' | 'invalid' | 'limit';
}

export interface InterpolationResult {
  value: string;
  substitutions: Substitution[];
  unresolved: UnsetReference[];
  errors: InterpolationError[];
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

/**
 * Expands Compose variable references the way `docker compose` does: `${VAR}`, `${VAR:-def}`, `${VAR-def}`,
 * `${VAR:?err}`, `${VAR?err}`, `${VAR:+alt}`, `${VAR+alt}`, `$VAR` and `$$` (a literal `$`). Defaults may nest
 * (`${A:-${B:-x}}`). Only `env` is consulted — never this process's environment, because the analysis is about
 * the old host, not the machine running it.
 *
 * Bounded: defaults nested deeper than MAX_REFERENCE_NESTING, or a value growing past MAX_EXPANDED_VALUE_CHARS, stop
 * the expansion with a `limit` error (the value is what was expanded until then). The work is linear in the text.
 */
export function interpolate(text: string, env: InterpolationEnv): InterpolationResult {
  const result: InterpolationResult = { value: '', substitutions: [], unresolved: [], errors: [] };
  // Fast path: most scalars contain no `$` at all.
  if (!text.includes('$')) {
    result.value = text;
    return result;
  }
  const state: ExpansionState = { lookup: toLookup(env), out: result, stopped: false };
  result.value = expand(text, 0, text.length, state, 0);
  return result;
}

type Lookup = EnvLookup;

interface ExpansionState {
  lookup: Lookup;
  out: InterpolationResult;
  /** Set once a limit is hit: every level returns what it has. */
  stopped: boolean;
}

/** Normalises any accepted environment shape to a lookup function. */
export function toLookup(env: InterpolationEnv): EnvLookup {
  if (typeof env === 'function') return env;
  if (env instanceof Map) return (name) => env.get(name);
  const record = env as Readonly<Record<string, string>>;
  return (name) => (Object.prototype.hasOwnProperty.call(record, name) ? { value: record[name] ?? '' } : undefined);
}

/** Expands text[start, end) at `depth` levels of nested defaults; offsets recorded are into the original text. */
function expand(text: string, start: number, end: number, state: ExpansionState, depth: number): string {
  const { lookup, out } = state;
  let value = '';
  let i = start;
  while (i < end && !state.stopped) {
    if (value.length > MAX_EXPANDED_VALUE_CHARS) return stop(state, value, text);
    const dollar = text.indexOf('$', i);
    if (dollar < 0 || dollar >= end) {
      value += text.slice(i, end);
      break;
    }
    value += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      value += '$';
      i = dollar + 2;
    } else if (next === '{') {
      const close = findClosingBrace(text, dollar + 2, end);
      if (close < 0) {
        out.errors.push({ name: '', message: 'unterminated `${`', start: dollar, end, kind: 'invalid' });
        value += text.slice(dollar, end);
        break;
      }
      value += expandBraced(text, dollar, close, state, depth);
      i = close + 1;
    } else if (next !== undefined && dollar + 1 < end && NAME_START.test(next)) {
      let nameEnd = dollar + 2;
      while (nameEnd < end && NAME_CHAR.test(text[nameEnd] ?? '')) nameEnd++;
      const name = text.slice(dollar + 1, nameEnd);
      value += substitutePlain(name, dollar, nameEnd, lookup, out);
      i = nameEnd;
    } else {
      // A lone `$` (before a space, a digit, the end…) stays literal, as in Compose.
      value += '$';
      i = dollar + 1;
    }
  }
  return value.length > MAX_EXPANDED_VALUE_CHARS ? stop(state, value, text) : value;
}

/** Stops the expansion at the value limit (reported once, over the whole text) and cuts the value there. */
function stop(state: ExpansionState, value: string, text: string): string {
  if (!state.stopped) {
    state.stopped = true;
    state.out.errors.push({
      name: '',
      message: `the value expands to more than ${describeSize(MAX_EXPANDED_VALUE_CHARS)} (variables that repeat each other); it was cut there`,
      start: 0,
      end: text.length,
      kind: 'limit',
    });
  }
  return value.slice(0, MAX_EXPANDED_VALUE_CHARS);
}

/** Index of the `}` closing a `${` whose body starts at `from`, honouring nested `${…}`; -1 if none. */
function findClosingBrace(text: string, from: number, end: number): number {
  let depth = 1;
  for (let i = from; i < end; i++) {
    const ch = text[i];
    if (ch === '$' && text[i + 1] === '$') {
      i++;
    } else if (ch === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (ch === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function substitutePlain(name: string, start: number, end: number, lookup: Lookup, out: InterpolationResult): string {
  const found = lookup(name);
  if (found) {
    out.substitutions.push(fromEnv(name, found));
    return found.value;
  }
  out.substitutions.push({ name, value: undefined, source: 'unset' });
  out.unresolved.push({ name, start, end });
  return '';
}

/** Expands `${…}` spanning text[dollar, close]. */
function expandBraced(text: string, dollar: number, close: number, state: ExpansionState, depth: number): string {
  const { lookup, out } = state;
  const bodyStart = dollar + 2;
  let nameEnd = bodyStart;
  while (nameEnd < close && NAME_CHAR.test(text[nameEnd] ?? '')) nameEnd++;
  const name = text.slice(bodyStart, nameEnd);
  const operator = readOperator(text, nameEnd, close);
  if (!name || !NAME_START.test(name[0] ?? '') || (operator === undefined && nameEnd !== close)) {
    out.errors.push({
      name,
      message: `invalid variable reference \`${text.slice(dollar, close + 1)}\``,
      start: dollar,
      end: close + 1,
      kind: 'invalid',
    });
    return text.slice(dollar, close + 1);
  }
  if (operator === undefined) return substitutePlain(name, dollar, close + 1, lookup, out);

  const wordStart = nameEnd + operator.length;
  const found = lookup(name);
  const isSet = found !== undefined;
  const isNonEmpty = isSet && found.value !== '';
  const expandWord = (): string => {
    if (depth < MAX_REFERENCE_NESTING) return expand(text, wordStart, close, state, depth + 1);
    state.stopped = true;
    out.errors.push({
      name,
      message: `variable defaults are nested more than ${MAX_REFERENCE_NESTING} deep (\`\${${name}:-\${…}}\`); the inner ones were not expanded`,
      start: dollar,
      end: close + 1,
      kind: 'limit',
    });
    return '';
  };

  switch (operator) {
    case ':-':
    case '-': {
      const useDefault = operator === ':-' ? !isNonEmpty : !isSet;
      if (!useDefault && found) {
        out.substitutions.push(fromEnv(name, found));
        return found.value;
      }
      const fallback = expandWord();
      out.substitutions.push({ name, value: fallback, source: 'default' });
      return fallback;
    }
    case ':?':
    case '?': {
      const missing = operator === ':?' ? !isNonEmpty : !isSet;
      if (!missing && found) {
        out.substitutions.push(fromEnv(name, found));
        return found.value;
      }
      const message = expandWord() || `required variable ${name} is missing a value`;
      out.substitutions.push({ name, value: undefined, source: 'unset' });
      out.errors.push({ name, message, start: dollar, end: close + 1, kind: 'required' });
      return '';
    }
    default: {
      // `:+` / `+`: the alternative replaces a set variable; an unset one is not an error.
      const useAlternative = operator === ':+' ? isNonEmpty : isSet;
      out.substitutions.push(found ? fromEnv(name, found) : { name, value: undefined, source: 'unset' });
      return useAlternative ? expandWord() : '';
    }
  }
}

function readOperator(text: string, at: number, close: number): string | undefined {
  if (at >= close) return undefined;
  const two = text.slice(at, at + 2);
  if (two === ':-' || two === ':?' || two === ':+') return two;
  const one = text[at];
  if (one === '-' || one === '?' || one === '+') return one;
  return undefined;
}

function fromEnv(name: string, found: EnvVariable): Substitution {
  const substitution: Substitution = { name, value: found.value, source: 'env-file' };
  if (found.file !== undefined) substitution.file = found.file;
  return substitution;
}
