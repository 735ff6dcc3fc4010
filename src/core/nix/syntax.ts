/**
 * The one adapter over web-tree-sitter and the tree-sitter-nix grammar. Everything else in the product sees only
 * the plain syntax tree of syntaxTree.ts, so the parser can be replaced here alone.
 *
 * Offsets: given a JS string, web-tree-sitter 0.25 parses UTF-16 and reports indexes and columns in UTF-16 code
 * units, i.e. JS string offsets (checked by the unicode tests).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
// `require` form on purpose: esbuild then bundles the package's CommonJS build; its ESM build relies on
// `import.meta.url`, which is empty in the CommonJS bundles of dist/.
import TreeSitter = require('web-tree-sitter');
import type { Node as TreeSitterNode, Parser, Tree } from 'web-tree-sitter';
import { parseNixDirect } from './directParse';
import { convertSourceFile, type RawNode } from './syntaxConvert';
import { findOverlongToken, MAX_NIX_PARSE_MS, MAX_NIX_TOKEN_CHARS } from './syntaxLimits';
import type { NixSyntaxError, NixSyntaxTree } from './syntaxTree';
import { closersForUnclosed } from './unclosedDelimiters';

interface LoadedGrammar {
  parser: Parser;
  /** Node type names by type id (tree-sitter's ERROR id is outside the table). */
  typeNames: string[];
  namedTypes: boolean[];
}

let initPromise: Promise<void> | undefined;
let grammar: LoadedGrammar | undefined;

/** Where the two wasm files are: beside the bundle (dist/) first, then in node_modules (tests, development). */
export function locateWasm(): { runtime: string; nixGrammar: string } {
  return {
    runtime: firstExisting([path.join(__dirname, 'tree-sitter.wasm')], 'web-tree-sitter/tree-sitter.wasm'),
    nixGrammar: firstExisting([path.join(__dirname, 'tree-sitter-nix.wasm')], '@cursorless/tree-sitter-wasms/out/tree-sitter-nix.wasm'),
  };
}

function firstExisting(candidates: string[], packageFile: string): string {
  for (const candidate of candidates) if (fs.existsSync(candidate)) return candidate;
  // A non-literal specifier keeps esbuild from trying to bundle the wasm file.
  return require.resolve(packageFile);
}

/** Loads the parser and the Nix grammar once; later calls return the same promise. Await before `parseNix`. */
export function initNixParser(): Promise<void> {
  initPromise ??= loadGrammar().catch((error: unknown) => {
    // Let a later call retry instead of caching the failure forever.
    initPromise = undefined;
    throw error;
  });
  return initPromise;
}

async function loadGrammar(): Promise<void> {
  const wasm = locateWasm();
  await TreeSitter.Parser.init({
    locateFile: (name: string, scriptDirectory: string) => (name === 'tree-sitter.wasm' ? wasm.runtime : path.join(scriptDirectory, name)),
  });
  const language = await TreeSitter.Language.load(wasm.nixGrammar);
  const parser = new TreeSitter.Parser();
  parser.setLanguage(language);
  const typeNames: string[] = [];
  const namedTypes: boolean[] = [];
  for (let id = 0; id < language.nodeTypeCount; id++) {
    typeNames.push(language.nodeTypeForId(id) ?? 'ERROR');
    namedTypes.push(language.nodeTypeIsNamed(id));
  }
  grammar = { parser, typeNames, namedTypes };
}

/** True once `initNixParser()` has completed. */
export function isNixParserReady(): boolean {
  return grammar !== undefined;
}

function requireGrammar(): LoadedGrammar {
  if (!grammar) throw new Error('The Nix parser is not initialised: await initNixParser() before parseNix().');
  return grammar;
}

/**
 * Parses Nix text into a plain syntax tree plus its syntax errors. Synchronous; requires `initNixParser()` to have
 * completed (throws otherwise: that is a programming error, not an input problem). Never throws on bad input.
 *
 * A text without errors is read by the direct reader (directParse.ts), which gives the tree tree-sitter would,
 * several times faster (no wasm, no copy out of it, no conversion: the 136 KB of the benchmark homelab take ~40 ms
 * instead of ~180 ms on a first run); anything it does not take (errors above all) goes to tree-sitter.
 */
export function parseNix(text: string): NixSyntaxTree {
  const cached = recentTrees.get(text);
  if (cached) {
    // Refresh its place: the map's insertion order is the eviction order.
    recentTrees.delete(text);
    recentTrees.set(text, cached);
    return cached;
  }
  const result = parseNixDirect(text) ?? parseNixWithTreeSitter(text);
  recentTrees.set(text, result);
  if (recentTrees.size > RECENT_TREE_LIMIT) recentTrees.delete(recentTrees.keys().next().value as string);
  return result;
}

/** `parseNix` through tree-sitter alone, without the direct reader and the cache (the reference for tests). */
export function parseNixWithTreeSitter(text: string): NixSyntaxTree {
  const parsed = parseWithRecovery(requireGrammar(), text, undefined);
  parsed.tree?.delete();
  return parsed.result;
}

/**
 * Trees are plain immutable objects, so the same text always yields an equal tree: the fix engine plans many fixes
 * against the same few files, and re-parsing them for each fix dominated `lint` (every finding asks whether it is
 * fixable). A small LRU keyed by the text keeps that to one parse per file version.
 */
const RECENT_TREE_LIMIT = 64;
const recentTrees = new Map<string, NixSyntaxTree>();

/**
 * Parses successive versions of one document, reusing the previous tree (tree-sitter's incremental parsing).
 * Holds exactly one tree-sitter tree; call `dispose()` when the document closes.
 *
 * A version without errors is read directly (directParse.ts: the same tree, without copying the whole tree out of
 * wasm on every keystroke). The tree-sitter tree is then left as it was: the next version that needs tree-sitter
 * is parsed from it with the edit between the two texts, however many versions apart they are.
 */
export class NixIncrementalParser {
  private previous: { tree: Tree; parsedText: string } | undefined;

  parse(text: string): NixSyntaxTree {
    const direct = parseNixDirect(text);
    if (direct) return direct;
    const loaded = requireGrammar();
    let oldTree: Tree | undefined;
    if (this.previous) {
      oldTree = this.previous.tree;
      oldTree.edit(editBetween(this.previous.parsedText, text));
    }
    const parsed = parseWithRecovery(loaded, text, oldTree);
    this.previous?.tree.delete();
    this.previous = parsed.tree ? { tree: parsed.tree, parsedText: parsed.parsedText } : undefined;
    return parsed.result;
  }

  dispose(): void {
    this.previous?.tree.delete();
    this.previous = undefined;
  }
}

interface ParseOutcome {
  result: NixSyntaxTree;
  /** The tree to keep or free: the caller owns it. None when the text was not parsed (a limit, syntaxLimits.ts). */
  tree?: Tree;
  /** The text the tree belongs to (the input, or the input plus recovery closers). */
  parsedText: string;
}

function parseWithRecovery(loaded: LoadedGrammar, text: string, oldTree: Tree | undefined): ParseOutcome {
  const overlong = findOverlongToken(text);
  if (overlong) {
    const message = `Nix syntax error: a token of ${overlong.length.toLocaleString('en-US')} characters without a space is too long to check (limit ${MAX_NIX_TOKEN_CHARS.toLocaleString('en-US')}); the file was not read. Break it up, or keep such data in a string or a separate file`;
    return notRead(text, { start: overlong.start, end: overlong.start + overlong.length, message });
  }
  const tree = parseWithinBudget(loaded, text, oldTree);
  if (!tree) return notRead(text, { start: 0, end: 0, message: TOO_SLOW });
  try {
    return recoverAndConvert(loaded, text, tree);
  } catch (error) {
    // Copying and converting recurse along the tree: thousands of nested brackets overflow the call stack.
    if (!(error instanceof RangeError)) throw error;
    const result: NixSyntaxTree = { text, root: undefined, errors: [{ start: 0, end: 0, message: 'Nix syntax error: the file is nested too deeply to be read' }] };
    return { result, tree, parsedText: text };
  }
}

const TOO_SLOW = `Nix syntax error: reading the file took more than ${MAX_NIX_PARSE_MS / 1000} s, too long to check; it was not read. Fix its syntax errors (the direct reader takes a file without them), or split it`;

/** The outcome for a text that was not read: one error, no tree. */
function notRead(text: string, error: NixSyntaxError): ParseOutcome {
  return { result: { text, root: undefined, errors: [error] }, parsedText: text };
}

/** Takes `tree` (the parse of `text`): frees it if the outcome holds another one. */
function recoverAndConvert(loaded: LoadedGrammar, text: string, tree: Tree): ParseOutcome {
  const raw = copyTree(loaded, tree.rootNode, text, text.length);
  if (!collapsedIntoError(raw)) return { result: convertSourceFile(text, raw), tree, parsedText: text };

  // An unclosed `{` made tree-sitter give up on the structure: retry with the missing closers appended.
  const { closers, unclosed } = closersForUnclosed(text);
  if (closers === '') return { result: convertSourceFile(text, raw), tree, parsedText: text };
  const repairedText = text + closers;
  const repairedTree = parseWithinBudget(loaded, repairedText, undefined);
  if (!repairedTree) return { result: convertSourceFile(text, raw), tree, parsedText: text };
  let repaired: NixSyntaxTree | undefined;
  try {
    const repairedRaw = copyTree(loaded, repairedTree.rootNode, repairedText, text.length);
    if (!collapsedIntoError(repairedRaw)) {
      const openerErrors: NixSyntaxError[] = unclosed.map((delimiter) => ({
        start: delimiter.offset,
        end: delimiter.offset + delimiter.opener.length,
        message: `Nix syntax error: \`${delimiter.opener}\` is never closed`,
      }));
      repaired = convertSourceFile(text, repairedRaw, openerErrors);
    }
  } catch (error) {
    repairedTree.delete();
    throw error;
  }
  if (!repaired) {
    repairedTree.delete();
    return { result: convertSourceFile(text, raw), tree, parsedText: text };
  }
  tree.delete();
  return { result: repaired, tree: repairedTree, parsedText: repairedText };
}

/** The parse of `text`, or undefined when it ran past MAX_NIX_PARSE_MS (and was cancelled). */
function parseWithinBudget(loaded: LoadedGrammar, text: string, oldTree: Tree | undefined): Tree | undefined {
  const deadline = performance.now() + MAX_NIX_PARSE_MS;
  // Returning true cancels the parse (the typings say void; the runtime reads the result).
  const progressCallback = ((): boolean => performance.now() > deadline) as () => void;
  const tree = loaded.parser.parse(text, oldTree ?? null, { progressCallback });
  if (tree) return tree;
  // Cancelled: a cancelled parse would otherwise resume on the next call instead of starting over.
  loaded.parser.reset();
  return undefined;
}

function collapsedIntoError(root: RawNode): boolean {
  return root.children.some((child) => child.type === 'ERROR');
}

/**
 * Copies the tree-sitter tree into plain objects. Reading a node crosses into wasm per property, so this walks the
 * tree with one cursor (no wasm Node object per child) and reads only the type id, the offsets, and `isMissing`
 * for empty nodes. Nodes that start at or after `limit` belong to recovery closers and are marked missing.
 */
function copyTree(loaded: LoadedGrammar, root: TreeSitterNode, text: string, limit: number): RawNode {
  const { typeNames, namedTypes } = loaded;
  const checkMissing = root.hasError;
  const cursor = root.walk();
  const copy = (): RawNode => {
    const typeId = cursor.nodeTypeId;
    const start = cursor.startIndex;
    const named = namedTypes[typeId] ?? true;
    const typeName = typeNames[typeId] ?? 'ERROR';
    // An anonymous token is its own text (`{`, `in`, `${`): its end needs no wasm call, unless it may be MISSING.
    const end = named || checkMissing ? cursor.endIndex : start + typeName.length;
    const missing = start >= limit || (checkMissing && start === end && cursor.nodeIsMissing);
    const raw: RawNode = { type: typeName, named, start: Math.min(start, limit), end: Math.min(end, limit), missing, children: [] };
    // Zero-width nodes are only worth descending into when they may hold a MISSING node.
    if (missing || (start === end && !checkMissing)) return raw;
    // A string without `${` needs no children: its text is decoded from the source (the bulk of a module's nodes).
    const plainString = STRING_TYPES.has(typeName) && !text.slice(start, end).includes('${') && !(checkMissing && cursor.currentNode.hasError);
    // What is inside `${…}` never matters (see NixInterpolation), so in a tree without errors its span is enough;
    // with errors, descend to find the MISSING and ERROR nodes.
    const opaqueInterpolation = typeName === 'interpolation' && !checkMissing;
    if (STRING_TYPES.has(typeName) && !plainString && !checkMissing) {
      // Of a string with `${`, only the interpolations' spans are read; its delimiters and fragments come from the text.
      if (cursor.gotoFirstChild()) {
        do {
          if (typeNames[cursor.nodeTypeId] === 'interpolation') raw.children.push({ type: 'interpolation', named: true, start: cursor.startIndex, end: cursor.endIndex, missing: false, children: [] });
        } while (cursor.gotoNextSibling());
        cursor.gotoParent();
      }
      return raw;
    }
    if (!LEAF_TYPES.has(typeName) && !plainString && !opaqueInterpolation && cursor.gotoFirstChild()) {
      do raw.children.push(copy());
      while (cursor.gotoNextSibling());
      cursor.gotoParent();
    }
    return raw;
  };
  try {
    return copy();
  } finally {
    cursor.delete();
  }
}

const STRING_TYPES = new Set(['string_expression', 'indented_string_expression']);

/** Node types whose children are never needed (their text is read from the source). */
const LEAF_TYPES = new Set(['identifier', 'integer_expression', 'float_expression', 'string_fragment', 'escape_sequence', 'dollar_escape', 'path_fragment', 'spath_expression', 'uri_expression', 'comment', 'ellipses']);

/** The edit that turns `before` into `after`, from their common prefix and suffix. */
function editBetween(before: string, after: string): Parameters<Tree['edit']>[0] {
  const maxPrefix = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < maxPrefix && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  const maxSuffix = maxPrefix - prefix;
  while (suffix < maxSuffix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  const oldEnd = before.length - suffix;
  const newEnd = after.length - suffix;
  return {
    startIndex: prefix,
    oldEndIndex: oldEnd,
    newEndIndex: newEnd,
    startPosition: pointAt(before, prefix),
    oldEndPosition: pointAt(before, oldEnd),
    newEndPosition: pointAt(after, newEnd),
  };
}

function pointAt(text: string, offset: number): { row: number; column: number } {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}
