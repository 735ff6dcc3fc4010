import { location, type LineIndex, type SourceLocation } from '../text';
import type { Located, Substitution } from './model';
import { interpolate, type EnvLookup, type InterpolationResult } from './interpolate';

/**
 * A compose file as a small tree of located, already-interpolated nodes. Compose merges override files and
 * resolves `extends` on the YAML tree before it reads any field, so we do the same on this tree; every leaf keeps
 * the file and range the user wrote it at, whichever file it came from.
 */
export type ComposeNode = ScalarNode | MapNode | SeqNode;

/** What every node of one file shares. */
export interface FileContext {
  /** Absolute path of the compose file. */
  file: string;
  /** Its folder: relative paths written in this file resolve against it. */
  dir: string;
  index: LineIndex;
  /** Variables for interpolation (the stack's .env plus extra values). */
  env: EnvLookup;
  /** Equal for contexts whose `env` was read from the same texts (see ComposeEnvironment.key). */
  envKey: string;
}

interface NodeBase {
  ctx: FileContext;
  loc: SourceLocation;
  /** Offsets of the node in its file's text. */
  start: number;
  end: number;
  /** A YAML tag such as `!reset` or `!override`, which change how overrides merge. */
  tag?: string;
}

export interface ScalarNode extends NodeBase {
  kind: 'scalar';
  /** The string as YAML read it, before interpolation (`1000` for the number 1000). */
  raw: string;
  /** The string after interpolation (equal to `raw` for numbers and booleans, which Compose does not interpolate). */
  value: string;
  /** YAML null (`key:` or `~`). */
  isNull: boolean;
  /** True when YAML read a string (plain or quoted); false for numbers, booleans and null. */
  isString: boolean;
  substitutions: Substitution[];
  /**
   * Offset in the file of `raw[0]` when `raw` appears verbatim in the source (plain or simply quoted scalars),
   * so sub-ranges (`1000` in `PUID=1000`, `${VAR}` in a path) can be pointed at exactly.
   */
  rawStart?: number;
}

export interface MapEntry {
  key: string;
  keyLoc: SourceLocation;
  value: ComposeNode;
}

export interface MapNode extends NodeBase {
  kind: 'map';
  entries: Map<string, MapEntry>;
}

export interface SeqNode extends NodeBase {
  kind: 'seq';
  items: ComposeNode[];
}

/** The child of a map, or undefined. */
export function child(node: ComposeNode | undefined, key: string): ComposeNode | undefined {
  return node?.kind === 'map' ? node.entries.get(key)?.value : undefined;
}

/** The scalar child of a map that is not null, or undefined. */
export function scalarChild(node: ComposeNode | undefined, key: string): ScalarNode | undefined {
  const value = child(node, key);
  return value?.kind === 'scalar' && !value.isNull ? value : undefined;
}

/** The interpolated value as a Located, with `raw`/`substitutions` only when interpolation changed something. */
export function toLocated(node: ScalarNode): Located<string> {
  const located: Located<string> = { value: node.value, loc: node.loc };
  if (node.raw !== node.value) located.raw = node.raw;
  if (node.substitutions.length > 0) located.substitutions = node.substitutions;
  return located;
}

/** Location of raw[from, to) — exact when the raw text appears verbatim in the source, else the whole scalar. */
export function rawSubLocation(node: ScalarNode, from: number, to: number): SourceLocation {
  if (node.rawStart === undefined) return node.loc;
  return location(node.ctx.file, node.ctx.index, node.rawStart + from, node.rawStart + to);
}

/**
 * A scalar standing for raw[from, to) of `node` (the `1000` of `PUID=1000`, the gid of `1000:110`), interpolated
 * on its own so its substitutions belong to that part only.
 */
export function sliceScalar(node: ScalarNode, from: number, to: number): ScalarNode {
  const raw = node.raw.slice(from, to);
  const expanded: InterpolationResult = node.isString ? interpolate(raw, node.ctx.env) : plain(raw);
  const exact = node.rawStart !== undefined;
  const slice: ScalarNode = {
    kind: 'scalar',
    ctx: node.ctx,
    loc: rawSubLocation(node, from, to),
    start: exact ? (node.rawStart ?? 0) + from : node.start,
    end: exact ? (node.rawStart ?? 0) + to : node.end,
    raw,
    value: expanded.value,
    isNull: false,
    isString: node.isString,
    substitutions: expanded.substitutions,
  };
  if (exact) slice.rawStart = (node.rawStart ?? 0) + from;
  return slice;
}

/** A null scalar placed at a location (for `KEY` list items and `key:` with no value). */
export function nullScalar(ctx: FileContext, start: number, end: number): ScalarNode {
  return {
    kind: 'scalar',
    ctx,
    loc: location(ctx.file, ctx.index, start, end),
    start,
    end,
    raw: '',
    value: '',
    isNull: true,
    isString: false,
    substitutions: [],
  };
}

/** Index of the first `sep` in raw that is not inside a `${…}` reference, or -1. */
export function indexOutsideReferences(raw: string, sep: string): number {
  let depth = 0;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch === '$' && raw[i + 1] === '{') {
      depth++;
      i++;
    } else if (ch === '}' && depth > 0) {
      depth--;
    } else if (ch === sep && depth === 0) {
      return i;
    }
  }
  return -1;
}

function plain(raw: string): InterpolationResult {
  return { value: raw, substitutions: [], unresolved: [], errors: [] };
}

/** A short human name for a node's kind, for problem messages ("found a list"). */
export function describeNode(node: ComposeNode): string {
  if (node.kind === 'map') return 'a map';
  if (node.kind === 'seq') return 'a list';
  if (node.isNull) return 'nothing';
  if (!node.isString && /^[-+]?(\.?[0-9]|0x|0o)/i.test(node.raw)) return `a number (${node.raw})`;
  if (!node.isString && /^(true|false)$/i.test(node.raw)) return `a boolean (${node.raw})`;
  return `a string (${JSON.stringify(truncate(node.raw))})`;
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}
