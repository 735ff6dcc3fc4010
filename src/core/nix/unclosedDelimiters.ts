/**
 * Finds the brackets and strings a half-typed Nix text leaves open at its end, so the parser can be given the
 * closers. Tree-sitter recovers well from a local mistake (`foo = ;`) but flattens the whole file into one error
 * node when a `{` is never closed, which loses the nesting of every binding; closing what is open first keeps it.
 *
 * A light lexer is enough: it only has to know comments and strings, the places where a bracket does not count.
 */

type Context = '{' | '[' | '(' | '${' | '"' | "''";

const CLOSER: Record<Context, string> = { '{': '}', '[': ']', '(': ')', '${': '}', '"': '"', "''": "''" };

export interface UnclosedDelimiter {
  opener: string;
  /** Offset of the opening token. */
  offset: number;
}

export interface UnclosedDelimiters {
  /** The text to append to close everything left open (empty when balanced), innermost first. */
  closers: string;
  /** What is left open, innermost first. */
  unclosed: UnclosedDelimiter[];
}

/** The text to append to close everything left open (empty when balanced), innermost first. */
export function closersForUnclosed(text: string): UnclosedDelimiters {
  const stack: Context[] = [];
  const openedAt: number[] = [];
  const length = text.length;
  const push = (context: Context, offset: number): void => { stack.push(context); openedAt.push(offset); };
  const pop = (): void => { stack.pop(); openedAt.pop(); };
  let i = 0;
  while (i < length) {
    const top = stack[stack.length - 1];
    const ch = text[i];
    if (top === '"') {
      if (ch === '\\') i += 2;
      else if (ch === '$' && text[i + 1] === '{') { push('${', i); i += 2; }
      else { if (ch === '"') pop(); i++; }
      continue;
    }
    if (top === "''") {
      if (ch === "'" && text[i + 1] === "'") {
        const next = text[i + 2];
        if (next === "'" || next === '$') i += 3;
        else if (next === '\\') i += 4;
        else { pop(); i += 2; }
      } else if (ch === '$' && text[i + 1] === '{') { push('${', i); i += 2; }
      else i++;
      continue;
    }
    switch (ch) {
      case '#': {
        const end = text.indexOf('\n', i);
        i = end < 0 ? length : end + 1;
        continue;
      }
      case '/':
        if (text[i + 1] === '*') {
          const end = text.indexOf('*/', i + 2);
          i = end < 0 ? length : end + 2;
          continue;
        }
        break;
      case '"': push('"', i); break;
      case "'":
        // `''` opens a string, unless the quotes end an identifier (`foo'` is a valid name).
        if (text[i + 1] === "'" && !isIdentifierChar(text[i - 1])) { push("''", i); i += 2; continue; }
        break;
      case '$':
        if (text[i + 1] === '{') { push('${', i); i += 2; continue; }
        break;
      case '{': case '[': case '(': push(ch, i); break;
      case '}': case ']': case ')': {
        // A stray closer is the parser's business; only a matching one closes a context.
        if (top !== undefined && CLOSER[top] === ch) pop();
        break;
      }
      default: break;
    }
    i++;
  }
  let closers = '';
  const unclosed: UnclosedDelimiter[] = [];
  for (let k = stack.length - 1; k >= 0; k--) {
    const context = stack[k] as Context;
    closers += (context === '"' || context === "''" ? '' : ' ') + CLOSER[context];
    unclosed.push({ opener: context, offset: openedAt[k] ?? 0 });
  }
  return { closers, unclosed };
}

function isIdentifierChar(ch: string | undefined): boolean {
  return ch !== undefined && /[A-Za-z0-9_'-]/.test(ch);
}
