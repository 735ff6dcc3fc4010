/**
 * Just enough shell reading for the unit-script rules: logical lines (backslash and pipe continuations joined),
 * `-print0` pipelines that end in `read`, and whether that `read` splits on NUL (`-d ''`).
 * Offsets are indexes into the script text.
 */

/** A `read` fed by `-print0` output without `-d ''`. */
export interface NulBlindRead {
  /** The `read` word: [readStart, readEnd). */
  readStart: number;
  readEnd: number;
  /** Where ` -d ''` belongs: after the last option of `read` (or after `read` itself). */
  insertAt: number;
}

/** Options of bash's `read` that take an argument. */
const OPTIONS_WITH_ARGUMENT = new Set(['a', 'd', 'i', 'n', 'N', 'p', 't', 'u']);

/** The script with continuations blanked out (same length, same offsets): one command per line. */
function joinContinuations(text: string): string {
  // `\` + newline, and a newline after a trailing `|` (not `||`), continue the command on the next line.
  return text
    .replace(/\\\r?\n/g, (match) => ' '.repeat(match.length))
    .replace(/(^|[^|])\|([ \t]*)(\r?\n)/g, (_match, before: string, spaces: string, newline: string) => `${before}|${spaces}${' '.repeat(newline.length)}`);
}

/** The script with continuations blanked out, so that splitting on newlines yields logical lines at the same offsets. */
export function logicalLines(text: string): { start: number; text: string }[] {
  const joined = joinContinuations(text);
  const lines: { start: number; text: string }[] = [];
  let start = 0;
  for (const line of joined.split('\n')) {
    lines.push({ start, text: line });
    start += line.length + 1;
  }
  return lines;
}

/**
 * Every `read` that consumes `-print0` output without NUL as its delimiter: through a pipe
 * (`find … -print0 | while read …`) or a process substitution (`while read …; do …; done < <(find … -print0)`).
 */
export function nulBlindReads(text: string): NulBlindRead[] {
  const found: NulBlindRead[] = [...processSubstitutionReads(text)];
  for (const line of logicalLines(text)) {
    for (const print0 of line.text.matchAll(/(?:^|\s)-print0(?=[\s|;)]|$)/g)) {
      const afterPrint0 = (print0.index ?? 0) + print0[0].length;
      const rest = line.text.slice(afterPrint0);
      const pipe = /(?<!\|)\|(?!\|)/.exec(rest);
      if (!pipe) continue;
      // The pipeline ends at `;`, `&&`, `||` or `&`: a `read` after that is not fed by find.
      const pipelineStart = afterPrint0 + pipe.index + 1;
      const pipeline = line.text.slice(pipelineStart);
      const end = /;|&&|\|\||&/.exec(pipeline);
      const scope = end ? pipeline.slice(0, end.index) : pipeline;
      const read = /(?:^|[\s(!{])read(?=\s|$)/.exec(scope);
      if (!read) continue;
      const readStart = pipelineStart + read.index + read[0].length - 4;
      const args = readArguments(line.text, readStart + 4);
      if (args.delimitsOnNul) continue;
      found.push({ readStart: line.start + readStart, readEnd: line.start + readStart + 4, insertAt: line.start + args.optionsEnd });
    }
  }
  return found;
}

/** `while … read …; do … done < <(… -print0 …)`: the loop's `read` is fed by the substituted command. */
function processSubstitutionReads(text: string): NulBlindRead[] {
  const joined = joinContinuations(text);
  const found: NulBlindRead[] = [];
  for (const done of joined.matchAll(/\bdone\s*<\s*<\(([^)]*)\)/g)) {
    if (!/(?:^|\s)-print0(?=[\s|;)]|$)/.test(done[1] ?? '')) continue;
    const loopStart = matchingLoopStart(joined, done.index ?? 0);
    if (loopStart === undefined || !joined.startsWith('while', loopStart)) continue;
    const body = /[;\n]\s*do\b/.exec(joined.slice(loopStart));
    const condition = joined.slice(loopStart, loopStart + (body ? body.index : 0));
    const read = /(?:^|[\s(!{;])read(?=\s|$)/.exec(condition);
    if (!read) continue;
    const readStart = loopStart + read.index + read[0].length - 4;
    const args = readArguments(joined, readStart + 4);
    if (!args.delimitsOnNul) found.push({ readStart, readEnd: readStart + 4, insertAt: args.optionsEnd });
  }
  return found;
}

/** The `while`/`until`/`for` that a `done` at `doneIndex` closes (nested loops balanced), if any. */
function matchingLoopStart(text: string, doneIndex: number): number | undefined {
  const keywords = [...text.slice(0, doneIndex).matchAll(/\b(while|until|for|done)\b/g)];
  let depth = 0;
  for (let i = keywords.length - 1; i >= 0; i--) {
    const keyword = keywords[i];
    if (!keyword) continue;
    if (keyword[1] === 'done') depth++;
    else if (depth === 0) return keyword.index;
    else depth--;
  }
  return undefined;
}

/** Reads the arguments of `read` starting at `from` (line-relative): NUL delimiter present? where the options end. */
function readArguments(line: string, from: number): { delimitsOnNul: boolean; optionsEnd: number } {
  const tokens: { text: string; end: number }[] = [];
  const pattern = /\s*((?:'[^']*'|"[^"]*"|\$'[^']*'|[^\s;|&)'"])+)/y;
  pattern.lastIndex = from;
  for (let match = pattern.exec(line); match; match = pattern.exec(line)) {
    tokens.push({ text: match[1] as string, end: pattern.lastIndex });
  }
  let optionsEnd = from;
  let delimitsOnNul = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as { text: string; end: number };
    if (!token.text.startsWith('-') || token.text === '--') break;
    const letters = /^-([A-Za-z]+)(.*)$/.exec(token.text);
    if (!letters) break;
    optionsEnd = token.end;
    const flags = letters[1] as string;
    const attached = letters[2] as string;
    const last = flags[flags.length - 1] as string;
    // An option taking an argument takes the rest of the token, or the next token.
    if (OPTIONS_WITH_ARGUMENT.has(last) || [...flags].some((flag) => OPTIONS_WITH_ARGUMENT.has(flag))) {
      const argumentFlagIndex = [...flags].findIndex((flag) => OPTIONS_WITH_ARGUMENT.has(flag));
      const flag = flags[argumentFlagIndex] as string;
      const inline = flags.slice(argumentFlagIndex + 1) + attached;
      let argument = inline;
      if (inline === '') {
        const next = tokens[i + 1];
        argument = next?.text ?? '';
        if (next) {
          optionsEnd = next.end;
          i++;
        }
      }
      if (flag === 'd' && isNulArgument(argument)) delimitsOnNul = true;
    }
  }
  return { delimitsOnNul, optionsEnd };
}

function isNulArgument(argument: string): boolean {
  return argument === "''" || argument === '""' || argument === "$'\\0'" || argument === "$'\\x00'" || argument === '$\'\\000\'';
}

/** The offset where a script's first non-blank character is, when it is a `#!` line: [start, end of line). */
export function shebangLine(text: string): { start: number; end: number } | undefined {
  const match = /^\s*(#![^\n]*)/.exec(text);
  if (!match) return undefined;
  const start = match[0].length - (match[1] as string).length;
  return { start, end: match[0].length };
}
