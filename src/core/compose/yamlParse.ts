import { Document, parseDocument, visit, YAMLParseError, type Node } from 'yaml';
import { location } from '../text';
import type { FileContext, MapEntry, MapNode, ComposeNode } from './nodes';
import { readComposeBlockDirect, readComposeYamlDirect } from './yamlDirect';
import { splitComposeBlocks, type TextBlock } from './yamlBlocks';
import { MAX_ALIAS_EXPANSIONS, MAX_EXPANDED_FILE_CHARS } from './limits';
import {
  blockToNodes,
  documentToNodes,
  DUPLICATE_KEY_MESSAGE,
  noConversionFindings,
  reportKey,
  type AnchorLookup,
  type BlockReferences,
  type ConversionFindings,
  type ForeignAnchor,
} from './yamlToNodes';

/** Duplicate keys are found by the conversion (yamlToNodes.ts): the library's check is quadratic in a map's keys. */
const PARSE_OPTIONS = { merge: true, prettyErrors: false, uniqueKeys: false } as const;

/** A compose file's YAML: its syntax errors (file offsets) and the converted top-level node (none when empty). */
export interface ParsedComposeYaml {
  errors: { start: number; end: number; message: string }[];
  root: ComposeNode | undefined;
  findings: ConversionFindings;
}

/** One block converted on its own: its top map's single entry, the map, and what the conversion found. */
export interface BlockConversion {
  entry: MapEntry;
  map: MapNode;
  findings: ConversionFindings;
  references: BlockReferences;
  /**
   * The block's document and the anchors it defines, in order: the blocks after it may alias them. A block the
   * direct reader read (yamlDirect.ts) has no document, and no anchors.
   */
  doc: Document | undefined;
  anchors: { name: string; node: Node }[];
}

/** The anchors defined before a block, for its aliases. */
export interface AnchorsBefore {
  lookup: AnchorLookup;
  /**
   * Names the anchors defined before the block (their blocks' documents and places): a conversion that looked one
   * up stays valid while this is the same.
   */
  key: string;
}

/** Converts a block for `parseByBlocks`; undefined when the block cannot stand alone. */
export type BlockConverter = (block: TextBlock, depth: number, anchors: AnchorsBefore) => BlockConversion | undefined;

interface CachedBlock {
  /** The library's document of the block, parsed when the direct reader declines the block. */
  doc?: Document;
  /**
   * The last conversion, valid for another text while the block sits at the same offset and line — and, when it
   * looked up another block's anchor (or declined), while the anchors before it are the same.
   */
  converted?: { start: number; line: number; depth: number; envKey: string; anchorsKey: string; result: BlockConversion | undefined };
}

/**
 * The parsed blocks of each file's last text (yamlBlocks.ts). A file is parsed whole the first time it is read;
 * once it is read again (it is being edited) it is parsed block by block: a block whose text is unchanged keeps its
 * parsed document, and, while it also sits at the same offset and line with the same variables, its converted nodes
 * — so a keystroke re-parses and re-converts one service instead of the file. (A reused node's `ctx` is the older
 * text's: its offsets, lines and variables are the same, which is all a node's context is read for.)
 */
export class ComposeParseCache {
  private readonly byFile = new Map<string, Map<string, CachedBlock>>();

  parse(text: string, ctx: FileContext): ParsedComposeYaml {
    const previous = this.byFile.get(ctx.file);
    const next = new Map<string, CachedBlock>();
    this.byFile.set(ctx.file, next);
    if (previous) {
      const parsed = parseByBlocks(text, ctx, (block, depth, anchors) => {
        const cached: CachedBlock = previous.get(block.text) ?? next.get(block.text) ?? {};
        next.set(block.text, cached);
        const known = cached.converted;
        if (
          known && known.start === block.start && known.line === block.line && known.depth === depth && known.envKey === ctx.envKey
          && (known.result?.references.readsOtherBlocks === false || known.anchorsKey === anchors.key)
        ) return known.result;
        let result = cached.doc ? undefined : readBlockDirect(ctx, block, depth);
        if (!result) {
          cached.doc ??= parseYaml(block.text);
          result = convertBlock(cached.doc, ctx, block, depth, anchors.lookup);
        }
        cached.converted = { start: block.start, line: block.line, depth, envKey: ctx.envKey, anchorsKey: anchors.key, result };
        return result;
      });
      if (parsed) return parsed;
      next.clear();
    }
    return parseWhole(text, ctx);
  }

  /** Forgets every file (the documents are only worth keeping for files being edited). */
  clear(): void {
    this.byFile.clear();
  }
}

/**
 * Converts a block's document, its aliases resolved in the block first and then through `lookup` (the anchors of
 * the blocks before it); undefined when it has an error, hits the alias limits, or holds anything but one `key:`.
 */
export function convertBlock(doc: Document, ctx: FileContext, block: TextBlock, depth: number, lookup?: AnchorLookup): BlockConversion | undefined {
  if (doc.errors.length > 0) return undefined;
  const { map, findings, references } = blockToNodes(doc, ctx, block.start, depth, lookup);
  if (!map || map.entries.size !== 1 || hitLimitOrDuplicate(findings)) return undefined;
  const [entry] = map.entries.values();
  return entry ? { entry, map, findings, references, doc, anchors: block.text.includes('&') ? anchorsOf(doc) : [] } : undefined;
}

/** A block the direct reader takes, as a conversion (undefined when it declines or the block is not one `key:`). */
export function readBlockDirect(ctx: FileContext, block: TextBlock, depth: number): BlockConversion | undefined {
  const read = readComposeBlockDirect(block, ctx, depth);
  if (!read || read.map.entries.size !== 1 || hitLimitOrDuplicate(read.findings)) return undefined;
  const [entry] = read.map.entries.values();
  const references: BlockReferences = { aliasExpansions: 0, expandedChars: read.expandedChars, readsOtherBlocks: false };
  return entry ? { entry, map: read.map, findings: read.findings, references, doc: undefined, anchors: [] } : undefined;
}

/** What only the whole parse reports as it should: a limit (which cuts what follows) or a duplicate key (an error). */
function hitLimitOrDuplicate(findings: ConversionFindings): boolean {
  return findings.aliasLimitHit || findings.depthLimitHit || findings.expansionLimitHit || findings.duplicateKeys.length > 0;
}

/** The anchored nodes of a document, in document order (the order an alias resolves against). */
function anchorsOf(doc: Document): { name: string; node: Node }[] {
  const anchors: { name: string; node: Node }[] = [];
  visit(doc, {
    Node: (_key, node) => {
      if (node.anchor) anchors.push({ name: node.anchor, node });
    },
  });
  return anchors;
}

/**
 * The `yaml` library's parse. Its composer turns its own stack overflow (deep nesting) into an error of the document,
 * but its parser, a chain of generators one per level, lets it escape (20,000 nested `- `): that becomes an empty
 * document with the same error, which readComposeFile reports as nesting too deep.
 */
function parseYaml(text: string): Document {
  try {
    return parseDocument(text, PARSE_OPTIONS);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const doc = new Document(null, PARSE_OPTIONS);
    doc.contents = null;
    doc.errors.push(new YAMLParseError([0, 0], 'IMPOSSIBLE', error.message));
    return doc;
  }
}

/** A number per parsed block document, to name the anchors a block saw (AnchorsBefore.key). */
const documentIds = new WeakMap<Document, number>();
let nextDocumentId = 0;

function documentId(doc: Document): number {
  let id = documentIds.get(doc);
  if (id === undefined) {
    id = nextDocumentId++;
    documentIds.set(doc, id);
  }
  return id;
}

/** Parses the whole text as one document (the CLI's path, and the fallback of the block path). */
export function parseWhole(text: string, ctx: FileContext): ParsedComposeYaml {
  // Most compose files are plain block YAML, which the direct reader reads to the same tree much faster.
  const direct = readComposeYamlDirect(text, ctx);
  if (direct) return { errors: [], root: direct.root, findings: direct.findings };
  return parseWholeWithLibrary(text, ctx);
}

/** The whole parse with the `yaml` library (what the direct reader is held to). */
export function parseWholeWithLibrary(text: string, ctx: FileContext): ParsedComposeYaml {
  const doc = parseYaml(text);
  const errors = doc.errors.map((error) => ({ start: error.pos[0], end: Math.max(error.pos[0], error.pos[1]), message: error.message }));
  if (doc.contents === null || doc.contents === undefined) {
    return { errors, root: undefined, findings: noConversionFindings() };
  }
  const { root, findings } = documentToNodes(doc, ctx);
  if (findings.duplicateKeys.length === 0) return { errors, root, findings };
  // Where the library would have put them (with `uniqueKeys`): among its errors, in text order.
  const duplicates = findings.duplicateKeys.map((start) => ({ start, end: start + 1, message: DUPLICATE_KEY_MESSAGE }));
  return { errors: [...errors, ...duplicates].sort((a, b) => a.start - b.start), root, findings };
}

/**
 * Parses the text block by block and assembles the same tree the whole parse gives; undefined when the text cannot
 * be split or a block shows something a split could change (an error, a duplicate key, the alias limits), so that
 * the caller parses the whole text and reports exactly what YAML reports for it.
 *
 * An alias may name an anchor of an earlier block (`x-common: &common` … `<<: *common`): it is resolved the way the
 * whole document resolves it (the last anchor of that name before it) and converted in the block that defines it,
 * and a variable such an anchor holds is reported once, as in the whole parse.
 */
export function parseByBlocks(text: string, ctx: FileContext, convert: BlockConverter): ParsedComposeYaml | undefined {
  const blocks = splitComposeBlocks(text);
  if (!blocks) return undefined;
  const findings = noConversionFindings();
  const reported = new Set<string>();
  const defined: { name: string; blockIndex: number; anchor: ForeignAnchor }[] = [];
  const lookupBefore = (blockIndex: number): AnchorLookup => (name) => {
    for (let i = defined.length - 1; i >= 0; i--) {
      const candidate = defined[i];
      if (candidate && candidate.blockIndex < blockIndex && candidate.name === name) return candidate.anchor;
    }
    return undefined;
  };
  let anchorsKey = '';
  let blockIndex = 0;
  let aliasExpansions = 0;
  let expandedChars = 0;
  const convertNext = (block: TextBlock, depth: number): BlockConversion | undefined => {
    const index = blockIndex++;
    const conversion = convert(block, depth, { lookup: lookupBefore(index), key: anchorsKey });
    if (!conversion) return undefined;
    aliasExpansions += conversion.references.aliasExpansions;
    expandedChars += conversion.references.expandedChars;
    // The whole parse counts every expansion against one limit: past it, only the whole parse says what is cut (and
    // the other blocks need not be converted first).
    if (aliasExpansions > MAX_ALIAS_EXPANSIONS || expandedChars > MAX_EXPANDED_FILE_CHARS) return undefined;
    if (conversion.anchors.length > 0 && conversion.doc) {
      const lookup = lookupBefore(index);
      for (const { name, node } of conversion.anchors) defined.push({ name, blockIndex: index, anchor: { node, doc: conversion.doc, base: block.start, lookup } });
      anchorsKey += `|${documentId(conversion.doc)}@${block.start}:${block.line}`;
    }
    return conversion;
  };
  const take = (conversion: BlockConversion): BlockConversion => {
    // An anchor's variable is reported by its own block; an alias in a later block repeats it.
    for (const variable of conversion.findings.unresolved) {
      const key = reportKey('u', variable.name, variable.loc);
      if (!reported.has(key)) {
        reported.add(key);
        findings.unresolved.push(variable);
      }
    }
    for (const error of conversion.findings.interpolationErrors) {
      const key = reportKey('e', error.message, error.loc);
      if (!reported.has(key)) {
        reported.add(key);
        findings.interpolationErrors.push(error);
      }
    }
    for (const limit of conversion.findings.interpolationLimits) {
      const key = reportKey('l', limit.message, limit.loc);
      if (!reported.has(key)) {
        reported.add(key);
        findings.interpolationLimits.push(limit);
      }
    }
    return conversion;
  };

  const rootEntries = new Map<string, MapEntry>();
  let rootStart: number | undefined;
  let rootEnd = 0;
  for (const block of blocks) {
    let found: { entry: MapEntry; map: MapNode } | undefined;
    if (block.services) {
      // The root map is at depth 0, `services` at 1, each service's map at 2: as in the whole parse.
      const services = new Map<string, MapEntry>();
      let start: number | undefined;
      let end = 0;
      for (const serviceBlock of block.services) {
        const service = convertNext(serviceBlock, 1);
        if (!service || services.has(service.entry.key)) return undefined;
        take(service);
        services.set(service.entry.key, service.entry);
        start ??= service.map.start;
        end = service.map.end;
      }
      const servicesStart = start ?? block.start;
      const value: MapNode = { kind: 'map', ctx, loc: location(ctx.file, ctx.index, servicesStart, end), start: servicesStart, end, entries: services };
      const keyEnd = block.start + 'services'.length;
      const map: MapNode = { kind: 'map', ctx, loc: location(ctx.file, ctx.index, block.start, end), start: block.start, end, entries: new Map() };
      found = { entry: { key: 'services', keyLoc: location(ctx.file, ctx.index, block.start, keyEnd), value }, map };
    } else {
      const conversion = convertNext(block, 0);
      found = conversion && take(conversion);
    }
    if (!found || rootEntries.has(found.entry.key)) return undefined;
    rootEntries.set(found.entry.key, found.entry);
    rootStart ??= found.map.start;
    rootEnd = found.map.end;
  }
  const start = rootStart ?? 0;
  const root: MapNode = { kind: 'map', ctx, loc: location(ctx.file, ctx.index, start, rootEnd), start, end: rootEnd, entries: rootEntries };
  return { errors: [], root, findings };
}
