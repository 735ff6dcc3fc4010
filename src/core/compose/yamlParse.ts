import { parseDocument, type Document } from 'yaml';
import { location } from '../text';
import type { FileContext, MapEntry, MapNode, ComposeNode } from './nodes';
import { splitComposeBlocks, type TextBlock } from './yamlBlocks';
import { blockToNodes, documentToNodes, noConversionFindings, type ConversionFindings } from './yamlToNodes';

const PARSE_OPTIONS = { merge: true, prettyErrors: false, uniqueKeys: true } as const;

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
}

/** Converts a block for `parseByBlocks`; undefined when the block cannot stand alone. */
export type BlockConverter = (block: TextBlock, depth: number) => BlockConversion | undefined;

interface CachedBlock {
  doc: Document;
  /** The last conversion, valid for another text while the block sits at the same offset and line. */
  converted?: { start: number; line: number; depth: number; envKey: string; result: BlockConversion | undefined };
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
      const parsed = parseByBlocks(text, ctx, (block, depth) => {
        const cached = previous.get(block.text) ?? next.get(block.text) ?? { doc: parseDocument(block.text, PARSE_OPTIONS) };
        next.set(block.text, cached);
        const known = cached.converted;
        if (known && known.start === block.start && known.line === block.line && known.depth === depth && known.envKey === ctx.envKey) return known.result;
        const result = convertBlock(cached.doc, ctx, block, depth);
        cached.converted = { start: block.start, line: block.line, depth, envKey: ctx.envKey, result };
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

/** Converts a block's document; undefined when it has an error, a reference or anything but one `key:` entry. */
export function convertBlock(doc: Document, ctx: FileContext, block: TextBlock, depth: number): BlockConversion | undefined {
  if (doc.errors.length > 0) return undefined;
  const { map, findings } = blockToNodes(doc, ctx, block.start, depth);
  if (!map || map.entries.size !== 1 || findings.hasReferences || findings.aliasLimitHit) return undefined;
  const [entry] = map.entries.values();
  return entry ? { entry, map, findings } : undefined;
}

/** Parses the whole text as one document (the CLI's path, and the fallback of the block path). */
export function parseWhole(text: string, ctx: FileContext): ParsedComposeYaml {
  const doc = parseDocument(text, PARSE_OPTIONS);
  const errors = doc.errors.map((error) => ({ start: error.pos[0], end: Math.max(error.pos[0], error.pos[1]), message: error.message }));
  if (doc.contents === null || doc.contents === undefined) {
    return { errors, root: undefined, findings: noConversionFindings() };
  }
  const { root, findings } = documentToNodes(doc, ctx);
  return { errors, root, findings };
}

/**
 * Parses the text block by block and assembles the same tree the whole parse gives; undefined when the text cannot
 * be split or a block shows something a split could change (an error, an anchor or alias, a duplicate key), so
 * that the caller parses the whole text and reports exactly what YAML reports for it.
 */
export function parseByBlocks(text: string, ctx: FileContext, convert: BlockConverter): ParsedComposeYaml | undefined {
  const blocks = splitComposeBlocks(text);
  if (!blocks) return undefined;
  const findings = noConversionFindings();
  const take = (conversion: BlockConversion): BlockConversion => {
    findings.unresolved.push(...conversion.findings.unresolved);
    findings.interpolationErrors.push(...conversion.findings.interpolationErrors);
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
        const service = convert(serviceBlock, 1);
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
      const conversion = convert(block, 0);
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
