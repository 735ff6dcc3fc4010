/**
 * The Nix syntax tree the rest of the product works with: plain objects, no parser handles, so a tree can be kept,
 * cached or passed around without freeing anything. Produced by `parseNix` (syntax.ts), the only place that knows
 * the underlying grammar.
 *
 * Every span is in JS string offsets (UTF-16 code units) of the parsed text, end exclusive, so it converts directly
 * with `LineIndex` and can be used for text edits.
 */

/** A slice of the parsed text: `text.slice(start, end)`. */
export interface TextSpan {
  readonly start: number;
  readonly end: number;
}

export type NixExpression =
  | NixAttrSetExpression
  | NixLetExpression
  | NixFunctionExpression
  | NixWithExpression
  | NixAssertExpression
  | NixApplyExpression
  | NixSelectExpression
  | NixVariableExpression
  | NixNumberExpression
  | NixStringExpression
  | NixPathExpression
  | NixListExpression
  | NixParenthesizedExpression
  | NixOtherExpression
  | NixMissingExpression;

/** `{ … }` or `rec { … }`. */
export interface NixAttrSetExpression extends TextSpan {
  kind: 'attrset';
  rec: boolean;
  bindings: NixBindingEntry[];
  /** The `{` token. */
  open: TextSpan;
  /** The `}` token; undefined when it is missing (half-typed file). */
  close: TextSpan | undefined;
}

/** `let … in body`. */
export interface NixLetExpression extends TextSpan {
  kind: 'let';
  bindings: NixBindingEntry[];
  body: NixExpression | undefined;
}

/** `{ a, b ? 1, ... }@args: body` or `x: body`. */
export interface NixFunctionExpression extends TextSpan {
  kind: 'function';
  formals: NixFormals | undefined;
  /** The plain parameter (`x:`) or the `@args` name. */
  parameter: NixName | undefined;
  body: NixExpression | undefined;
}

export interface NixFormals extends TextSpan {
  formals: NixFormal[];
  /** The `...` token when present. */
  ellipsis: TextSpan | undefined;
  open: TextSpan;
  close: TextSpan | undefined;
}

export interface NixFormal extends TextSpan {
  name: string;
  defaultValue: NixExpression | undefined;
}

/** An identifier with its span. */
export interface NixName extends TextSpan {
  name: string;
}

/** `with env; body`. */
export interface NixWithExpression extends TextSpan {
  kind: 'with';
  environment: NixExpression | undefined;
  body: NixExpression | undefined;
}

/** `assert cond; body`. */
export interface NixAssertExpression extends TextSpan {
  kind: 'assert';
  condition: NixExpression | undefined;
  body: NixExpression | undefined;
}

/** Function application `f x` (curried: `f x y` is apply(apply(f, x), y)). */
export interface NixApplyExpression extends TextSpan {
  kind: 'apply';
  function: NixExpression;
  argument: NixExpression;
}

/** `e.a.b` or `e.a.b or default`. */
export interface NixSelectExpression extends TextSpan {
  kind: 'select';
  expression: NixExpression;
  attrpath: NixAttrPath;
  defaultValue: NixExpression | undefined;
}

/** An identifier in expression position (`true`, `false`, `null` included: they are variables in Nix). */
export interface NixVariableExpression extends TextSpan {
  kind: 'variable';
  name: string;
}

export interface NixNumberExpression extends TextSpan {
  kind: 'int' | 'float';
  value: number;
}

/**
 * `"…"` or `''…''`. The literal text is decoded on demand (strings.ts) from `content` and the interpolation spans,
 * which keeps the tree small.
 */
export interface NixStringExpression extends TextSpan {
  kind: 'string';
  indented: boolean;
  /** Between the delimiters. */
  content: TextSpan;
  interpolations: NixInterpolation[];
  /** False when the closing delimiter is missing. */
  terminated: boolean;
}

/**
 * `${ expr }` inside a string, path or attribute name: only its span. What is inside never matters to the model
 * (an interpolated value is unknown; a string's value is its literal parts), and skipping it keeps the copy out of
 * wasm small — modules are full of `${pkgs.foo}/bin/…`.
 */
export type NixInterpolation = TextSpan;

/** `./a.nix`, `/etc/x`, `~/x`, `<nixpkgs>`. */
export interface NixPathExpression extends TextSpan {
  kind: 'path';
  form: 'relative' | 'absolute' | 'home' | 'search';
  /** The path as written. */
  text: string;
  interpolated: boolean;
}

export interface NixListExpression extends TextSpan {
  kind: 'list';
  elements: NixExpression[];
}

export interface NixParenthesizedExpression extends TextSpan {
  kind: 'parenthesized';
  expression: NixExpression | undefined;
}

/** Operators, `if`, URIs, legacy `let { }`, error fragments: read as text. Sub-expressions kept for traversal. */
export interface NixOtherExpression extends TextSpan {
  kind: 'other';
  /** The grammar's node type, for diagnostics only. */
  type: string;
  children: NixExpression[];
}

/** An expression the user has not typed yet (`foo = ;`). */
export interface NixMissingExpression extends TextSpan {
  kind: 'missing';
}

/** `a.b."c" = value;` */
export interface NixBinding extends TextSpan {
  kind: 'binding';
  attrpath: NixAttrPath;
  value: NixExpression | undefined;
  /** The `;` token; undefined when missing. */
  semicolon: TextSpan | undefined;
  /** The whitespace before the binding when it starts its line, else undefined. */
  indent: string | undefined;
}

/** `inherit a b;` or `inherit (src) a b;` */
export interface NixInherit extends TextSpan {
  kind: 'inherit';
  from: NixExpression | undefined;
  attrs: NixAttrName[];
  indent: string | undefined;
}

export type NixBindingEntry = NixBinding | NixInherit;

export interface NixAttrPath extends TextSpan {
  segments: NixAttrName[];
}

/** One segment of an attribute path: `a`, `"a/b"` or `${expr}`. */
export interface NixAttrName extends TextSpan {
  /** The attribute name, unquoted and unescaped; undefined when it is computed (`${…}` or an interpolated string). */
  name: string | undefined;
  form: 'identifier' | 'string' | 'interpolation';
}

/** A syntax error found by the parser, in the parsed text's offsets. */
export interface NixSyntaxError extends TextSpan {
  message: string;
}

/** One parsed Nix file. */
export interface NixSyntaxTree {
  readonly text: string;
  /** The file's expression; undefined for an empty or unreadable file. */
  readonly root: NixExpression | undefined;
  readonly errors: NixSyntaxError[];
}
