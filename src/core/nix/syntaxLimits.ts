/**
 * The bounds on reading one Nix file with tree-sitter (syntax.ts). Text without errors goes to the direct reader
 * (directParse.ts), which is linear; tree-sitter takes the rest, and its lexer looks ahead across a whole run of
 * path and URI characters at every token in it, so `a.b.c.…` or `x+y+z+…` without spaces costs the square of the run:
 * 80 KB of it took 25 s. A file past a limit is reported (a `nix-parse-error` saying which limit) and not read.
 */

/** Longest run of path or URI characters (outside strings and comments) handed to tree-sitter. */
export const MAX_NIX_TOKEN_CHARS = 4096;

/** What one tree-sitter parse of a file may take: the safety net for input nobody has thought of yet. */
export const MAX_NIX_PARSE_MS = 2000;

/** `[A-Za-z0-9._+-]`, `/`, `:` and the other characters a URI may hold: what tree-sitter-nix's lexer runs across. */
function isRunChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || RUN_PUNCTUATION.has(c);
}

const RUN_PUNCTUATION = new Set([...".-_+/:%?@&=,!~*'"].map((ch) => ch.charCodeAt(0)));

/** A run of token characters: its offset and length. */
export interface LongToken {
  start: number;
  length: number;
}

/**
 * The first run of path/URI characters longer than MAX_NIX_TOKEN_CHARS outside strings and comments, or undefined.
 * One linear pass; strings are followed through escapes and `${…}` (to the depth braces allow), comments skipped.
 * Approximate on broken text — it only decides whether a run is too long to hand over.
 */
export function findOverlongToken(text: string, limit = MAX_NIX_TOKEN_CHARS): LongToken | undefined {
  // What encloses the current position: a string kind, or a `${` (whose braces are counted) inside one.
  const stack: ('"' | "''" | number)[] = [];
  let runStart = -1;
  const length = text.length;
  for (let i = 0; i <= length; i++) {
    const c = i < length ? text.charCodeAt(i) : 0;
    const top = stack[stack.length - 1];
    if (top === '"' || top === "''") {
      if (top === '"' && c === 92 /* \ */) i++;
      else if (top === "''" && c === 39 && text.charCodeAt(i + 1) === 39) {
        const after = text.charCodeAt(i + 2);
        // `'''`, `''$` and `''\x` are escapes inside an indented string; `''` alone closes it.
        if (after === 39 || after === 36) i += 2;
        else if (after === 92) i += 3;
        else {
          stack.pop();
          i++;
        }
      } else if (top === '"' && c === 34) stack.pop();
      else if (c === 36 && text.charCodeAt(i + 1) === 123) {
        stack.push(0);
        i++;
      }
      continue;
    }
    if (isRunChar(c) && !(c === 39 && text.charCodeAt(i + 1) === 39) && !(c === 47 && text.charCodeAt(i + 1) === 42)) {
      if (runStart < 0) runStart = i;
      continue;
    }
    if (runStart >= 0 && i - runStart > limit) return { start: runStart, length: i - runStart };
    runStart = -1;
    if (c === 34) stack.push('"');
    else if (c === 39 && text.charCodeAt(i + 1) === 39) {
      stack.push("''");
      i++;
    } else if (c === 35 /* # */) {
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? length : eol;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? length : close + 1;
    } else if (typeof top === 'number') {
      if (c === 123) stack[stack.length - 1] = top + 1;
      else if (c === 125) {
        if (top === 0) stack.pop();
        else stack[stack.length - 1] = top - 1;
      }
    } else if (c === 36 && text.charCodeAt(i + 1) === 123) {
      stack.push(0);
      i++;
    }
  }
  return undefined;
}
