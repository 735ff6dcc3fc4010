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

/*
 * The escaping below keeps names from the user's files (stack folders, services, users, mount points, snapshot
 * values) data in the Nix the product writes, never code: `nixos-rebuild` evaluates that Nix as root. Nix's lexer
 * (lexer.l) sets the rules:
 * - `"…"`: `\`, `"` and `${` are special; `\n`, `\r`, `\t` are the escapes with a meaning, and a raw CR is read as
 *   LF, so line breaks are written as escapes and the value keeps them exactly.
 * - `''…''`: `''` closes, `${` interpolates; `'''` stands for `''`, `''$` for `$`, `''\X` for the escaped X.
 * - `#` comments end at CR or LF.
 * - NUL ends the text Nix parses (its lexer works on a NUL-terminated buffer), and no Nix string can hold one.
 */

/** What a NUL becomes inside a string, where Nix cannot hold it: U+FFFD, visible to whoever reads the file. */
const NUL_REPLACEMENT = '\uFFFD';

/** An attribute name as Nix needs it: bare when it is an identifier, else a quoted string. */
export function attrName(name: string): string {
  return IDENTIFIER.test(name) && !KEYWORDS.has(name) ? name : quoteString(name);
}

export function attrPath(path: string[]): string {
  return path.map(attrName).join('.');
}

const DOUBLE_QUOTED_ESCAPES: Record<string, string> = { '\\': '\\\\', '"': '\\"', '${': '\\${', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\0': NUL_REPLACEMENT };

/** `value` as a double-quoted Nix string that evaluates to exactly `value` (a NUL, which Nix cannot hold, becomes U+FFFD). */
export function quoteString(value: string): string {
  return `"${value.replace(/[\\"\n\r\t\0]|\$\{/g, (match) => DOUBLE_QUOTED_ESCAPES[match] ?? match)}"`;
}

/**
 * One line of an indented string (`''…''`), written so that it evaluates to exactly `line`. A pair of `'` is
 * written `'''`; a lone `'` right before an escaped `${` (`''${`) is written `''\'`, else the two would read as
 * `'''` followed by a live `${`. Line breaks and tabs inside the line are escapes (`''\n`), so the string keeps
 * its lines and Nix's indentation stripping sees what the renderer wrote.
 */
export function escapeIndentedLine(line: string): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    const ch = line[i] as string;
    if (ch === "'") {
      let run = 0;
      while (line[i + run] === "'") run++;
      i += run;
      out += "'''".repeat(Math.floor(run / 2));
      if (run % 2 === 1) out += line.startsWith('${', i) ? "''\\'" : "'";
      continue;
    }
    if (ch === '$' && line[i + 1] === '{') {
      out += "''${";
      i += 2;
      continue;
    }
    if (ch === '\n') out += "''\\n";
    else if (ch === '\r') out += "''\\r";
    else if (ch === '\t') out += "''\\t";
    else if (ch === '\0') out += NUL_REPLACEMENT;
    else out += ch;
    i++;
  }
  return out;
}

/**
 * Text for one line of a `#` comment. Every character that would end the comment (CR, LF), or hide from a reader
 * where it ends (NEL, the Unicode line and paragraph separators, bidirectional overrides, other control
 * characters, NUL), is written as a visible escape (`\r`, `\u2028`), so everything after it stays comment.
 */
export function commentText(text: string): string {
  return text.replace(/[\0-\x08\x0a-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069]/g, (ch) => {
    if (ch === '\n') return '\\n';
    if (ch === '\r') return '\\r';
    if (ch === '\0') return '\\0';
    return `\\u${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  });
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
