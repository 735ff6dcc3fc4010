import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node, type Pair, type Scalar } from 'yaml';
import { location, type SourceLocation } from '../text';
import type { UnresolvedVariable } from './model';
import { interpolate } from './interpolate';
import { nullScalar, rawSubLocation, type ComposeNode, type FileContext, type MapEntry, type MapNode, type ScalarNode } from './nodes';

/** What converting one file found besides the tree. */
export interface ConversionFindings {
  unresolved: UnresolvedVariable[];
  /** Malformed `${…}` references: Compose refuses the file. */
  interpolationErrors: { message: string; loc: SourceLocation }[];
  /** Set when alias expansion hit its limits (a self-referencing or exponential anchor). */
  aliasLimitHit: boolean;
}

export function noConversionFindings(): ConversionFindings {
  return { unresolved: [], interpolationErrors: [], aliasLimitHit: false };
}

/** An alias bomb (`&a [*a, *a]` nested) must not hang the language server; real files use a handful of aliases. */
export const MAX_ALIAS_EXPANSIONS = 10_000;
const MAX_DEPTH = 64;

/**
 * An anchor defined in an earlier block of the file (yamlParse.ts parses blocks alone): its node, the document and
 * file offset of the block it was parsed in, and the anchors as seen from that block (for aliases inside it).
 */
export interface ForeignAnchor {
  node: Node;
  doc: Document;
  base: number;
  lookup: AnchorLookup;
}

/** The last anchor of that name defined before a block, in the blocks before it. */
export type AnchorLookup = (name: string) => ForeignAnchor | undefined;

/** What converting one block needs to say besides its nodes. */
export interface BlockReferences {
  /** Alias expansions, counted as the whole parse counts them (its limit applies to the sum). */
  aliasExpansions: number;
  /** Whether an alias was looked up in the blocks before (it is not defined before it in its own block). */
  readsOtherBlocks: boolean;
}

/** The key a variable or a malformed reference is reported under once, however many aliases repeat it. */
export function reportKey(kind: 'u' | 'e', what: string, loc: SourceLocation): string {
  return `${kind}:${what}:${loc.range.start.line}:${loc.range.start.character}`;
}

/**
 * Converts a parsed YAML document to the located node tree, interpolating every string value with the file's
 * environment. Aliases and `<<` merge keys are expanded (leaves keep the anchor's location, where the text is).
 * Works on documents with syntax errors: whatever the parser recovered is converted.
 */
export function documentToNodes(doc: Document, ctx: FileContext): { root: ComposeNode; findings: ConversionFindings } {
  const converter = new Converter(doc, ctx, 0);
  const root = converter.convert(doc.contents, 0, 0);
  return { root, findings: converter.findings };
}

/**
 * Converts a document parsed from one block of the file (yamlBlocks.ts): `base` is the block's offset in the file,
 * `depth` the nesting of the block's top map in the whole file. Its top map's pairs are returned with file offsets.
 */
export function blockToNodes(
  doc: Document,
  ctx: FileContext,
  base: number,
  depth: number,
  lookup?: AnchorLookup,
): { map: MapNode | undefined; findings: ConversionFindings; references: BlockReferences } {
  const converter = new Converter(doc, ctx, base, lookup);
  const contents = doc.contents;
  const map = isMap(contents) ? converter.convertMap(contents.items, contents as Node, base, depth) : undefined;
  const { findings, aliasExpansions, readsOtherBlocks } = converter.state;
  return { map, findings, references: { aliasExpansions, readsOtherBlocks } };
}

/** Shared by a block's converter and the converters of the other blocks' anchors it expands. */
interface ConversionState {
  findings: ConversionFindings;
  aliasExpansions: number;
  readsOtherBlocks: boolean;
  reported: Set<string>;
}

class Converter {
  constructor(
    private readonly doc: Document,
    private readonly ctx: FileContext,
    /** Offset in the file of the text the document was parsed from. */
    private readonly base: number,
    /** Anchors of the blocks before this one, when the document is one block of the file. */
    private readonly lookup: AnchorLookup | undefined = undefined,
    readonly state: ConversionState = { findings: noConversionFindings(), aliasExpansions: 0, readsOtherBlocks: false, reported: new Set() },
  ) {}

  get findings(): ConversionFindings {
    return this.state.findings;
  }

  convert(node: unknown, fallbackOffset: number, depth: number): ComposeNode {
    if (depth > MAX_DEPTH) {
      this.findings.aliasLimitHit = true;
      return nullScalar(this.ctx, fallbackOffset, fallbackOffset);
    }
    if (isAlias(node)) {
      this.state.aliasExpansions++;
      if (this.state.aliasExpansions > MAX_ALIAS_EXPANSIONS) {
        this.findings.aliasLimitHit = true;
        const [start, end] = this.rangeOf(node, fallbackOffset);
        return nullScalar(this.ctx, start, end);
      }
      const at = this.rangeOf(node, fallbackOffset)[0];
      const target = node.resolve(this.doc);
      if (target === undefined && this.lookup) {
        // Not defined before it in this block: the blocks before decide, even when none defines it (yet).
        this.state.readsOtherBlocks = true;
        const foreign = this.lookup(node.source);
        // Converted where it was parsed, as the whole parse converts it in place.
        if (foreign) return new Converter(foreign.doc, this.ctx, foreign.base, foreign.lookup, this.state).convert(foreign.node, at, depth + 1);
      }
      return this.convert(target, at, depth + 1);
    }
    if (isScalar(node)) return this.convertScalar(node, fallbackOffset);
    if (isMap(node)) return this.convertMap(node.items, node as Node, fallbackOffset, depth);
    if (isSeq(node)) {
      const [start, end] = this.rangeOf(node as Node, fallbackOffset);
      const items = node.items.map((item) => {
        // `[a: 1]` in a flow sequence is a single-pair map.
        if (isPair(item)) return this.convertMap([item], undefined, start, depth + 1);
        return this.convert(item, end, depth + 1);
      });
      return { kind: 'seq', ctx: this.ctx, loc: this.loc(start, end), start, end, items, ...tagOf(node as Node) };
    }
    return nullScalar(this.ctx, fallbackOffset, fallbackOffset);
  }

  private convertScalar(node: Scalar, fallbackOffset: number): ScalarNode {
    const [start, end] = this.rangeOf(node, fallbackOffset);
    const value: unknown = node.value;
    const isNull = value === null || value === undefined;
    const isString = typeof value === 'string';
    const raw = isNull ? '' : typeof node.source === 'string' && !isString ? node.source : String(value);
    const quote = node.type === 'QUOTE_SINGLE' || node.type === 'QUOTE_DOUBLE' ? 1 : 0;
    const scalar: ScalarNode = {
      kind: 'scalar',
      ctx: this.ctx,
      loc: this.loc(start, end),
      start,
      end,
      raw,
      value: raw,
      isNull,
      isString,
      substitutions: [],
      ...tagOf(node),
    };
    if (!isNull && this.ctx.index.text.slice(start + quote, end - quote) === raw) scalar.rawStart = start + quote;
    if (isString && raw.includes('$')) this.interpolateScalar(scalar);
    return scalar;
  }

  private interpolateScalar(scalar: ScalarNode): void {
    const result = interpolate(scalar.raw, this.ctx.env);
    scalar.value = result.value;
    scalar.substitutions = result.substitutions;
    for (const reference of result.unresolved) {
      const loc = rawSubLocation(scalar, reference.start, reference.end);
      // An aliased scalar is converted once per alias: report its variables once.
      const key = reportKey('u', reference.name, loc);
      if (this.state.reported.has(key)) continue;
      this.state.reported.add(key);
      this.findings.unresolved.push({ name: reference.name, loc });
    }
    for (const error of result.errors) {
      // `${VAR:?message}` with VAR unset is Compose's own check (and the norm when .env holds secrets kept out of
      // the repository): not a problem of the file. Only malformed references are.
      if (error.kind !== 'invalid') continue;
      const loc = rawSubLocation(scalar, error.start, error.end);
      const key = reportKey('e', error.message, loc);
      if (this.state.reported.has(key)) continue;
      this.state.reported.add(key);
      this.findings.interpolationErrors.push({ message: error.message, loc });
    }
  }

  convertMap(pairs: readonly unknown[], node: Node | undefined, fallbackOffset: number, depth: number): MapNode {
    const [start, end] = node ? this.rangeOf(node, fallbackOffset) : [fallbackOffset, fallbackOffset];
    const entries = new Map<string, MapEntry>();
    const mergeSources: ComposeNode[] = [];
    for (const item of pairs) {
      if (!isPair(item)) continue;
      const pair = item as Pair;
      const key = pair.key;
      if (!isScalar(key)) continue;
      const [keyStart, keyEnd] = this.rangeOf(key as Node, start);
      const valueNode = this.convert(pair.value, keyEnd, depth + 1);
      if (isMergeKey(key)) {
        if (valueNode.kind === 'seq') mergeSources.push(...valueNode.items);
        else mergeSources.push(valueNode);
        continue;
      }
      const name = key.value === null || key.value === undefined ? '' : String(key.value);
      // Duplicate keys are reported by the parser; the later one wins here, as in a JS object.
      entries.set(name, { key: name, keyLoc: this.loc(keyStart, keyEnd), value: valueNode });
    }
    // `<<: *base` fills in keys the map does not set itself; with a list, earlier sources win.
    for (const source of mergeSources) {
      if (source.kind !== 'map') continue;
      for (const [name, entry] of source.entries) if (!entries.has(name)) entries.set(name, entry);
    }
    return { kind: 'map', ctx: this.ctx, loc: this.loc(start, end), start, end, entries, ...(node ? tagOf(node) : {}) };
  }

  private loc(start: number, end: number): SourceLocation {
    return location(this.ctx.file, this.ctx.index, start, end);
  }

  /** The node's offsets in the file (`fallbackOffset` is one already). */
  private rangeOf(node: Node, fallbackOffset: number): [number, number] {
    const range = node.range;
    if (!range) return [fallbackOffset, fallbackOffset];
    return [range[0] + this.base, range[1] + this.base];
  }
}

function isMergeKey(key: Scalar): boolean {
  return typeof key.value === 'symbol' || (key.value === '<<' && key.type === 'PLAIN');
}

function tagOf(node: Node): { tag?: string } {
  const tag = node.tag;
  return typeof tag === 'string' && tag.startsWith('!') && !tag.startsWith('!!') ? { tag } : {};
}
