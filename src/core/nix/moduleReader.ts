/**
 * Reads one NixOS module file into option definitions with full paths, and the files it imports.
 *
 * Module shapes: a function (`{ config, lib, ... }: body`), `let … in`, `with …;`, `assert …;`, parentheses,
 * `lib.mkIf c { … }` and `lib.mkMerge [ … ]` around an attribute set. When the set has a top-level `config` or
 * `options` attribute (the explicit form), only `config.*` defines options (without the `config.` prefix).
 *
 * Flattening: `a.b.c = 1;`, `a = { b.c = 1; };` and `a.b = { c = 1; };` all define ['a','b','c']. Attribute-set
 * valued bindings also get a definition of their own, with value `{kind:'attrs'}`, so the place that declares
 * `users.users.palav = { … }` can be found (for related information and for merging fixes into it); rules that
 * look for leaves skip `attrs` values.
 */
import * as path from 'node:path';
import type { NixDefinition, Priority } from './model';
import { PRIORITY } from './nixosDefaults';
import type { NixApplyExpression, NixAttrSetExpression, NixBinding, NixBindingEntry, NixExpression, NixInherit, NixStringExpression, NixSyntaxTree, TextSpan } from './syntaxTree';
import { LineIndex, location } from '../text';
import { readValue, Scope } from './values';

/** An `imports` element that names a file. */
export interface ImportReference {
  /** Absolute path as written resolved against the importing file (a directory means its default.nix). */
  target: string;
  /** The element as written (`./hardware-configuration.nix`). */
  written: string;
  span: TextSpan;
}

/**
 * An `imports` element that names no file this reader can follow: `<home-manager/nixos>`, a flake input's module,
 * `(modulesPath + "/…")`, `map (…) names`. Its module is not read; the configuration records it as unreadable.
 */
export interface OpaqueImport {
  /** The element as written, on one line (shortened when long). */
  written: string;
  kind: 'search-path' | 'flake-input' | 'expression' | 'nixpkgs';
  span: TextSpan;
}

export interface ModuleContents {
  definitions: NixDefinition[];
  imports: ImportReference[];
  /** Elements of `imports` whose module cannot be read here (the rest of the list is still followed). */
  opaqueImports: OpaqueImport[];
  /**
   * The string literal behind each string-valued definition (for scripts: decoding with offsets), also when the
   * value is a `let`-bound name for one (the literal is then the bound one).
   */
  stringLiterals: Map<NixDefinition, NixStringExpression>;
  /** The `let` scope each of those literals is read in, so `${name}` interpolations of bound literals can be read. */
  stringScopes?: Map<NixDefinition, Scope>;
}

interface Wrapping {
  priority: Priority;
  numericPriority: number | undefined;
  conditional: boolean;
}

const PLAIN: Wrapping = { priority: 'plain', numericPriority: PRIORITY.plain, conditional: false };

/** Reads the definitions and imports of a parsed module file. */
export function readModule(tree: NixSyntaxTree, file: string, lines: LineIndex = new LineIndex(tree.text)): ModuleContents {
  const reader = new ModuleReader(tree.text, file, lines);
  if (tree.root) reader.moduleBody(tree.root, Scope.EMPTY, PLAIN, 0);
  return { definitions: reader.definitions, imports: reader.imports, opaqueImports: reader.opaqueImports, stringLiterals: reader.stringLiterals, stringScopes: reader.stringScopes };
}

/** The mk* functions of nixpkgs lib/modules.nix the reader understands, with their argument counts. */
const WRAPPER_ARITY: Record<string, number> = {
  mkForce: 1, mkDefault: 1, mkOverride: 2, mkOptionDefault: 1, mkVMOverride: 1, mkImageMediaOverride: 1,
  mkIf: 2, mkMerge: 1, mkBefore: 1, mkAfter: 1, mkOrder: 2,
};

interface WrapperCall {
  name: string;
  args: NixExpression[];
}

/** `lib.mkForce x`, `mkForce x` (under `with lib;`), `lib.modules.mkIf c x`: the wrapper and its arguments. */
function wrapperCall(expression: NixApplyExpression): WrapperCall | undefined {
  const args: NixExpression[] = [];
  let callee: NixExpression = expression;
  while (callee.kind === 'apply') {
    args.unshift(callee.argument);
    callee = callee.function;
  }
  let name: string | undefined;
  if (callee.kind === 'variable') name = callee.name;
  else if (callee.kind === 'select' && !callee.defaultValue) name = callee.attrpath.segments[callee.attrpath.segments.length - 1]?.name;
  if (name === undefined || WRAPPER_ARITY[name] !== args.length) return undefined;
  return { name, args };
}

/** The string literal a `let`-bound name stands for (through names bound to names), with the scope it is read in. */
function boundString(expression: NixExpression, scope: Scope): { expression: NixStringExpression; scope: Scope } | undefined {
  let current = expression;
  let currentScope = scope;
  for (let depth = 0; depth < 16 && current.kind === 'variable'; depth++) {
    const bound = currentScope.lookup(current.name);
    if (!bound) return undefined;
    current = unparenthesize(bound.expression);
    currentScope = bound.scope;
  }
  return current.kind === 'string' ? { expression: current, scope: currentScope } : undefined;
}

/** Strips parentheses. */
function unparenthesize(expression: NixExpression): NixExpression {
  let current = expression;
  while (current.kind === 'parenthesized' && current.expression) current = current.expression;
  return current;
}

class ModuleReader {
  readonly definitions: NixDefinition[] = [];
  readonly imports: ImportReference[] = [];
  readonly opaqueImports: OpaqueImport[] = [];
  readonly stringLiterals = new Map<NixDefinition, NixStringExpression>();
  readonly stringScopes = new Map<NixDefinition, Scope>();

  constructor(
    private readonly source: string,
    private readonly file: string,
    private readonly lines: LineIndex,
  ) {}

  /** A module: peel the function, let, with and mk* layers down to its attribute set(s). */
  moduleBody(expression: NixExpression, scope: Scope, wrapping: Wrapping, depth: number): void {
    if (depth > 32) return;
    const expr = unparenthesize(expression);
    switch (expr.kind) {
      case 'function': if (expr.body) this.moduleBody(expr.body, scope, wrapping, depth + 1); return;
      case 'let': if (expr.body) this.moduleBody(expr.body, scope.withBindings(expr.bindings), wrapping, depth + 1); return;
      case 'with': case 'assert': if (expr.body) this.moduleBody(expr.body, scope, wrapping, depth + 1); return;
      case 'attrset': this.moduleAttrs(expr, scope, wrapping); return;
      case 'apply': {
        const call = wrapperCall(expr);
        if (call?.name === 'mkIf' && call.args[1]) this.moduleBody(call.args[1], scope, { ...wrapping, conditional: true }, depth + 1);
        if (call?.name === 'mkMerge' && call.args[0]) {
          const list = unparenthesize(call.args[0]);
          if (list.kind === 'list') for (const element of list.elements) this.moduleBody(element, scope, wrapping, depth + 1);
        }
        return;
      }
      default: return;
    }
  }

  private moduleAttrs(set: NixAttrSetExpression, outerScope: Scope, wrapping: Wrapping): void {
    const scope = set.rec ? outerScope.withBindings(set.bindings) : outerScope;
    const explicit = set.bindings.some((entry) => entry.kind === 'binding' && ['config', 'options'].includes(entry.attrpath.segments[0]?.name ?? ''));
    for (const entry of set.bindings) {
      if (entry.kind === 'binding' && entry.attrpath.segments.length === 1 && entry.attrpath.segments[0]?.name === 'imports' && entry.value) {
        this.collectImports(entry.value, scope, wrapping, 0);
      }
      if (!explicit) {
        this.entry(entry, [], scope, wrapping);
      } else if (entry.kind === 'binding' && entry.attrpath.segments[0]?.name === 'config') {
        // `config.a.b = v;` defines a.b; `config = …;` is itself a module body of definitions.
        this.binding(entry, [], scope, wrapping, 1);
      } else if (entry.kind === 'binding' && entry.attrpath.segments[0]?.name === 'imports') {
        this.entry(entry, [], scope, wrapping);
      }
    }
  }

  private entry(entry: NixBindingEntry, prefix: string[], scope: Scope, wrapping: Wrapping): void {
    if (entry.kind === 'binding') this.binding(entry, prefix, scope, wrapping, 0);
    else this.inherit(entry, prefix, scope, wrapping);
  }

  private binding(binding: NixBinding, prefix: string[], scope: Scope, wrapping: Wrapping, skipSegments: number): void {
    const names: string[] = [];
    for (const segment of binding.attrpath.segments.slice(skipSegments)) {
      // A computed name (`${x} = …`) hides where the definition goes.
      if (segment.name === undefined) return;
      names.push(segment.name);
    }
    if (!binding.value || binding.value.kind === 'missing') return;
    this.value([...prefix, ...names], binding.value, binding.value, binding, scope, wrapping, 0);
  }

  private inherit(entry: NixInherit, prefix: string[], scope: Scope, wrapping: Wrapping): void {
    const fromText = entry.from ? this.source.slice(entry.from.start, entry.from.end) : undefined;
    for (const attr of entry.attrs) {
      if (attr.name === undefined) continue;
      const value = fromText === undefined
        ? readValue({ kind: 'variable', name: attr.name, start: attr.start, end: attr.end }, scope, this.source)
        : { kind: 'unknown' as const, text: `${fromText}.${attr.name}` };
      this.emit([...prefix, attr.name], value, entry, attr, attr, wrapping);
    }
  }

  /**
   * The value of a definition at `path`: unwrap mk* calls (priority, condition), descend into attribute sets,
   * emit leaves. `outer` is the expression as written at the binding (or mkMerge element), wrappers included.
   */
  private value(path: string[], expression: NixExpression, outer: NixExpression, binding: TextSpan, scope: Scope, wrapping: Wrapping, depth: number): void {
    if (depth > 32) return;
    let expr = unparenthesize(expression);
    let innerScope = scope;
    let current = wrapping;
    for (;;) {
      if (expr.kind === 'apply') {
        const call = wrapperCall(expr);
        if (!call) break;
        const last = call.args[call.args.length - 1] as NixExpression;
        switch (call.name) {
          case 'mkMerge': {
            const list = unparenthesize(last);
            if (list.kind !== 'list') return;
            for (const element of list.elements) this.value(path, element, element, binding, innerScope, current, depth + 1);
            return;
          }
          case 'mkIf': current = { ...current, conditional: true }; break;
          case 'mkForce': current = this.priority(current, 'force', PRIORITY.force); break;
          case 'mkDefault': current = this.priority(current, 'default', PRIORITY.default); break;
          case 'mkOptionDefault': current = this.priority(current, 'default', PRIORITY.optionDefault); break;
          case 'mkVMOverride': current = this.priority(current, 'override', PRIORITY.vmOverride); break;
          case 'mkImageMediaOverride': current = this.priority(current, 'override', 60); break;
          case 'mkOverride': {
            const level = readValue(call.args[0] as NixExpression, innerScope, this.source);
            current = this.priority(current, 'override', level.kind === 'int' ? level.value : undefined);
            break;
          }
          default: break; // mkBefore, mkAfter, mkOrder: ordering only.
        }
        expr = unparenthesize(last);
        continue;
      }
      // `let`/`with` around an attribute set or a wrapper: look through them; around a leaf, readValue does.
      if ((expr.kind === 'let' || expr.kind === 'with') && expr.body) {
        const body = unparenthesize(expr.body);
        if (body.kind !== 'attrset' && !(body.kind === 'apply' && wrapperCall(body)) && body.kind !== 'let' && body.kind !== 'with') break;
        if (expr.kind === 'let') innerScope = innerScope.withBindings(expr.bindings);
        expr = body;
        continue;
      }
      break;
    }
    if (path.length === 0) {
      // `config = …;` in the explicit form: the value is a set of definitions.
      if (expr.kind === 'attrset') this.attrsetEntries(expr, path, innerScope, current);
      return;
    }
    if (expr.kind === 'attrset') {
      this.emit(path, { kind: 'attrs' }, binding, expr, outer, current);
      this.attrsetEntries(expr, path, innerScope, current);
      return;
    }
    const definition = this.emit(path, readValue(expr, innerScope, this.source), binding, expr, outer, current);
    const literal = expr.kind === 'string' ? { expression: expr, scope: innerScope } : boundString(expr, innerScope);
    if (literal) {
      this.stringLiterals.set(definition, literal.expression);
      this.stringScopes.set(definition, literal.scope);
    }
  }

  private attrsetEntries(set: NixAttrSetExpression, prefix: string[], scope: Scope, wrapping: Wrapping): void {
    const inner = set.rec ? scope.withBindings(set.bindings) : scope;
    for (const entry of set.bindings) this.entry(entry, prefix, inner, wrapping);
  }

  /** The outermost wrapper decides the priority (the module system looks at the top of the value). */
  private priority(current: Wrapping, priority: Priority, numeric: number | undefined): Wrapping {
    if (current.priority !== 'plain') return current;
    return { ...current, priority, numericPriority: numeric };
  }

  private emit(path: string[], value: NixDefinition['value'], binding: TextSpan, valueSpan: TextSpan, outer: TextSpan, wrapping: Wrapping): NixDefinition {
    const definition: NixDefinition = {
      path,
      value,
      priority: wrapping.priority,
      conditional: wrapping.conditional,
      file: this.file,
      loc: location(this.file, this.lines, binding.start, binding.end),
      valueLoc: location(this.file, this.lines, valueSpan.start, valueSpan.end),
      exprLoc: location(this.file, this.lines, outer.start, outer.end),
    };
    if (wrapping.numericPriority !== undefined) definition.numericPriority = wrapping.numericPriority;
    this.definitions.push(definition);
    return definition;
  }

  /** The files an `imports` list names; inline modules (`{ … }` elements) are read as part of this file. */
  private collectImports(expression: NixExpression, scope: Scope, wrapping: Wrapping, depth: number): void {
    if (depth > 16) return;
    const expr = unparenthesize(expression);
    switch (expr.kind) {
      case 'list':
        for (const element of expr.elements) this.importElement(element, scope, wrapping, depth);
        return;
      case 'with': if (expr.body) this.collectImports(expr.body, scope, wrapping, depth + 1); return;
      case 'let': if (expr.body) this.collectImports(expr.body, scope.withBindings(expr.bindings), wrapping, depth + 1); return;
      case 'variable': {
        const bound = scope.lookup(expr.name);
        if (bound) this.collectImports(bound.expression, bound.scope, wrapping, depth + 1);
        else this.opaque(expression, 'expression');
        return;
      }
      case 'other':
        // `[ … ] ++ [ … ]`: both sides.
        if (expr.type === 'binary_expression' && /\+\+/.test(this.operatorText(expr))) for (const child of expr.children) this.collectImports(child, scope, wrapping, depth + 1);
        else this.opaque(expression, 'expression');
        return;
      case 'apply': {
        // `lib.optionals cond [ ./a.nix ]`: the list, read as if the condition held.
        const list = conditionalImport(expr, 'optionals');
        if (list) this.collectImports(list, scope, wrapping, depth + 1);
        else this.opaque(expression, 'expression');
        return;
      }
      case 'missing': return;
      default: this.opaque(expression, 'expression'); return;
    }
  }

  /** The text of a binary expression between its operands (`++`, `+`). */
  private operatorText(expr: NixExpression & { kind: 'other' }): string {
    const [left, right] = expr.children;
    return left && right ? this.source.slice(left.end, right.start) : this.source.slice(expr.start, expr.end);
  }

  /** Records an import whose module is not read; `(modulesPath + "/…")` and `<nixpkgs/nixos/…>` are NixOS's own. */
  private opaque(expr: NixExpression, kind: OpaqueImport['kind']): void {
    const text = this.source.slice(expr.start, expr.end).replace(/\s+/g, ' ').trim();
    const written = text.length > 80 ? `${text.slice(0, 77)}…` : text;
    let actual = kind;
    if (/\bmodulesPath\b|^<nixpkgs\/nixos\//.test(text)) actual = 'nixpkgs';
    else if (kind === 'expression' && /^(inputs\.|self\.)|\.nixosModules\b/.test(text)) actual = 'flake-input';
    this.opaqueImports.push({ written, kind: actual, span: { start: expr.start, end: expr.end } });
  }

  private importElement(element: NixExpression, scope: Scope, wrapping: Wrapping, depth: number): void {
    const expr = unparenthesize(element);
    if (expr.kind === 'path' && !expr.interpolated && (expr.form === 'relative' || expr.form === 'absolute')) {
      this.imports.push({ target: path.resolve(path.dirname(this.file), expr.text), written: expr.text, span: { start: element.start, end: element.end } });
    } else if (expr.kind === 'path') {
      this.opaque(element, expr.form === 'search' && !expr.interpolated ? 'search-path' : 'expression');
    } else if (expr.kind === 'string' && expr.interpolations.length === 0) {
      const written = readValue(expr, scope, this.source);
      if (written.kind === 'string' && path.isAbsolute(written.value)) this.imports.push({ target: written.value, written: written.value, span: { start: element.start, end: element.end } });
      else this.opaque(element, 'expression');
    } else if (expr.kind === 'variable') {
      const bound = scope.lookup(expr.name);
      if (bound && depth < 16) this.importElement(bound.expression, bound.scope, wrapping, depth + 1);
      else if (!bound) this.opaque(element, 'expression');
    } else if (expr.kind === 'attrset' || expr.kind === 'function') {
      this.moduleBody(expr, scope, wrapping, depth + 1);
    } else if (expr.kind === 'apply' && conditionalImport(expr, 'optional')) {
      // `lib.optional cond ./gpu.nix`: the element, read as if the condition held.
      this.importElement(conditionalImport(expr, 'optional') as NixExpression, scope, wrapping, depth + 1);
    } else if (expr.kind !== 'missing') {
      this.opaque(element, 'expression');
    }
  }
}

/** The last argument of `lib.optional cond x` / `lib.optionals cond [ … ]` (`optional`/`optionals` under `with lib;`). */
function conditionalImport(expr: NixApplyExpression, name: 'optional' | 'optionals'): NixExpression | undefined {
  const inner = expr.function;
  if (inner.kind !== 'apply') return undefined;
  const callee = inner.function;
  const calleeName = callee.kind === 'variable' ? callee.name : callee.kind === 'select' && !callee.defaultValue ? callee.attrpath.segments[callee.attrpath.segments.length - 1]?.name : undefined;
  return calleeName === name ? expr.argument : undefined;
}
