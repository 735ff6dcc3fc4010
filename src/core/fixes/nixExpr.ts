/**
 * A tiny Nix expression builder for the text the product writes. Rendering is deterministic so that a second
 * application of a fix can recognise the text it wrote the first time.
 */
export type NixExpr =
  | { kind: 'int'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'string'; value: string }
  | { kind: 'indented'; lines: string[] }
  | { kind: 'list'; items: NixExpr[] }
  | { kind: 'attrs'; entries: [string[], NixExpr][] }
  | { kind: 'raw'; text: string };

export const nix = {
  int: (value: number): NixExpr => ({ kind: 'int', value }),
  bool: (value: boolean): NixExpr => ({ kind: 'bool', value }),
  str: (value: string): NixExpr => ({ kind: 'string', value }),
  raw: (text: string): NixExpr => ({ kind: 'raw', text }),
  list: (items: NixExpr[]): NixExpr => ({ kind: 'list', items }),
  strings: (values: string[]): NixExpr => ({ kind: 'list', items: values.map((v) => ({ kind: 'string', value: v })) }),
  attrs: (entries: [string[], NixExpr][]): NixExpr => ({ kind: 'attrs', entries }),
  indented: (lines: string[]): NixExpr => ({ kind: 'indented', lines }),
  mkForce: (inner: NixExpr): NixExpr => ({ kind: 'raw', text: `lib.mkForce ${renderNix(inner, '', '  ')}` }),
};

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_'-]*$/;
const KEYWORDS = new Set(['if', 'then', 'else', 'assert', 'with', 'let', 'in', 'rec', 'inherit', 'or']);

/** An attribute name as Nix needs it: bare when it is an identifier, else a quoted string. */
export function attrName(name: string): string {
  return IDENTIFIER.test(name) && !KEYWORDS.has(name) ? name : quoteString(name);
}

export function attrPath(path: string[]): string {
  return path.map(attrName).join('.');
}

export function quoteString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$\{/g, '\\${').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`;
}

/** Text for an indented string line: `''` and `${` need escaping inside ''…''. */
function escapeIndentedLine(line: string): string {
  return line.replace(/''/g, "'''").replace(/\$\{/g, "''${");
}

/**
 * Renders an expression. `indent` is the indentation of the line the expression starts on; `unit` one level
 * (the file's own: two spaces, four, or a tab). Short lists of scalars stay on one line, as people write them.
 */
export function renderNix(expr: NixExpr, indent: string, unit: string): string {
  switch (expr.kind) {
    case 'int':
      return String(expr.value);
    case 'bool':
      return expr.value ? 'true' : 'false';
    case 'string':
      return quoteString(expr.value);
    case 'raw':
      return expr.text;
    case 'indented': {
      const inner = indent + unit;
      const body = expr.lines.map((line) => (line === '' ? '' : inner + escapeIndentedLine(line))).join('\n');
      return `''\n${body}\n${indent}''`;
    }
    case 'list': {
      if (expr.items.length === 0) return '[ ]';
      const scalar = expr.items.every((item) => item.kind !== 'attrs' && item.kind !== 'list' && item.kind !== 'indented');
      const rendered = expr.items.map((item) => renderNix(item, indent + unit, unit));
      const oneLine = `[ ${rendered.join(' ')} ]`;
      if (scalar && oneLine.length + indent.length <= 100) return oneLine;
      return `[\n${rendered.map((item) => indent + unit + item).join('\n')}\n${indent}]`;
    }
    case 'attrs': {
      if (expr.entries.length === 0) return '{ }';
      const inner = indent + unit;
      const lines = expr.entries.map(([path, value]) => `${inner}${attrPath(path)} = ${renderNix(value, inner, unit)};`);
      return `{\n${lines.join('\n')}\n${indent}}`;
    }
  }
}
