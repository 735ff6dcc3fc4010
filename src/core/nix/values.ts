/**
 * Reads Nix expressions as values without evaluating anything: literals, lists of them, and variables bound by
 * `let` (or a `rec` set) to such values. Everything else is `unknown` with its source text.
 */
import type { NixValue } from './model';
import { decodeString } from './strings';
import type { NixBindingEntry, NixExpression, NixStringExpression } from './syntaxTree';

/** What a name stands for: the bound expression and the scope it must be read in. */
interface Bound {
  expression: NixExpression;
  scope: Scope;
}

/**
 * Lexical scope of `let`/`rec` bindings. `with` frames are not tracked by name: a variable no `let` binds may come
 * from a `with`, so it stays unknown.
 */
export class Scope {
  static readonly EMPTY = new Scope(undefined, new Map());

  private constructor(
    private readonly parent: Scope | undefined,
    private readonly names: Map<string, NixExpression>,
  ) {}

  /** A child scope holding the single-name bindings of a `let` or `rec { }`. */
  withBindings(bindings: NixBindingEntry[]): Scope {
    const names = new Map<string, NixExpression>();
    for (const entry of bindings) {
      if (entry.kind !== 'binding' || entry.attrpath.segments.length !== 1 || !entry.value) continue;
      const name = entry.attrpath.segments[0]?.name;
      if (name !== undefined) names.set(name, entry.value);
    }
    return names.size === 0 ? this : new Scope(this, names);
  }

  lookup(name: string): Bound | undefined {
    for (let scope: Scope | undefined = this; scope; scope = scope.parent) {
      const expression = scope.names.get(name);
      // The binding's own scope is the one that defines it: let bindings see each other (they are recursive).
      if (expression) return { expression, scope };
    }
    return undefined;
  }
}

/** Bounds variable chasing (`let a = b; b = a;` must not loop). */
const MAX_RESOLUTION_DEPTH = 16;

/** Reads an expression as a value. `source` is the text the expression's offsets refer to. */
export function readValue(expression: NixExpression, scope: Scope, source: string, depth = 0): NixValue {
  switch (expression.kind) {
    case 'int': return { kind: 'int', value: expression.value };
    case 'float': return { kind: 'float', value: expression.value };
    case 'string':
      return stringValue(source, expression);
    case 'path':
      if (expression.interpolated) break;
      return { kind: 'path', value: expression.text };
    case 'list':
      return { kind: 'list', items: expression.elements.map((element) => readValue(element, scope, source, depth)) };
    case 'attrset': return { kind: 'attrs' };
    case 'parenthesized':
      if (expression.expression) return readValue(expression.expression, scope, source, depth);
      break;
    case 'let':
      if (expression.body) return readValue(expression.body, scope.withBindings(expression.bindings), source, depth);
      break;
    case 'with':
      if (expression.body) return readValue(expression.body, scope, source, depth);
      break;
    case 'variable': {
      const bound = depth < MAX_RESOLUTION_DEPTH ? scope.lookup(expression.name) : undefined;
      if (bound) {
        const value = readValue(bound.expression, bound.scope, source, depth + 1);
        // A variable bound to something unreadable is better shown by its own name than by the bound text.
        return value.kind === 'unknown' ? unknownValue(expression, source) : value;
      }
      if (expression.name === 'true') return { kind: 'bool', value: true };
      if (expression.name === 'false') return { kind: 'bool', value: false };
      if (expression.name === 'null') return { kind: 'null' };
      break;
    }
    default: break;
  }
  return unknownValue(expression, source);
}

function unknownValue(expression: NixExpression, source: string): NixValue {
  return { kind: 'unknown', text: source.slice(expression.start, expression.end) };
}

/** The strings of a list value (other items skipped); a lone string counts as a one-item list. */
export function stringItems(value: NixValue): string[] {
  if (value.kind === 'string') return [value.value];
  if (value.kind !== 'list') return [];
  const strings: string[] = [];
  for (const item of value.items) if (item.kind === 'string') strings.push(item.value);
  return strings;
}

/**
 * A string value, decoded when first read: most strings of a configuration (`environment.etc.*.text`, unit scripts
 * read through their literal) are never read as values, and decoding is most of the cost of reading a module.
 */
function stringValue(source: string, expression: NixStringExpression): NixValue {
  let text: string | undefined;
  return {
    kind: 'string',
    get value(): string {
      text ??= decodeString(source, expression, 'drop').text;
      return text;
    },
    interpolated: expression.interpolations.length > 0,
  };
}
