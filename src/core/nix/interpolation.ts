/**
 * Reads the `${…}` interpolations of a unit's script or command line that the reader can see through without
 * evaluating: a `let`-bound name for a string or path literal, and a path literal itself (`${./stacks/plex}`).
 * Paths become absolute file paths of the repository (Nix would copy them to the store, but for tying a unit to the
 * stacks it starts the folder is what counts). Everything else stays as written (`${pkgs.docker}`).
 */
import * as path from 'node:path';
import { decodeString } from './strings';
import type { NixExpression } from './syntaxTree';
import type { Scope } from './values';

/** `${ name }` with no braces inside: the forms worth reading. */
const INTERPOLATION = /\$\{\s*([^{}]*?)\s*\}/g;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_'-]*$/;
const PATH_LITERAL = /^(?:\.{1,2}|~)?\/[A-Za-z0-9._+\-/]*$/;
const MAX_DEPTH = 8;

/**
 * The text with each readable interpolation replaced by its value. `source` is the text of `file`, the file the
 * scope's bindings were read from.
 */
export function expandInterpolations(text: string, scope: Scope | undefined, source: string, file: string, depth = 0): string {
  if (!text.includes('${')) return text;
  return text.replace(INTERPOLATION, (whole, inner: string) => {
    if (PATH_LITERAL.test(inner) && !inner.startsWith('~')) return path.resolve(path.dirname(file), inner);
    if (!scope || !IDENTIFIER.test(inner) || depth >= MAX_DEPTH) return whole;
    const bound = scope.lookup(inner);
    return bound ? literalText(bound.expression, bound.scope, source, file, depth + 1) ?? whole : whole;
  });
}

function literalText(expression: NixExpression, scope: Scope, source: string, file: string, depth: number): string | undefined {
  let expr = expression;
  while (expr.kind === 'parenthesized' && expr.expression) expr = expr.expression;
  switch (expr.kind) {
    case 'string':
      return expandInterpolations(decodeString(source, expr, 'keep').text, scope, source, file, depth);
    case 'path':
      if (expr.interpolated || expr.form === 'search' || expr.form === 'home') return undefined;
      return path.resolve(path.dirname(file), expr.text);
    case 'variable': {
      const bound = depth < MAX_DEPTH ? scope.lookup(expr.name) : undefined;
      return bound ? literalText(bound.expression, bound.scope, source, file, depth + 1) : undefined;
    }
    default:
      return undefined;
  }
}
