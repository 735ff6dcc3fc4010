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
    case 'attrset': return attrsValue(expression.bindings, expression.rec ? scope.withBindings(expression.bindings) : scope, source, depth);
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

/** The fields of sets read as values, kept beside the value so `{ kind: 'attrs' }` stays what it was. */
const SET_FIELDS = new WeakMap<NixValue, () => ReadonlyMap<string, NixValue>>();

/**
 * A set read as a value (a list item, a `let`-bound set), its fields read when first asked for with `fieldsOf`:
 * most sets are never looked into.
 */
function attrsValue(bindings: NixBindingEntry[], scope: Scope, source: string, depth: number): NixValue {
  const value: NixValue = { kind: 'attrs' };
  let fields: Map<string, NixValue> | undefined;
  SET_FIELDS.set(value, () => (fields ??= readFields(bindings, scope, source, depth)));
  return value;
}

/** A set value with the given fields (an evaluated value: evaluation/merge.ts), read by `fieldsOf` like any other. */
export function attrsWithFields(fields: ReadonlyMap<string, NixValue>): NixValue {
  const value: NixValue = { kind: 'attrs' };
  SET_FIELDS.set(value, () => fields);
  return value;
}

/**
 * The bindings of a set read as a value, by name (`a.b.c = v;` nests: the field `a` is a set holding `b`; two
 * bindings under `a` are merged); undefined for other values and for the sets the module reader flattens into
 * definitions.
 */
export function fieldsOf(value: NixValue | undefined): ReadonlyMap<string, NixValue> | undefined {
  return value ? SET_FIELDS.get(value)?.() : undefined;
}

function readFields(bindings: NixBindingEntry[], scope: Scope, source: string, depth: number): Map<string, NixValue> {
  const fields = new Map<string, NixValue>();
  if (depth >= MAX_RESOLUTION_DEPTH) return fields;
  for (const entry of bindings) {
    if (entry.kind === 'inherit') {
      if (entry.from) continue;
      for (const attr of entry.attrs) {
        if (attr.name !== undefined) fields.set(attr.name, readValue({ kind: 'variable', name: attr.name, start: attr.start, end: attr.end }, scope, source, depth + 1));
      }
      continue;
    }
    const names: string[] = [];
    for (const segment of entry.attrpath.segments) if (segment.name !== undefined) names.push(segment.name);
    if (!entry.value || names.length === 0 || names.length !== entry.attrpath.segments.length) continue;
    setField(fields, names, readValue(entry.value, scope, source, depth + 1));
  }
  return fields;
}

/** `a.b.c = v` into nested sets; a set already at `a` gets `b.c` added. */
function setField(fields: Map<string, NixValue>, names: string[], value: NixValue): void {
  const [first, ...rest] = names;
  if (first === undefined) return;
  if (rest.length === 0) {
    fields.set(first, value);
    return;
  }
  const inner = new Map<string, NixValue>(fieldsOf(fields.get(first)) ?? []);
  setField(inner, rest, value);
  const nested: NixValue = { kind: 'attrs' };
  SET_FIELDS.set(nested, () => inner);
  fields.set(first, nested);
}

/** The value at a field path of a set value (`field(unit, 'mountConfig', 'Options')`), else undefined. */
export function field(value: NixValue | undefined, ...names: string[]): NixValue | undefined {
  let current = value;
  for (const name of names) current = fieldsOf(current)?.get(name);
  return current;
}
