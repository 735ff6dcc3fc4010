import type { NixAttrSetExpression, NixBinding, NixBindingEntry, NixExpression, NixListExpression, NixSyntaxTree } from '../../nix/syntaxTree';

/** The sub-expressions of an expression (bindings' values included), for searching the tree. */
function childrenOf(expression: NixExpression): NixExpression[] {
  const values = (bindings: NixBindingEntry[]): NixExpression[] =>
    bindings.flatMap((entry) => (entry.kind === 'binding' ? (entry.value ? [entry.value] : []) : entry.from ? [entry.from] : []));
  switch (expression.kind) {
    case 'attrset': return values(expression.bindings);
    case 'let': return [...values(expression.bindings), ...(expression.body ? [expression.body] : [])];
    case 'function': return [...(expression.formals?.formals.flatMap((formal) => (formal.defaultValue ? [formal.defaultValue] : [])) ?? []), ...(expression.body ? [expression.body] : [])];
    case 'with': return [expression.environment, expression.body].filter((child): child is NixExpression => child !== undefined);
    case 'assert': return [expression.condition, expression.body].filter((child): child is NixExpression => child !== undefined);
    case 'apply': return [expression.function, expression.argument];
    case 'select': return [expression.expression, ...(expression.defaultValue ? [expression.defaultValue] : [])];
    case 'list': return expression.elements;
    case 'parenthesized': return expression.expression ? [expression.expression] : [];
    case 'other': return expression.children;
    default: return [];
  }
}

/** The innermost-first search for a node containing `offset` that satisfies `match`. */
function search<T>(root: NixExpression | undefined, offset: number, match: (expression: NixExpression) => T | undefined): T | undefined {
  let current = root;
  let found: T | undefined;
  while (current) {
    const hit = match(current);
    if (hit !== undefined) found = hit;
    current = childrenOf(current).find((child) => child.start <= offset && offset <= child.end && !(child.start === offset && child.end === offset && child.kind === 'missing'));
  }
  return found;
}

/** A binding starting at `offset` and the attribute set that holds it. */
export function bindingAt(tree: NixSyntaxTree, offset: number): { binding: NixBinding; set: NixAttrSetExpression } | undefined {
  return search(tree.root, offset, (expression) => {
    if (expression.kind !== 'attrset') return undefined;
    const binding = expression.bindings.find((entry): entry is NixBinding => entry.kind === 'binding' && entry.start === offset);
    return binding ? { binding, set: expression } : undefined;
  });
}

/** The attribute set starting at `offset`. */
export function attrsetAt(tree: NixSyntaxTree, offset: number): NixAttrSetExpression | undefined {
  return search(tree.root, offset, (expression) => (expression.kind === 'attrset' && expression.start === offset ? expression : undefined));
}

/** The list literal starting at `offset`. */
export function listAt(tree: NixSyntaxTree, offset: number): NixListExpression | undefined {
  return search(tree.root, offset, (expression) => (expression.kind === 'list' && expression.start === offset ? expression : undefined));
}

/**
 * The attribute set of a module's definitions: under the function, `let`, `with`; in the explicit form, the value of
 * `config = { … }`. Undefined for modules built otherwise (mkMerge at the top…).
 */
export function moduleDefinitionsSet(tree: NixSyntaxTree): NixAttrSetExpression | undefined {
  let current = tree.root;
  for (let depth = 0; current && depth < 16; depth++) {
    switch (current.kind) {
      case 'function': case 'with': case 'assert': case 'let': current = current.body; continue;
      case 'parenthesized': current = current.expression; continue;
      case 'attrset': {
        // The explicit form (`config`/`options` at the top, as the module reader decides): definitions go in `config = { … }`.
        const explicit = current.bindings.some((entry) => entry.kind === 'binding' && ['config', 'options'].includes(entry.attrpath.segments[0]?.name ?? ''));
        if (!explicit) return current;
        const config = current.bindings.find((entry): entry is NixBinding => entry.kind === 'binding' && entry.attrpath.segments.length === 1 && entry.attrpath.segments[0]?.name === 'config');
        return config?.value?.kind === 'attrset' ? config.value : undefined;
      }
      default: return undefined;
    }
  }
  return undefined;
}
