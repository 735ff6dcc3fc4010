/**
 * Turns the copied tree-sitter-nix tree into the plain syntax tree (syntaxTree.ts) and collects its syntax errors.
 * Part of the parser adapter: the grammar's node names appear only here and in syntax.ts.
 */
import { decodeAttrName } from './strings';
import type {
  NixAttrName,
  NixAttrPath,
  NixBindingEntry,
  NixExpression,
  NixFormal,
  NixFormals,
  NixInterpolation,
  NixName,
  NixStringExpression,
  NixSyntaxError,
  NixSyntaxTree,
  TextSpan,
} from './syntaxTree';

/** A tree-sitter node copied into plain data (offsets already in JS string units). */
export interface RawNode {
  type: string;
  named: boolean;
  start: number;
  end: number;
  /** A node the parser inserted to recover (`MISSING`), or one that only exists in recovery closers. */
  missing: boolean;
  children: RawNode[];
}

const EXPRESSION_TYPES = new Set([
  'variable_expression', 'integer_expression', 'float_expression', 'string_expression', 'indented_string_expression',
  'path_expression', 'hpath_expression', 'spath_expression', 'uri_expression', 'function_expression', 'assert_expression',
  'with_expression', 'let_expression', 'if_expression', 'has_attr_expression', 'unary_expression', 'binary_expression',
  'apply_expression', 'select_expression', 'parenthesized_expression', 'attrset_expression', 'let_attrset_expression',
  'rec_attrset_expression', 'list_expression',
]);

/** Builds the syntax tree of a whole file. `extraErrors` come from recovery (unclosed delimiters). */
export function convertSourceFile(text: string, root: RawNode, extraErrors: NixSyntaxError[] = []): NixSyntaxTree {
  const converter = new Converter(text);
  const expressionNode = root.children.find((child) => isExpression(child));
  let expression = expressionNode ? converter.expression(expressionNode) : undefined;
  if (!expression) {
    // Nothing parsed as an expression: salvage the bindings tree-sitter still recognised inside the error.
    const errorNode = root.children.find((child) => child.type === 'ERROR');
    if (errorNode) expression = converter.salvageError(errorNode);
  }
  const errors = [...extraErrors];
  collectErrors(text, root, undefined, errors);
  errors.sort((a, b) => a.start - b.start);
  return { text, root: expression, errors };
}

function isExpression(node: RawNode): boolean {
  return EXPRESSION_TYPES.has(node.type);
}

function isToken(node: RawNode, token: string): boolean {
  return !node.named && node.type === token && !node.missing;
}

class Converter {
  constructor(private readonly text: string) {}

  expression(node: RawNode): NixExpression {
    const { start, end } = node;
    switch (node.type) {
      case 'attrset_expression':
      case 'rec_attrset_expression': {
        const open = node.children.find((child) => isToken(child, '{'));
        const close = node.children.find((child) => isToken(child, '}'));
        return {
          kind: 'attrset', start, end,
          rec: node.type === 'rec_attrset_expression',
          bindings: this.bindingSet(node),
          open: open ? span(open) : { start, end: start },
          close: close ? span(close) : undefined,
        };
      }
      case 'let_expression':
        return { kind: 'let', start, end, bindings: this.bindingSet(node), body: this.expressionAfter(node, 'in') };
      case 'function_expression': return this.functionExpression(node);
      case 'with_expression':
        return { kind: 'with', start, end, environment: this.expressionAfter(node, 'with'), body: this.expressionAfter(node, ';') };
      case 'assert_expression':
        return { kind: 'assert', start, end, condition: this.expressionAfter(node, 'assert'), body: this.expressionAfter(node, ';') };
      case 'apply_expression': {
        const [fn, arg] = node.children.filter(isExpression);
        if (fn && arg) return { kind: 'apply', start, end, function: this.expression(fn), argument: this.expression(arg) };
        return this.other(node);
      }
      case 'select_expression': {
        const target = node.children.find(isExpression);
        const attrpath = node.children.find((child) => child.type === 'attrpath');
        if (!target || !attrpath) return this.other(node);
        return {
          kind: 'select', start, end,
          expression: this.expression(target),
          attrpath: this.attrpath(attrpath),
          defaultValue: this.expressionAfter(node, 'or'),
        };
      }
      case 'variable_expression': {
        const name = node.children[0];
        if (!name || name.missing) return { kind: 'missing', start, end };
        return { kind: 'variable', start, end, name: this.text.slice(name.start, name.end) };
      }
      case 'integer_expression':
        return { kind: 'int', start, end, value: Number.parseInt(this.text.slice(start, end), 10) };
      case 'float_expression':
        return { kind: 'float', start, end, value: Number.parseFloat(this.text.slice(start, end)) };
      case 'string_expression':
      case 'indented_string_expression': return this.stringExpression(node);
      case 'path_expression':
      case 'hpath_expression':
      case 'spath_expression': {
        const written = this.text.slice(start, end);
        const form = node.type === 'spath_expression' ? 'search' : node.type === 'hpath_expression' ? 'home' : written.startsWith('/') ? 'absolute' : 'relative';
        return { kind: 'path', start, end, form, text: written, interpolated: node.children.some((child) => child.type === 'interpolation') };
      }
      case 'list_expression':
        return { kind: 'list', start, end, elements: node.children.filter(isExpression).map((child) => this.expression(child)) };
      case 'parenthesized_expression': {
        const inner = node.children.find(isExpression);
        return { kind: 'parenthesized', start, end, expression: inner ? this.expression(inner) : undefined };
      }
      default: return this.other(node);
    }
  }

  /** An error node in expression position: keep the bindings it holds as an (unclosed) attribute set. */
  salvageError(node: RawNode): NixExpression {
    const bindings = this.bindingEntries(node.children);
    if (bindings.length > 0) return { kind: 'attrset', start: node.start, end: node.end, rec: false, bindings, open: { start: node.start, end: node.start }, close: undefined };
    return this.other(node);
  }

  private other(node: RawNode): NixExpression {
    return { kind: 'other', start: node.start, end: node.end, type: node.type, children: node.children.filter(isExpression).map((child) => this.expression(child)) };
  }

  /** The first expression child after the given token (`in`, `;`, `or`, …). */
  private expressionAfter(node: RawNode, token: string): NixExpression | undefined {
    let seen = false;
    for (const child of node.children) {
      if (!seen) { seen = isToken(child, token); continue; }
      if (isExpression(child)) return this.expression(child);
    }
    return undefined;
  }

  private bindingSet(node: RawNode): NixBindingEntry[] {
    const set = node.children.find((child) => child.type === 'binding_set');
    // An error node among the bindings may still hold whole bindings (a stray token before them).
    return set ? this.bindingEntries(set.children) : [];
  }

  private bindingEntries(nodes: RawNode[]): NixBindingEntry[] {
    const entries: NixBindingEntry[] = [];
    for (const child of nodes) {
      if (child.type === 'binding') {
        const entry = this.binding(child);
        if (entry) entries.push(entry);
      } else if (child.type === 'inherit' || child.type === 'inherit_from') {
        entries.push(this.inherit(child));
      } else if (child.type === 'ERROR' || child.type === 'binding_set') {
        entries.push(...this.bindingEntries(child.children));
      }
    }
    return entries;
  }

  private binding(node: RawNode): NixBindingEntry | undefined {
    const attrpath = node.children.find((child) => child.type === 'attrpath');
    if (!attrpath) return undefined;
    const semicolon = node.children.find((child) => isToken(child, ';'));
    return {
      kind: 'binding', start: node.start, end: node.end,
      attrpath: this.attrpath(attrpath),
      value: this.expressionAfter(node, '='),
      semicolon: semicolon ? span(semicolon) : undefined,
      indent: indentBefore(this.text, node.start),
    };
  }

  private inherit(node: RawNode): NixBindingEntry {
    const names = node.children.find((child) => child.type === 'inherited_attrs');
    return {
      kind: 'inherit', start: node.start, end: node.end,
      from: node.type === 'inherit_from' ? this.expressionAfter(node, '(') : undefined,
      attrs: names ? names.children.filter((child) => child.named && !child.missing && child.type !== 'comment').map((child) => this.attrName(child)) : [],
      indent: indentBefore(this.text, node.start),
    };
  }

  private attrpath(node: RawNode): NixAttrPath {
    const segments = node.children.filter((child) => child.named && !child.missing && child.type !== 'ERROR' && child.type !== 'comment');
    return { start: node.start, end: node.end, segments: segments.map((child) => this.attrName(child)) };
  }

  private attrName(node: RawNode): NixAttrName {
    const { start, end } = node;
    if (node.type === 'identifier') return { start, end, name: this.text.slice(start, end), form: 'identifier' };
    if (node.type === 'string_expression') {
      const string = this.stringExpression(node);
      return { start, end, name: decodeAttrName(this.text, string), form: 'string' };
    }
    return { start, end, name: undefined, form: 'interpolation' };
  }

  private stringExpression(node: RawNode): NixStringExpression {
    const indented = node.type === 'indented_string_expression';
    const delimiter = indented ? "''" : '"';
    let contentStart: number;
    let contentEnd: number;
    let terminated: boolean;
    const first = node.children[0];
    if (!first || first.type === 'interpolation') {
      // Copied without its tokens (a tree without errors: no children, or only the interpolations): the delimiters
      // are read from the text.
      const size = delimiter.length;
      terminated = node.end - node.start >= 2 * size && this.text.startsWith(delimiter, node.end - size);
      contentStart = Math.min(node.start + size, node.end);
      contentEnd = terminated ? node.end - size : node.end;
    } else {
      const last = node.children[node.children.length - 1];
      terminated = node.children.length >= 2 && last !== undefined && isToken(last, delimiter);
      contentStart = isToken(first, delimiter) ? first.end : node.start;
      contentEnd = terminated && last ? last.start : node.end;
    }
    const interpolations: NixInterpolation[] = node.children
      .filter((child) => child.type === 'interpolation')
      .map((child) => this.interpolation(child));
    return { kind: 'string', start: node.start, end: node.end, indented, content: { start: contentStart, end: contentEnd }, interpolations, terminated };
  }

  private interpolation(node: RawNode): NixInterpolation {
    return { start: node.start, end: node.end };
  }

  private functionExpression(node: RawNode): NixExpression {
    let formals: NixFormals | undefined;
    let parameter: NixName | undefined;
    let body: NixExpression | undefined;
    let afterColon = false;
    for (const child of node.children) {
      if (afterColon) {
        if (!body && isExpression(child)) body = this.expression(child);
      } else if (isToken(child, ':')) {
        afterColon = true;
      } else if (child.type === 'formals') {
        formals = this.formals(child);
      } else if (child.type === 'identifier' && !child.missing) {
        parameter = { start: child.start, end: child.end, name: this.text.slice(child.start, child.end) };
      }
    }
    return { kind: 'function', start: node.start, end: node.end, formals, parameter, body };
  }

  private formals(node: RawNode): NixFormals {
    const open = node.children.find((child) => isToken(child, '{'));
    const close = node.children.find((child) => isToken(child, '}'));
    const ellipsis = node.children.find((child) => child.type === 'ellipses');
    const formals: NixFormal[] = [];
    for (const child of node.children) {
      if (child.type !== 'formal') continue;
      const name = child.children[0];
      if (!name || name.missing) continue;
      formals.push({ start: child.start, end: child.end, name: this.text.slice(name.start, name.end), defaultValue: this.expressionAfter(child, '?') });
    }
    return {
      start: node.start, end: node.end, formals,
      ellipsis: ellipsis ? span(ellipsis) : undefined,
      open: open ? span(open) : { start: node.start, end: node.start },
      close: close ? span(close) : undefined,
    };
  }
}

function span(node: RawNode): TextSpan {
  return { start: node.start, end: node.end };
}

/** The whitespace between the start of the line and `offset`, when nothing else precedes it on that line. */
export function indentBefore(text: string, offset: number): string | undefined {
  let i = offset;
  while (i > 0) {
    const ch = text.charCodeAt(i - 1);
    if (ch === 32 || ch === 9) i--;
    else if (ch === 10 || ch === 13) break;
    else return undefined;
  }
  return text.slice(i, offset);
}

function collectErrors(text: string, node: RawNode, parent: RawNode | undefined, out: NixSyntaxError[]): void {
  if (node.missing) {
    if (node.start < text.length && !isTrailingCommaFormal(node, parent)) out.push({ start: node.start, end: node.end, message: missingMessage(node, parent) });
    return;
  }
  if (node.type === 'ERROR') {
    if (!isTrailingCommaError(node, parent)) out.push(unexpectedError(text, node));
    return;
  }
  for (const child of node.children) collectErrors(text, child, node, out);
}

/**
 * `{ a, b, }:` is valid Nix, but tree-sitter-nix reads the trailing comma as announcing a formal that is missing.
 * That is the grammar's one known false error (measured on 3,687 modules): not reported.
 */
function isTrailingCommaFormal(node: RawNode, parent: RawNode | undefined): boolean {
  return node.type === 'identifier' && parent?.type === 'formal' && parent.start === parent.end;
}

/**
 * The same trailing comma, read (depending on what surrounds it) as an unexpected `,` right before the `}`. It is
 * nixfmt's style for formals (`{\n  lib,\n  pkgs,\n}:`), so a false error there would be on most formatted files.
 */
function isTrailingCommaError(node: RawNode, parent: RawNode | undefined): boolean {
  if (parent?.type !== 'formals') return false;
  const tokens = node.children.filter((child) => child.type !== 'comment');
  if (tokens.length !== 1 || !isToken(tokens[0] as RawNode, ',')) return false;
  // Exactly `formal , }`: not `{ , }`, `{ a,, }` or `{ ..., }`, which Nix rejects too.
  const siblings = parent.children.filter((child) => child.type !== 'comment');
  const at = siblings.indexOf(node);
  const before = siblings[at - 1];
  const after = siblings[at + 1];
  return before?.type === 'formal' && before.start < before.end && after !== undefined && isToken(after, '}');
}

function missingMessage(node: RawNode, parent: RawNode | undefined): string {
  if (node.type === 'identifier') return parent?.type === 'variable_expression' ? 'Nix syntax error: missing expression' : 'Nix syntax error: missing name';
  return `Nix syntax error: missing \`${node.type}\``;
}

function unexpectedError(text: string, node: RawNode): NixSyntaxError {
  const token = firstLeaf(node) ?? node;
  const written = text.slice(token.start, Math.min(token.end, token.start + 30)).split(/\r?\n/)[0] ?? '';
  const shown = written === '' ? 'end of input' : `\`${written}\``;
  // A long error node would underline whole lines; point at its first token instead.
  const whole = node.end - node.start <= 40 && !/[\r\n]/.test(text.slice(node.start, node.end));
  const at = whole ? node : token;
  return { start: at.start, end: Math.max(at.end, at.start), message: `Nix syntax error: unexpected ${shown}` };
}

function firstLeaf(node: RawNode): RawNode | undefined {
  for (const child of node.children) {
    if (child.type === 'comment') continue;
    if (child.children.length === 0) return child.start < child.end ? child : undefined;
    const leaf = firstLeaf(child);
    if (leaf) return leaf;
  }
  return undefined;
}
