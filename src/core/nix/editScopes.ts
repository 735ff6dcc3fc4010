/**
 * Where a Nix module file can be edited: the attribute sets that declare option paths (the module's own set and
 * every literal `{ … }` nested under a binding), with each binding's static path and whether its value can be
 * merged into. The edit planner reads this instead of the flattened model, because it needs the syntax: where a set
 * opens and closes, which bindings are dotted, which values are opaque (`mkIf`, a function call, `with`, `let`).
 */
import type { NixAttrSetExpression, NixBindingEntry, NixExpression, NixSyntaxTree } from './syntaxTree';

/** A literal attribute set that defines options under `prefix`. */
export interface AttrScope {
  set: NixAttrSetExpression;
  /** The option path the set stands for: [] for the module's set, ['users','users','palav'] for `users.users.palav = { … }`. */
  prefix: string[];
  /** False for the top set of an explicit `{ options; config; }` module: options go under `config` there. */
  insertable: boolean;
  entries: ScopeEntry[];
}

/** One binding (or inherited name) of a scope. */
export interface ScopeEntry {
  entry: NixBindingEntry;
  /** The option path relative to the scope; a computed segment (`${x}`, interpolated string) is undefined. */
  path: (string | undefined)[];
  /** The bound value with parentheses removed; undefined for `inherit`. */
  value: NixExpression | undefined;
  /** The nested scope when the value is a literal attribute set that fixes may merge into. */
  child: AttrScope | undefined;
}

/** The scopes of one parsed module file, outermost first. */
export interface ModuleScopes {
  /** The module's own attribute set (after the function, `let`, `with`, `assert` layers), if it is a literal set. */
  moduleSet: NixAttrSetExpression | undefined;
  /** The scope new top-level settings go into: the module set, or the `config = { … }` set of an explicit module. */
  root: AttrScope | undefined;
  all: AttrScope[];
}

/** The expression inside any number of parentheses. */
export function unparenthesize(expression: NixExpression): NixExpression {
  let current = expression;
  while (current.kind === 'parenthesized' && current.expression) current = current.expression;
  return current;
}

/** The module's attribute set: peels `args: …`, `let … in`, `with …;`, `assert …;` and parentheses. */
export function moduleAttrSet(tree: NixSyntaxTree): NixAttrSetExpression | undefined {
  let current = tree.root;
  for (let depth = 0; current && depth < 16; depth++) {
    const expr: NixExpression = unparenthesize(current);
    if (expr.kind === 'attrset') return expr;
    if (expr.kind === 'function' || expr.kind === 'let' || expr.kind === 'with' || expr.kind === 'assert') current = expr.body;
    else return undefined;
  }
  return undefined;
}

/** Reads the editable scopes of a module file. */
export function readModuleScopes(tree: NixSyntaxTree): ModuleScopes {
  const moduleSet = moduleAttrSet(tree);
  const all: AttrScope[] = [];
  if (!moduleSet) return { moduleSet, root: undefined, all };
  const explicit = moduleSet.bindings.some((entry) => entry.kind === 'binding' && ['config', 'options'].includes(entry.attrpath.segments[0]?.name ?? ''));
  if (!explicit) {
    const root = buildScope(moduleSet, [], true, all, 0);
    return { moduleSet, root, all };
  }
  // Explicit form: only `config…` bindings define options; their paths lose the leading `config`.
  const top: AttrScope = { set: moduleSet, prefix: [], insertable: false, entries: [] };
  all.push(top);
  let root: AttrScope | undefined;
  for (const entry of moduleSet.bindings) {
    if (entry.kind !== 'binding' || entry.attrpath.segments[0]?.name !== 'config') continue;
    const path = entry.attrpath.segments.slice(1).map((segment) => segment.name);
    const value = entry.value ? unparenthesize(entry.value) : undefined;
    let child: AttrScope | undefined;
    if (value?.kind === 'attrset' && path.every((name) => name !== undefined)) {
      child = buildScope(value, path as string[], true, all, 1);
      if (path.length === 0) root = child;
    }
    top.entries.push({ entry, path, value, child });
  }
  return { moduleSet, root, all };
}

function buildScope(set: NixAttrSetExpression, prefix: string[], insertable: boolean, all: AttrScope[], depth: number): AttrScope {
  const scope: AttrScope = { set, prefix, insertable, entries: [] };
  all.push(scope);
  for (const entry of set.bindings) {
    if (entry.kind === 'inherit') {
      for (const attr of entry.attrs) scope.entries.push({ entry, path: [attr.name], value: undefined, child: undefined });
      continue;
    }
    const path = entry.attrpath.segments.map((segment) => segment.name);
    const value = entry.value ? unparenthesize(entry.value) : undefined;
    let child: AttrScope | undefined;
    // Only a literal set can take more bindings; `rec` sets too (a new name cannot break existing references to
    // outer names unless it shadows one, and the planner only adds option names).
    if (value?.kind === 'attrset' && depth < 24 && path.every((name) => name !== undefined) && !(prefix.length === 0 && path[0] === 'imports')) {
      child = buildScope(value, [...prefix, ...(path as string[])], insertable, all, depth + 1);
    }
    scope.entries.push({ entry, path, value, child });
  }
  return scope;
}

/** Length of the common prefix of two paths (computed segments never match). */
export function sharedLength(a: readonly (string | undefined)[], b: readonly string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] !== undefined && a[n] === b[n]) n++;
  return n;
}

/** True when `path` starts with (or equals) `prefix`. */
export function isPrefixOf(prefix: readonly string[], path: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((segment, index) => path[index] === segment);
}

/**
 * Why a binding at `relative` (relative to the scope) cannot be added to the scope, or undefined when it can:
 * an existing binding with a prefix of it holds a value Nix cannot merge into (`a = mkIf c { … }; a.b = 1;` is
 * "attribute already defined"), or a computed name could evaluate to the same attribute.
 */
export function insertionConflict(scope: AttrScope, relative: readonly string[]): string | undefined {
  for (const { path, child, entry } of scope.entries) {
    const static_ = sharedLength(path, relative);
    const computedAt = path.findIndex((name) => name === undefined);
    if (computedAt >= 0 && computedAt <= relative.length && static_ === computedAt) {
      return `a binding with a computed name (${entry.kind === 'binding' ? 'line with `${…}`' : 'inherit'}) may define the same attribute`;
    }
    if (computedAt >= 0) continue;
    if (path.length <= relative.length && static_ === path.length && !child) {
      return `\`${path.join('.')}\` is set to an expression that cannot be merged into`;
    }
  }
  return undefined;
}
