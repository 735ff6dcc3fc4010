/**
 * Reads a Nix text without syntax errors straight into the plain syntax tree (syntaxTree.ts), producing exactly the
 * tree the tree-sitter path (syntax.ts + syntaxConvert.ts) produces for it, in a fraction of the time: no wasm, no
 * copy of a concrete syntax tree, no conversion. Part of the parser adapter.
 *
 * It is a fast path, not a second grammar: it returns undefined as soon as the text has an error or uses a form it
 * does not read the way tree-sitter-nix does (URIs, legacy `let { }`, paths interpolated other than after a `/` of
 * a path or ending in `/`, `//` that tree-sitter-nix's path scanner reads into a path (`b//q`, `1 //q`), a path
 * going on after a comment, `or` as a name, unusual numbers, …), and the caller then parses with tree-sitter. Error
 * recovery stays tree-sitter's alone. A differential test holds the two paths equal on every Nix file of the
 * repository, on generated expressions, on mutated (half-typed) files and on random strings of Nix tokens.
 *
 * The expression levels and operator precedences are tree-sitter-nix's (grammar.js): function / assert / with / let
 * / if, then operators (`->` 1 right, `||` 2, `&&` 3, `==` `!=` 4, `<` `<=` `>` `>=` 5, `//` 6 right, `!` 7, `+` `-`
 * 8, `*` `/` 9, `++` 10 right, `?` 11, unary `-` 12; the binary ones left-associative unless marked), application,
 * `select` (`e.a.b or d`), and the simple expressions.
 */
import { indentBefore } from './syntaxConvert';
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
  NixSyntaxTree,
  TextSpan,
} from './syntaxTree';

/** The tree of `text` when it parses without error and only uses forms read here; undefined otherwise. */
export function parseNixDirect(text: string): NixSyntaxTree | undefined {
  const parser = new DirectParser(text);
  try {
    return parser.sourceFile();
  } catch (error) {
    if (error === NOT_HERE) return undefined;
    throw error;
  }
}

/** Thrown to leave the parse: the text is for tree-sitter (an error, or a form this reader does not take). */
const NOT_HERE = new Error('not for the direct Nix reader');

type TokenKind =
  | 'id' | 'int' | 'float' | 'path' | 'hpath' | 'spath' | '"' | "''" | 'eof'
  | '{' | '}' | '[' | ']' | '(' | ')' | ';' | ':' | ',' | '.' | '=' | '?' | '@' | '...' | '${'
  | '+' | '-' | '*' | '/' | '++' | '//' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||' | '->' | '!';

/** Binary operators: precedence, and whether they are right-associative. `?` (11) is handled apart. */
const BINARY: Partial<Record<TokenKind, { precedence: number; right: boolean }>> = {
  '->': { precedence: 1, right: true },
  '||': { precedence: 2, right: false },
  '&&': { precedence: 3, right: false },
  '==': { precedence: 4, right: false },
  '!=': { precedence: 4, right: false },
  '<': { precedence: 5, right: false },
  '<=': { precedence: 5, right: false },
  '>': { precedence: 5, right: false },
  '>=': { precedence: 5, right: false },
  '//': { precedence: 6, right: true },
  '+': { precedence: 8, right: false },
  '-': { precedence: 8, right: false },
  '*': { precedence: 9, right: false },
  '/': { precedence: 9, right: false },
  '++': { precedence: 10, right: true },
};
const HAS_ATTR_PRECEDENCE = 11;
/** Expression levels entered at once (a parenthesis takes three): beyond, the text is tree-sitter's. */
const MAX_DEPTH = 1500;
/** `!e` takes the operators that bind tighter than 7; `-e` none (12 is above every binary one). */
const NOT_OPERAND = 8;
const NEGATE_OPERAND = 13;

const KEYWORDS = new Set(['assert', 'with', 'let', 'in', 'rec', 'inherit', 'if', 'then', 'else', 'or']);

const enum Ch {
  Tab = 9, Newline = 10, Return = 13, Space = 32, Bang = 33, Quote = 34, Hash = 35, Dollar = 36, Amp = 38,
  Apostrophe = 39, OpenParen = 40, CloseParen = 41, Star = 42, Plus = 43, Comma = 44, Minus = 45, Dot = 46,
  Slash = 47, Zero = 48, Nine = 57, Colon = 58, Semicolon = 59, Less = 60, Equals = 61, Greater = 62,
  Question = 63, At = 64, UpperA = 65, UpperZ = 90, OpenBracket = 91, Backslash = 92,
  CloseBracket = 93, Underscore = 95, LowerA = 97, LowerZ = 122, OpenBrace = 123, Pipe = 124,
  CloseBrace = 125, Tilde = 126,
}

function isLetter(c: number): boolean {
  return (c >= Ch.LowerA && c <= Ch.LowerZ) || (c >= Ch.UpperA && c <= Ch.UpperZ);
}

function isDigit(c: number): boolean {
  return c >= Ch.Zero && c <= Ch.Nine;
}

function isIdentifierChar(c: number): boolean {
  return isLetter(c) || isDigit(c) || c === Ch.Underscore || c === Ch.Apostrophe || c === Ch.Minus;
}

/** `[a-zA-Z0-9._\-+]`: the characters of a path segment. */
function isPathChar(c: number): boolean {
  return isLetter(c) || isDigit(c) || c === Ch.Dot || c === Ch.Underscore || c === Ch.Minus || c === Ch.Plus;
}

class DirectParser {
  /** The current token. */
  private kind: TokenKind = 'eof';
  private start = 0;
  private end = 0;
  /** Expression levels entered: a text nested deeper than MAX_DEPTH is tree-sitter's (the call stack stays small). */
  private depth = 0;
  /**
   * The last run of path characters scanned, [start, end): a token starting inside it ends its run at the same
   * place, so `b+b+b+…` or `a.b.c.…` (a token per letter, each looking ahead for a `/`) is scanned once, not once
   * per token.
   */
  private pathRunStart = -1;
  private pathRunEnd = -1;
  /** The current `path`/`hpath` token is followed by `/${`: the path goes on, read by interpolatedPathEnd. */
  private pathInterpolates = false;

  constructor(private readonly text: string) {}

  sourceFile(): NixSyntaxTree {
    this.lex(0);
    if (this.at('eof')) return { text: this.text, root: undefined, errors: [] };
    const root = this.expression();
    if (!this.at('eof')) throw NOT_HERE;
    return { text: this.text, root, errors: [] };
  }

  // ---- tokens ---------------------------------------------------------------------------------------------------

  /** Reads the token at or after `from` (after whitespace and comments) into kind/start/end. */
  private lex(from: number): void {
    const text = this.text;
    const length = text.length;
    let i = from;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === Ch.Space || c === Ch.Newline || c === Ch.Tab || c === Ch.Return) i++;
      else if (c === Ch.Hash) {
        const eol = text.indexOf('\n', i);
        i = eol < 0 ? length : eol + 1;
      } else if (c === Ch.Slash && text.charCodeAt(i + 1) === Ch.Star) {
        const close = text.indexOf('*/', i + 2);
        if (close < 0) throw NOT_HERE;
        i = close + 2;
      } else break;
    }
    this.start = i;
    this.pathInterpolates = false;
    if (i >= length) {
      this.kind = 'eof';
      this.end = i;
      return;
    }
    const c = text.charCodeAt(i);
    if (isPathChar(c) || c === Ch.Slash) {
      const path = this.pathEnd(i);
      if (path > 0) return this.token('path', path);
    }
    if (isLetter(c) || c === Ch.Underscore) {
      let j = i + 1;
      while (j < length && isIdentifierChar(text.charCodeAt(j))) j++;
      // `scheme:rest` is a URI literal.
      if (text.charCodeAt(j) === Ch.Colon && isUriChar(text.charCodeAt(j + 1))) throw NOT_HERE;
      return this.token('id', j);
    }
    if (isDigit(c)) return this.number(i);
    const next = text.charCodeAt(i + 1);
    switch (c) {
      case Ch.Quote: return this.token('"', i + 1);
      case Ch.Apostrophe:
        if (next === Ch.Apostrophe) return this.token("''", i + 2);
        throw NOT_HERE;
      case Ch.OpenBrace: return this.token('{', i + 1);
      case Ch.CloseBrace: return this.token('}', i + 1);
      case Ch.OpenBracket: return this.token('[', i + 1);
      case Ch.CloseBracket: return this.token(']', i + 1);
      case Ch.OpenParen: return this.token('(', i + 1);
      case Ch.CloseParen: return this.token(')', i + 1);
      case Ch.Semicolon: return this.token(';', i + 1);
      case Ch.Colon: return this.token(':', i + 1);
      case Ch.Comma: return this.token(',', i + 1);
      case Ch.Question: return this.token('?', i + 1);
      case Ch.At: return this.token('@', i + 1);
      case Ch.Dot:
        if (next === Ch.Dot && text.charCodeAt(i + 2) === Ch.Dot) return this.token('...', i + 3);
        if (isDigit(next) || next === Ch.Dot) throw NOT_HERE;
        return this.token('.', i + 1);
      case Ch.Dollar:
        if (next === Ch.OpenBrace) return this.token('${', i + 2);
        throw NOT_HERE;
      case Ch.Plus: return next === Ch.Plus ? this.token('++', i + 2) : this.token('+', i + 1);
      case Ch.Minus: return next === Ch.Greater ? this.token('->', i + 2) : this.token('-', i + 1);
      case Ch.Star: return this.token('*', i + 1);
      case Ch.Slash: return next === Ch.Slash ? this.token('//', i + 2) : this.token('/', i + 1);
      case Ch.Equals: return next === Ch.Equals ? this.token('==', i + 2) : this.token('=', i + 1);
      case Ch.Bang: return next === Ch.Equals ? this.token('!=', i + 2) : this.token('!', i + 1);
      case Ch.Greater: return next === Ch.Equals ? this.token('>=', i + 2) : this.token('>', i + 1);
      case Ch.Less: {
        const spath = this.searchPathEnd(i);
        if (spath > 0) return this.token('spath', spath);
        return next === Ch.Equals ? this.token('<=', i + 2) : this.token('<', i + 1);
      }
      case Ch.Amp:
        if (next === Ch.Amp) return this.token('&&', i + 2);
        throw NOT_HERE;
      case Ch.Pipe:
        if (next === Ch.Pipe) return this.token('||', i + 2);
        throw NOT_HERE;
      case Ch.Tilde: {
        const end = this.segmentsEnd(i + 1);
        if (end > i + 1) return this.token('hpath', this.checkedPathEnd(end));
        throw NOT_HERE;
      }
      default: throw NOT_HERE;
    }
  }

  /** Whether the current token is of this kind (a method: the parser moves on between checks, so no narrowing). */
  private at(kind: TokenKind): boolean {
    return this.kind === kind;
  }

  private token(kind: TokenKind, end: number): void {
    this.kind = kind;
    this.end = end;
  }

  /** Moves to the next token. */
  private advance(): void {
    this.lex(this.end);
  }

  private expect(kind: TokenKind): TextSpan {
    if (this.kind !== kind) throw NOT_HERE;
    const span = { start: this.start, end: this.end };
    this.advance();
    return span;
  }

  /** The end of a path starting at `i` (`a/b`, `./a`, `../a`, `/a`), or 0 when no path starts there. */
  private pathEnd(i: number): number {
    const text = this.text;
    let j: number;
    if (i > this.pathRunStart && i < this.pathRunEnd) j = this.pathRunEnd;
    else {
      j = i;
      while (isPathChar(text.charCodeAt(j))) j++;
      this.pathRunStart = i;
      this.pathRunEnd = j;
    }
    if (text.charCodeAt(j) !== Ch.Slash) return 0;
    if (!isPathChar(text.charCodeAt(j + 1))) {
      // tree-sitter-nix's external scanner (scan_path_start) starts a path wherever an operand may begin, taking
      // `[a-zA-Z0-9._+-/]*` as one token once a path character follows a `/`, or a `$` does: `b//q`, `2.5//q`,
      // `1 //q` (an application of the path `//q`), `a//${b}`. Nix reads `//` there (or an error): leave them.
      let k = j + 1;
      while (text.charCodeAt(k) === Ch.Slash) k++;
      const after = text.charCodeAt(k);
      if (isPathChar(after) || after === Ch.Dollar) throw NOT_HERE;
      return 0;
    }
    // A path written with a leading `-` or `+` is read differently by the two grammars' lexers: leave it.
    const first = text.charCodeAt(i);
    if (first === Ch.Minus || first === Ch.Plus) throw NOT_HERE;
    return this.checkedPathEnd(this.segmentsEnd(j));
  }

  /** After `(/segment)*` from `j`. */
  private segmentsEnd(j: number): number {
    const text = this.text;
    while (text.charCodeAt(j) === Ch.Slash && isPathChar(text.charCodeAt(j + 1))) {
      j += 2;
      while (isPathChar(text.charCodeAt(j))) j++;
    }
    return j;
  }

  /**
   * A path followed by `/${` goes on as an interpolated path (`./hosts/${name}`: marked, read by the parser). Any other
   * trailing `/` (an error in Nix) or a `${` right after a segment (`./a${b}`, an error in Nix that tree-sitter-nix
   * takes) is left to tree-sitter.
   */
  private checkedPathEnd(end: number): number {
    const text = this.text;
    const c = text.charCodeAt(end);
    if (c === Ch.Slash && isInterpolationAt(text, end + 1)) {
      this.pathInterpolates = true;
      return end;
    }
    if (c === Ch.Slash || isInterpolationAt(text, end)) throw NOT_HERE;
    return end;
  }

  /**
   * The end of an interpolated path whose first part ends at `i`, on the `/` of a `/${`: then interpolations, path
   * characters, and `/`s each followed by one of those, as Nix reads them. A path that ends in `/` or `//`, or runs
   * into a character other than a space or a closing delimiter (tree-sitter-nix reads some of those on into the
   * path, with an error), is left to tree-sitter.
   */
  private interpolatedPathEnd(i: number): number {
    const text = this.text;
    for (;;) {
      const c = text.charCodeAt(i);
      if (isInterpolationAt(text, i)) i = this.interpolation(i).end;
      else if (isPathChar(c)) i++;
      else if (c === Ch.Slash && (isPathChar(text.charCodeAt(i + 1)) || isInterpolationAt(text, i + 1))) i++;
      else break;
    }
    if (!endsInterpolatedPath(text.charCodeAt(i))) throw NOT_HERE;
    return i;
  }

  /** Throws when the current token, after the path ending at `pathEnd`, starts right at the end of a block comment with a path character or `/`. */
  private checkPathGoesOn(pathEnd: number): void {
    const text = this.text;
    const i = this.start;
    if (i - 2 < pathEnd || text.charCodeAt(i - 1) !== Ch.Slash || text.charCodeAt(i - 2) !== Ch.Star) return;
    const c = text.charCodeAt(i);
    if (isPathChar(c) || c === Ch.Slash) throw NOT_HERE;
  }

  /** The end of `<a/b>` starting at `i`, or 0. */
  private searchPathEnd(i: number): number {
    const text = this.text;
    let j = i + 1;
    if (!isPathChar(text.charCodeAt(j))) return 0;
    while (isPathChar(text.charCodeAt(j))) j++;
    j = this.segmentsEnd(j);
    return text.charCodeAt(j) === Ch.Greater ? j + 1 : 0;
  }

  /** `123` or `1.5` / `0.5`; any other number form is left to tree-sitter. */
  private number(i: number): void {
    const text = this.text;
    let j = i;
    while (isDigit(text.charCodeAt(j))) j++;
    let kind: TokenKind = 'int';
    if (text.charCodeAt(j) === Ch.Dot) {
      // `01.5` and `1.` are read differently by Nix and tree-sitter-nix, `1.5e3` is rare: leave them.
      if ((text.charCodeAt(i) === Ch.Zero && j - i > 1) || !isDigit(text.charCodeAt(j + 1))) throw NOT_HERE;
      j++;
      while (isDigit(text.charCodeAt(j))) j++;
      kind = 'float';
    }
    const after = text.charCodeAt(j);
    if (isIdentifierChar(after) || after === Ch.Dot) throw NOT_HERE;
    this.token(kind, j);
  }

  private identifierText(): string {
    return this.text.slice(this.start, this.end);
  }

  /** The current token is an identifier that is not a keyword. */
  private atName(): boolean {
    return this.at('id') && !KEYWORDS.has(this.identifierText());
  }

  private atKeyword(keyword: string): boolean {
    return this.at('id') && this.end - this.start === keyword.length && this.text.startsWith(keyword, this.start);
  }

  private expectKeyword(keyword: string): void {
    if (!this.atKeyword(keyword)) throw NOT_HERE;
    this.advance();
  }

  // ---- expressions ----------------------------------------------------------------------------------------------

  private enter(): void {
    if (++this.depth > MAX_DEPTH) throw NOT_HERE;
  }

  /** tree-sitter-nix's `_expression`: function, assert, with, let, if, or an operator expression. */
  private expression(): NixExpression {
    this.enter();
    const expression = this.expressionAt();
    this.depth--;
    return expression;
  }

  private expressionAt(): NixExpression {
    const start = this.start;
    if (this.at('id')) {
      const word = this.identifierText();
      switch (word) {
        case 'assert':
        case 'with': {
          // `assert condition; body`, `with environment; body`
          this.advance();
          const head = this.expression();
          this.expect(';');
          const body = this.expression();
          return word === 'assert' ? { kind: 'assert', start, end: body.end, condition: head, body } : { kind: 'with', start, end: body.end, environment: head, body };
        }
        case 'let': {
          this.advance();
          // `let { … }` is the legacy form.
          if (this.at('{')) throw NOT_HERE;
          const bindings = this.bindings('in');
          this.advance();
          const body = this.expression();
          return { kind: 'let', start, end: body.end, bindings, body };
        }
        case 'if': {
          this.advance();
          const condition = this.expression();
          this.expectKeyword('then');
          const consequence = this.expression();
          this.expectKeyword('else');
          const alternative = this.expression();
          return { kind: 'other', start, end: alternative.end, type: 'if_expression', children: [condition, consequence, alternative] };
        }
        default:
          if (KEYWORDS.has(word) && word !== 'rec') throw NOT_HERE;
      }
      if (word !== 'rec') {
        const end = this.end;
        const following = this.peekKind();
        if (following === ':') {
          const parameter: NixName = { start, end, name: word };
          this.advance();
          this.advance();
          return this.functionBody(start, undefined, parameter);
        }
        if (following === '@') {
          const parameter: NixName = { start, end, name: word };
          this.advance();
          this.advance();
          const formals = this.formals();
          this.expect(':');
          return this.functionBody(start, formals, parameter);
        }
      }
    } else if (this.at('{') && this.startsFormals()) {
      const formals = this.formals();
      let parameter: NixName | undefined;
      if (this.at('@')) {
        this.advance();
        if (!this.atName()) throw NOT_HERE;
        parameter = { start: this.start, end: this.end, name: this.identifierText() };
        this.advance();
      }
      this.expect(':');
      return this.functionBody(start, formals, parameter);
    }
    return this.operation(0);
  }

  private functionBody(start: number, formals: NixFormals | undefined, parameter: NixName | undefined): NixExpression {
    const body = this.expression();
    return { kind: 'function', start, end: body.end, formals, parameter, body };
  }

  /** The kind of the token after the current one, without moving. */
  private peekKind(): TokenKind {
    const { kind, start, end } = this;
    this.advance();
    const following = this.kind;
    this.kind = kind;
    this.start = start;
    this.end = end;
    return following;
  }

  /** At `{`: whether function formals follow rather than an attribute set (the tokens after `{` decide). */
  private startsFormals(): boolean {
    const { kind, start, end } = this;
    try {
      this.advance();
      if (this.at('...')) return true;
      if (this.at('}')) {
        this.advance();
        return this.at(':') || this.at('@');
      }
      if (!this.atName()) return false;
      this.advance();
      return this.at(',') || this.at('?') || this.at('}');
    } finally {
      this.kind = kind;
      this.start = start;
      this.end = end;
    }
  }

  /** `{ a, b ? default, ... }` */
  private formals(): NixFormals {
    const open = this.expect('{');
    const formals: NixFormal[] = [];
    let ellipsis: TextSpan | undefined;
    while (!this.at('}')) {
      if (this.at('...')) {
        ellipsis = { start: this.start, end: this.end };
        this.advance();
        break;
      }
      if (!this.atName()) throw NOT_HERE;
      const start = this.start;
      const name = this.identifierText();
      let end = this.end;
      this.advance();
      let defaultValue: NixExpression | undefined;
      if (this.at('?')) {
        this.advance();
        defaultValue = this.expression();
        end = defaultValue.end;
      }
      formals.push({ start, end, name, defaultValue });
      if (!this.at(',')) break;
      // `{ a, b, }` (nixfmt's style) is valid: tree-sitter reads a missing formal after the comma, which the
      // conversion drops along with its error.
      this.advance();
    }
    const close = this.expect('}');
    return { start: open.start, end: close.end, formals, ellipsis, open, close };
  }

  /** Operators by precedence climbing (tree-sitter-nix's `_expr_op`). */
  private operation(minimum: number): NixExpression {
    this.enter();
    const expression = this.operationFrom(minimum);
    this.depth--;
    return expression;
  }

  private operationFrom(minimum: number): NixExpression {
    const start = this.start;
    let left: NixExpression;
    if (this.at('!') || this.at('-')) {
      const operand = this.at('!') ? NOT_OPERAND : NEGATE_OPERAND;
      this.advance();
      const argument = this.operation(operand);
      left = { kind: 'other', start, end: argument.end, type: 'unary_expression', children: [argument] };
    } else {
      left = this.application();
    }
    for (;;) {
      if (this.at('?')) {
        if (HAS_ATTR_PRECEDENCE < minimum) return left;
        this.advance();
        const attrpath = this.attrpath();
        left = { kind: 'other', start, end: attrpath.end, type: 'has_attr_expression', children: [left] };
        continue;
      }
      const operator = BINARY[this.kind];
      if (!operator || operator.precedence < minimum) return left;
      this.advance();
      const right = this.operation(operator.right ? operator.precedence : operator.precedence + 1);
      left = { kind: 'other', start, end: right.end, type: 'binary_expression', children: [left, right] };
    }
  }

  /** `f a b` (left-nested), or one select expression. */
  private application(): NixExpression {
    let expression = this.select();
    while (this.startsSimple()) {
      const argument = this.select();
      expression = { kind: 'apply', start: expression.start, end: argument.end, function: expression, argument };
    }
    return expression;
  }

  private startsSimple(): boolean {
    switch (this.kind) {
      case 'id': return this.atName() || this.atKeyword('rec');
      case 'int': case 'float': case 'path': case 'hpath': case 'spath': case '"': case "''": case '(': case '{': case '[': return true;
      default: return false;
    }
  }

  /** `e.a.b` or `e.a.b or default`, or a simple expression. */
  private select(): NixExpression {
    this.enter();
    const expression = this.selectAt();
    this.depth--;
    return expression;
  }

  private selectAt(): NixExpression {
    const expression = this.simple();
    if (!this.at('.')) {
      if (this.atKeyword('or')) throw NOT_HERE;
      return expression;
    }
    this.advance();
    const attrpath = this.attrpath();
    let defaultValue: NixExpression | undefined;
    if (this.atKeyword('or')) {
      this.advance();
      defaultValue = this.select();
    }
    return { kind: 'select', start: expression.start, end: (defaultValue ?? attrpath).end, expression, attrpath, defaultValue };
  }

  private simple(): NixExpression {
    const { start, end } = this;
    switch (this.kind) {
      case 'id': {
        if (this.atKeyword('rec')) {
          this.advance();
          if (!this.at('{')) throw NOT_HERE;
          return this.attrset(start, true);
        }
        if (!this.atName()) throw NOT_HERE;
        const name = this.identifierText();
        this.advance();
        return { kind: 'variable', start, end, name };
      }
      case 'int':
      case 'float': {
        const kind = this.kind;
        const written = this.text.slice(start, end);
        this.advance();
        return kind === 'int' ? { kind, start, end, value: Number.parseInt(written, 10) } : { kind, start, end, value: Number.parseFloat(written) };
      }
      case '"': return this.string(false);
      case "''": return this.string(true);
      case 'path':
      case 'hpath':
      case 'spath': {
        const kind = this.kind;
        const interpolated = this.pathInterpolates;
        const pathEnd = interpolated ? this.interpolatedPathEnd(end) : end;
        const written = this.text.slice(start, pathEnd);
        this.lex(pathEnd);
        // After a path (not `<…>`), tree-sitter-nix's external scanner takes path characters right after a `/* */`
        // comment as more of the path (scan_path_fragment does not look back for extras): `./a /**/b` is one path
        // to it, an application to Nix. Leave it.
        if (kind !== 'spath') this.checkPathGoesOn(pathEnd);
        const form = kind === 'spath' ? 'search' : kind === 'hpath' ? 'home' : written.startsWith('/') ? 'absolute' : 'relative';
        return { kind: 'path', start, end: pathEnd, form, text: written, interpolated };
      }
      case '(': {
        this.advance();
        const expression = this.expression();
        const close = this.expect(')');
        return { kind: 'parenthesized', start, end: close.end, expression };
      }
      case '{': return this.attrset(start, false);
      case '[': {
        this.advance();
        const elements: NixExpression[] = [];
        while (!this.at(']')) elements.push(this.select());
        const close = this.expect(']');
        return { kind: 'list', start, end: close.end, elements };
      }
      default: throw NOT_HERE;
    }
  }

  private attrset(start: number, rec: boolean): NixExpression {
    const open = this.expect('{');
    const bindings = this.bindings('}');
    const close = this.expect('}');
    return { kind: 'attrset', start, end: close.end, rec, bindings, open, close };
  }

  /** Bindings up to (not including) the closing token: `}` or the keyword `in`. */
  private bindings(closer: '}' | 'in'): NixBindingEntry[] {
    const entries: NixBindingEntry[] = [];
    for (;;) {
      if (closer === '}' ? this.at('}') : this.atKeyword('in')) return entries;
      const start = this.start;
      if (this.atKeyword('inherit')) {
        this.advance();
        let from: NixExpression | undefined;
        if (this.at('(')) {
          this.advance();
          from = this.expression();
          this.expect(')');
        }
        const attrs: NixAttrName[] = [];
        while (!this.at(';')) attrs.push(this.attrName());
        if (attrs.length === 0) throw NOT_HERE;
        const end = this.end;
        this.advance();
        entries.push({ kind: 'inherit', start, end, from, attrs, indent: indentBefore(this.text, start) });
        continue;
      }
      const attrpath = this.attrpath();
      this.expect('=');
      const value = this.expression();
      const semicolon = this.expect(';');
      entries.push({ kind: 'binding', start, end: semicolon.end, attrpath, value, semicolon, indent: indentBefore(this.text, start) });
    }
  }

  private attrpath(): NixAttrPath {
    const segments = [this.attrName()];
    while (this.at('.')) {
      this.advance();
      segments.push(this.attrName());
    }
    return { start: segments[0]!.start, end: segments[segments.length - 1]!.end, segments };
  }

  /** `name`, `"name"` or `${expr}`. */
  private attrName(): NixAttrName {
    const { start, end } = this;
    if (this.at('id')) {
      if (!this.atName()) throw NOT_HERE;
      const name = this.identifierText();
      this.advance();
      return { start, end, name, form: 'identifier' };
    }
    if (this.at('"')) {
      const string = this.string(false);
      return { start, end: string.end, name: decodeAttrName(this.text, string), form: 'string' };
    }
    if (this.at('${')) {
      const interpolation = this.interpolation(start);
      this.advance();
      return { start, end: interpolation.end, name: undefined, form: 'interpolation' };
    }
    throw NOT_HERE;
  }

  /**
   * `${ expr }` from its `${` at `start`. Leaves the current token on the closing `}`: the caller decides how to
   * go on (inside a string, the text after it is not code).
   */
  private interpolation(start: number): NixInterpolation {
    this.lex(start + 2);
    this.expression();
    if (!this.at('}')) throw NOT_HERE;
    return { start, end: this.end };
  }

  /** A string whose opening delimiter is the current token; the current token afterwards is the one after it. */
  private string(indented: boolean): NixStringExpression {
    const text = this.text;
    const length = text.length;
    const start = this.start;
    const contentStart = this.end;
    const interpolations: NixInterpolation[] = [];
    let i = contentStart;
    for (;;) {
      if (i >= length) throw NOT_HERE;
      const c = text.charCodeAt(i);
      if (c === Ch.Dollar) {
        const next = text.charCodeAt(i + 1);
        if (next === Ch.OpenBrace) {
          const interpolation = this.interpolation(i);
          interpolations.push(interpolation);
          i = interpolation.end;
          continue;
        }
        // `$${` is an escape whose reading differs between Nix versions: leave it.
        if (next === Ch.Dollar) throw NOT_HERE;
        i++;
      } else if (indented) {
        if (c === Ch.Apostrophe && text.charCodeAt(i + 1) === Ch.Apostrophe) {
          const next = text.charCodeAt(i + 2);
          if (next === Ch.Apostrophe || next === Ch.Dollar) i += 3;
          else if (next === Ch.Backslash) {
            if (i + 3 >= length) throw NOT_HERE;
            i += 4;
          } else break;
        } else i++;
      } else if (c === Ch.Backslash) {
        if (i + 1 >= length) throw NOT_HERE;
        i += 2;
      } else if (c === Ch.Quote) break;
      else i++;
    }
    const end = i + (indented ? 2 : 1);
    this.lex(end);
    return { kind: 'string', start, end, indented, content: { start: contentStart, end: i }, interpolations, terminated: true };
  }
}

/** Whether `${` starts at `i`. */
function isInterpolationAt(text: string, i: number): boolean {
  return text.charCodeAt(i) === Ch.Dollar && text.charCodeAt(i + 1) === Ch.OpenBrace;
}

/** What may follow an interpolated path: the end of the text, white space, or a closing delimiter. */
function endsInterpolatedPath(c: number): boolean {
  return Number.isNaN(c) || c === Ch.Space || c === Ch.Newline || c === Ch.Tab || c === Ch.Return || c === Ch.CloseParen
    || c === Ch.CloseBracket || c === Ch.CloseBrace || c === Ch.Semicolon || c === Ch.Comma;
}

/** The characters of a URI after its `scheme:`. */
function isUriChar(c: number): boolean {
  return isLetter(c) || isDigit(c) || (c > 0 && URI_PUNCTUATION.includes(String.fromCharCode(c)));
}

const URI_PUNCTUATION = "%/?:@&=+$,-_.!~*'";
