import { isAlias, isMap, isPair, isScalar, isSeq, visit, type Alias, type Document, type Node, type Pair, type Scalar } from 'yaml';
import { location, type SourceLocation } from '../text';
import type { UnresolvedVariable } from './model';
import { interpolate } from './interpolate';
import { MAX_ALIAS_EXPANSIONS, MAX_EXPANDED_FILE_CHARS, MAX_YAML_DEPTH } from './limits';
import { nullScalar, rawSubLocation, type ComposeNode, type FileContext, type MapEntry, type MapNode, type ScalarNode } from './nodes';

/** What converting one file found besides the tree. */
export interface ConversionFindings {
  unresolved: UnresolvedVariable[];
  /** Malformed `${…}` references: Compose refuses the file. */
  interpolationErrors: { message: string; loc: SourceLocation }[];
  /** Interpolations cut at a limit of interpolate.ts (defaults nested too deeply, a value too long). */
  interpolationLimits: { message: string; loc: SourceLocation }[];
  /** Set when alias expansion hit MAX_ALIAS_EXPANSIONS (an alias bomb, or anchors merged very many times). */
  aliasLimitHit: boolean;
  /** Set when values nest deeper than MAX_YAML_DEPTH (aliases included): the deeper ones were cut. */
  depthLimitHit: boolean;
  /** Set when interpolated values add up to MAX_EXPANDED_FILE_CHARS: later ones are left uninterpolated. */
  expansionLimitHit: boolean;
  /**
   * File offsets of map keys that repeat an earlier key of their map. YAML forbids them; the `yaml` library's own
   * check compares every key with every earlier one (quadratic: 51 s for a 64,000-key map), so it is done here.
   */
  duplicateKeys: number[];
}

export function noConversionFindings(): ConversionFindings {
  return { unresolved: [], interpolationErrors: [], interpolationLimits: [], aliasLimitHit: false, depthLimitHit: false, expansionLimitHit: false, duplicateKeys: [] };
}

/** The `yaml` library's message for a duplicate key (it reports them itself with `uniqueKeys`). */
export const DUPLICATE_KEY_MESSAGE = 'Map keys must be unique';

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
  /** Characters of interpolated values, counted as the whole parse counts them (its limit applies to the sum). */
  expandedChars: number;
  /** Whether an alias was looked up in the blocks before (it is not defined before it in its own block). */
  readsOtherBlocks: boolean;
}

/** The key a variable or a malformed reference is reported under once, however many aliases repeat it. */
export function reportKey(kind: 'u' | 'e' | 'l', what: string, loc: SourceLocation): string {
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
  const { findings, aliasExpansions, expandedChars, readsOtherBlocks } = converter.state;
  return { map, findings, references: { aliasExpansions, expandedChars, readsOtherBlocks } };
}

/** Shared by a block's converter and the converters of the other blocks' anchors it expands. */
interface ConversionState extends ScalarState {
  /** Aliases met plus the nodes converted inside an alias's expansion (copies of the anchored node). */
  aliasExpansions: number;
  /** How many alias expansions enclose the node being converted. */
  expanding: number;
  readsOtherBlocks: boolean;
}

function newState(): ConversionState {
  return { findings: noConversionFindings(), aliasExpansions: 0, expanding: 0, expandedChars: 0, readsOtherBlocks: false, reported: new Set() };
}

/**
 * Every alias of a document with the node it names: the last node anchored with its name before it, in document
 * order (as `Alias.resolve` finds it — but that walks the whole document on every call, which made a file of 1,600
 * `<<: *common` services take seconds). Built in one walk per document, on its first alias.
 */
const aliasTargetsByDocument = new WeakMap<Document, Map<Alias, Node | undefined>>();

function resolveAlias(doc: Document, alias: Alias): Node | undefined {
  let targets = aliasTargetsByDocument.get(doc);
  if (!targets) {
    const found = new Map<Alias, Node | undefined>();
    const latest = new Map<string, Node>();
    try {
      visit(doc, {
        Node: (_key, node) => {
          if (isAlias(node)) found.set(node, latest.get(node.source));
          else if (node.anchor) latest.set(node.anchor, node);
        },
      });
    } catch (error) {
      // The walk recurses: a document nested too deeply for it leaves its later aliases unresolved.
      if (!(error instanceof RangeError)) throw error;
    }
    targets = found;
    aliasTargetsByDocument.set(doc, targets);
  }
  return targets.get(alias);
}

/** What a scalar's conversion reads and adds to: shared by the conversion of one file or block (and its aliases). */
export interface ScalarState {
  findings: ConversionFindings;
  expandedChars: number;
  reported: Set<string>;
}

/** A YAML scalar as read: its string (`1000` for the number), whether it is null or a string, and whether quoted. */
export interface ScalarReading {
  raw: string;
  isNull: boolean;
  isString: boolean;
  quoted: boolean;
}

/**
 * The node of a scalar at [start, end) of the file, its strings interpolated: the one conversion of a scalar, for
 * the `yaml` library's documents (Converter) and for the direct reader (yamlDirect.ts).
 */
export function scalarNode(ctx: FileContext, start: number, end: number, reading: ScalarReading, state: ScalarState, tag: { tag?: string } = {}): ScalarNode {
  const { raw, isNull, isString } = reading;
  const quote = reading.quoted ? 1 : 0;
  const scalar: ScalarNode = {
    kind: 'scalar',
    ctx,
    loc: location(ctx.file, ctx.index, start, end),
    start,
    end,
    raw,
    value: raw,
    isNull,
    isString,
    substitutions: [],
    ...tag,
  };
  if (!isNull && ctx.index.text.slice(start + quote, end - quote) === raw) scalar.rawStart = start + quote;
  if (isString && raw.includes('$')) interpolateScalar(scalar, state);
  return scalar;
}

function interpolateScalar(scalar: ScalarNode, state: ScalarState): void {
  if (state.expandedChars > MAX_EXPANDED_FILE_CHARS) {
    // Past the file's budget (a long value repeated by aliases): the rest is read as written.
    state.findings.expansionLimitHit = true;
    return;
  }
  const result = interpolate(scalar.raw, scalar.ctx.env);
  state.expandedChars += result.value.length;
  scalar.value = result.value;
  scalar.substitutions = result.substitutions;
  for (const reference of result.unresolved) {
    const loc = rawSubLocation(scalar, reference.start, reference.end);
    // An aliased scalar is converted once per alias: report its variables once.
    const key = reportKey('u', reference.name, loc);
    if (state.reported.has(key)) continue;
    state.reported.add(key);
    state.findings.unresolved.push({ name: reference.name, loc });
  }
  for (const error of result.errors) {
    // `${VAR:?message}` with VAR unset is Compose's own check (and the norm when .env holds secrets kept out of
    // the repository): not a problem of the file. Only malformed references are, and the limits this reader hit.
    if (error.kind === 'required') continue;
    const loc = rawSubLocation(scalar, error.start, error.end);
    const key = reportKey(error.kind === 'invalid' ? 'e' : 'l', error.message, loc);
    if (state.reported.has(key)) continue;
    state.reported.add(key);
    if (error.kind === 'invalid') state.findings.interpolationErrors.push({ message: error.message, loc });
    else state.findings.interpolationLimits.push({ message: error.message, loc });
  }
}

/** A map node at [start, end) of the file. */
export function mapNode(ctx: FileContext, start: number, end: number, entries: Map<string, MapEntry>, tag: { tag?: string } = {}): MapNode {
  return { kind: 'map', ctx, loc: location(ctx.file, ctx.index, start, end), start, end, entries, ...tag };
}

class Converter {
  constructor(
    private readonly doc: Document,
    private readonly ctx: FileContext,
    /** Offset in the file of the text the document was parsed from. */
    private readonly base: number,
    /** Anchors of the blocks before this one, when the document is one block of the file. */
    private readonly lookup: AnchorLookup | undefined = undefined,
    readonly state: ConversionState = newState(),
  ) {}

  get findings(): ConversionFindings {
    return this.state.findings;
  }

  convert(node: unknown, fallbackOffset: number, depth: number): ComposeNode {
    if (depth > MAX_YAML_DEPTH) {
      this.findings.depthLimitHit = true;
      return nullScalar(this.ctx, fallbackOffset, fallbackOffset);
    }
    // The work of an alias bomb is in its copies: every node converted inside an expansion counts.
    if (isAlias(node) || this.state.expanding > 0) {
      this.state.aliasExpansions++;
      if (this.state.aliasExpansions > MAX_ALIAS_EXPANSIONS) {
        this.findings.aliasLimitHit = true;
        const [start, end] = typeof node === 'object' && node !== null ? this.rangeOf(node as Node, fallbackOffset) : [fallbackOffset, fallbackOffset];
        return nullScalar(this.ctx, start, end);
      }
    }
    if (isAlias(node)) {
      const at = this.rangeOf(node, fallbackOffset)[0];
      const target = resolveAlias(this.doc, node);
      this.state.expanding++;
      try {
        if (target === undefined && this.lookup) {
          // Not defined before it in this block: the blocks before decide, even when none defines it (yet).
          this.state.readsOtherBlocks = true;
          const foreign = this.lookup(node.source);
          // Converted where it was parsed, as the whole parse converts it in place.
          if (foreign) return new Converter(foreign.doc, this.ctx, foreign.base, foreign.lookup, this.state).convert(foreign.node, at, depth + 1);
        }
        return this.convert(target, at, depth + 1);
      } finally {
        this.state.expanding--;
      }
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
    const quoted = node.type === 'QUOTE_SINGLE' || node.type === 'QUOTE_DOUBLE';
    return scalarNode(this.ctx, start, end, { raw, isNull, isString, quoted }, this.state, tagOf(node));
  }

  convertMap(pairs: readonly unknown[], node: Node | undefined, fallbackOffset: number, depth: number): MapNode {
    const [start, end] = node ? this.rangeOf(node, fallbackOffset) : [fallbackOffset, fallbackOffset];
    const entries = new Map<string, MapEntry>();
    const mergeSources: ComposeNode[] = [];
    // Key values as YAML compares them (`1` and `"1"` differ); the merge key is a symbol, equal to itself.
    const keyValues = new Set<unknown>();
    for (const item of pairs) {
      if (!isPair(item)) continue;
      const pair = item as Pair;
      const key = pair.key;
      if (!isScalar(key)) continue;
      const [keyStart, keyEnd] = this.rangeOf(key as Node, start);
      if (keyValues.has(key.value)) this.reportDuplicateKey(keyStart);
      else keyValues.add(key.value);
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
    return mapNode(this.ctx, start, end, entries, node ? tagOf(node) : {});
  }

  private reportDuplicateKey(offset: number): void {
    // A map copied by aliases repeats its duplicates: once is enough.
    const key = `d:${offset}`;
    if (this.state.reported.has(key)) return;
    this.state.reported.add(key);
    this.findings.duplicateKeys.push(offset);
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
