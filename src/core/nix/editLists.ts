/**
 * Lists as the planner sees them: which list literal an `append` can extend (`[ … ]`, `with pkgs; [ … ]`, the last
 * operand of `… ++ [ … ]`), and which items a definition already has, compared by normalised text.
 */
import { unparenthesize } from './editScopes';
import { normalizeNixText } from './editText';
import type { NixExpression, NixListExpression } from './syntaxTree';

/** The list literal to append to, and whether it sits under `with pkgs;` (items then name packages bare). */
export function listTarget(expression: NixExpression | undefined): { list: NixListExpression; withPkgs: boolean } | undefined {
  if (!expression) return undefined;
  const expr = unparenthesize(expression);
  if (expr.kind === 'list') return { list: expr, withPkgs: false };
  if (expr.kind === 'with' && expr.body) {
    const body = unparenthesize(expr.body);
    const environment = expr.environment && unparenthesize(expr.environment);
    if (body.kind === 'list') return { list: body, withPkgs: environment?.kind === 'variable' && environment.name === 'pkgs' };
    return undefined;
  }
  if (expr.kind === 'other' && expr.type === 'binary_expression') {
    // `a ++ b`: appending to the right operand keeps the order the user wrote.
    const right = expr.children[expr.children.length - 1];
    return right ? listTarget(right) : undefined;
  }
  return undefined;
}

/** How an item compares: whitespace-normalised, `pkgs.x` and `x` alike (a `with pkgs;` list names `x`). */
export function listItemKey(text: string): string {
  return normalizeNixText(text).replace(/^pkgs\./, '');
}

/** The keys of every item of every list literal inside a definition's value (`lib.optionals c [ … ]` included). */
export function listItemKeys(text: string, expression: NixExpression): string[] {
  const keys: string[] = [];
  const visit = (node: NixExpression | undefined, depth: number): void => {
    if (!node || depth > 16) return;
    switch (node.kind) {
      case 'list': for (const element of node.elements) keys.push(listItemKey(text.slice(element.start, element.end))); return;
      case 'parenthesized': visit(node.expression, depth + 1); return;
      case 'with': visit(node.body, depth + 1); return;
      case 'let': visit(node.body, depth + 1); return;
      case 'apply': visit(node.function, depth + 1); visit(node.argument, depth + 1); return;
      case 'other': for (const child of node.children) visit(child, depth + 1); return;
      default: return;
    }
  };
  visit(expression, 0);
  return keys;
}
