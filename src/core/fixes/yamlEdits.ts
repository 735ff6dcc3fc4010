/**
 * Compose-file edits as text edits computed from the `yaml` parser's node ranges: the document is never
 * re-stringified, so quotes, flow or block style, indentation and comments stay as the user wrote them.
 */
import { isMap, isPair, isScalar, isSeq, parseDocument, visit, Scalar, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { detectLineEnding } from '../nix/editText';
import { cdiDeviceNames } from '../rules/gpuSupport';
import { LineIndex } from '../text';
import type { TextEdit } from '../edits/model';

export type YamlEditResult = { edits: TextEdit[] } | { error: string };

type Ranged = Node & { range?: [number, number, number] | null };

export interface YamlText {
  text: string;
  lines: LineIndex;
  eol: string;
  edit(start: number, end: number, newText: string): TextEdit;
}

export function yamlText(text: string): YamlText {
  const lines = new LineIndex(text);
  return { text, lines, eol: detectLineEnding(text), edit: (start, end, newText) => ({ range: lines.rangeOf(start, end), newText }) };
}

/**
 * The document to edit, or undefined when it has syntax errors (no fix is offered then). `uniqueKeys` is off: the
 * library's check is quadratic in a map's keys (seconds per code-action request on a pasted file with thousands of
 * keys), and duplicate keys are reported by the analysis itself. The parser's own stack overflow on absurd nesting
 * escapes as a RangeError: such a file gets no fix.
 */
export function parse(text: string): ReturnType<typeof parseDocument> | undefined {
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { keepSourceTokens: true, uniqueKeys: false });
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
  return doc.errors.length > 0 ? undefined : doc;
}

export function rangeOf(node: unknown): [number, number, number] | undefined {
  const range = (node as Ranged | null)?.range;
  return range ?? undefined;
}

/** The outermost node that starts at `offset` (a map and its first key start together: the map wins). */
function nodeAt(doc: ReturnType<typeof parseDocument>, offset: number): Node | undefined {
  let found: Node | undefined;
  visit(doc, {
    Node(_key, node) {
      if (rangeOf(node)?.[0] === offset) {
        found = node;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

export function pairOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((item): item is Pair => isPair(item) && isScalar(item.key) && String(item.key.value) === key);
}

/** The column of `offset` as YAML indentation (spaces). */
export function columnOf(y: YamlText, offset: number): string {
  return ' '.repeat(y.lines.positionAt(offset).character);
}

/** Where a new line goes after a value: the end of the line its last character is on (after a trailing comment). */
export function endOfLastLine(text: string, valueEnd: number): number {
  let offset = valueEnd;
  while (offset > 0 && /\s/.test(text[offset - 1] ?? '')) offset--;
  while (offset < text.length && text[offset] !== '\n' && text[offset] !== '\r') offset++;
  return offset;
}

/** The offset just after the last pair's value (or key, for `key:` with no value). */
export function endOfPair(pair: Pair): number {
  return rangeOf(pair.value)?.[1] ?? rangeOf(pair.key)?.[1] ?? 0;
}

/** Adds a `key: value` pair at the end of a map, in its style. */
function appendPair(y: YamlText, map: YAMLMap, keyValue: string): TextEdit | undefined {
  const pairs = map.items.filter(isPair);
  const last = pairs[pairs.length - 1];
  const firstKeyStart = rangeOf(pairs[0]?.key)?.[0];
  if (!last || firstKeyStart === undefined) return undefined;
  const end = endOfPair(last);
  if (map.flow) return y.edit(end, end, `, ${keyValue}`);
  const at = endOfLastLine(y.text, end);
  return y.edit(at, at, `${y.eol}${columnOf(y, firstKeyStart)}${keyValue}`);
}

function quoted(value: string, style: Scalar.Type | undefined): string {
  return style === Scalar.QUOTE_SINGLE ? `'${value.replace(/'/g, "''")}'` : JSON.stringify(value);
}

/** Replaces a scalar's text, keeping its quotes. */
function replaceScalar(y: YamlText, scalar: Scalar, value: string): TextEdit | undefined {
  const range = rangeOf(scalar);
  if (!range) return undefined;
  const style = scalar.type;
  const text = style === Scalar.QUOTE_DOUBLE || style === Scalar.QUOTE_SINGLE ? quoted(value, style) : value;
  return y.edit(range[0], range[1], text);
}

export function findService(doc: ReturnType<typeof parseDocument>, name: string): YAMLMap | undefined {
  const services = doc.get('services', true);
  if (!isMap(services)) return undefined;
  const service = pairOf(services, name)?.value;
  return isMap(service) ? service : undefined;
}

/** `group_add: ["303"]` for a service (appended to an existing `group_add` in its style). Empty when present. */
export function addGroupAddEdit(text: string, serviceName: string, gid: string): YamlEditResult {
  const doc = parse(text);
  if (!doc) return { error: 'the compose file does not parse; fix its YAML first' };
  const y = yamlText(text);
  const service = findService(doc, serviceName);
  if (!service) return { error: `service \`${serviceName}\` is not declared in this file` };
  const existing = pairOf(service, 'group_add');
  if (!existing) {
    const edit = appendPair(y, service, `group_add: ["${gid}"]`);
    return edit ? { edits: [edit] } : { error: `service \`${serviceName}\` has no keys to add group_add after` };
  }
  const list = existing.value;
  if (!isSeq(list)) return { error: `\`group_add\` of \`${serviceName}\` is not a list` };
  if (list.items.some((item) => isScalar(item) && String(item.value) === gid)) return { edits: [] };
  return appendItem(y, list, gid);
}

/** Appends a string item to a sequence, in its style (flow `[a, b]` or block `- a`). */
function appendItem(y: YamlText, list: YAMLSeq, value: string): YamlEditResult {
  const items = list.items.filter(isScalar);
  const last = items[items.length - 1];
  const item = quoted(value, last?.type);
  const listRange = rangeOf(list);
  if (!listRange) return { error: 'the list has no source range' };
  if (list.flow) {
    const lastEnd = rangeOf(last)?.[1];
    if (lastEnd === undefined) {
      const close = y.text.lastIndexOf(']', listRange[1]);
      return { edits: [y.edit(listRange[0] + 1, close, item)] };
    }
    return { edits: [y.edit(lastEnd, lastEnd, `, ${item}`)] };
  }
  const lastRange = rangeOf(last);
  if (!lastRange) return { error: 'the list is empty' };
  const dash = y.text.lastIndexOf('-', lastRange[0]);
  const at = endOfLastLine(y.text, lastRange[1]);
  return { edits: [y.edit(at, at, `${y.eol}${columnOf(y, dash)}- ${item}`)] };
}

/** The CDI device ids for a reservation: `count: N` → gpu=0…N-1, `all` → gpu=all, ids → nvidia.com/gpu=<id>. */
export function cdiDeviceIds(count: string | undefined, deviceIds: string[] | undefined): string[] | { error: string } {
  return cdiDeviceNames(count, deviceIds);
}

/**
 * Rewrites a `deploy.resources.reservations.devices` entry (the map starting at `entryOffset`) to CDI:
 * `driver: cdi` and `device_ids` (from `count` or the given ids), `count` removed, everything else kept.
 */
export function cdiReservationEdit(text: string, entryOffset: number): YamlEditResult {
  const doc = parse(text);
  if (!doc) return { error: 'the compose file does not parse; fix its YAML first' };
  const entry = nodeAt(doc, entryOffset);
  if (!isMap(entry)) return { error: 'the reservation entry was not found (the file changed?)' };
  return cdiReservationEntryEdit(yamlText(text), entry);
}

/** The edits that turn one reservation entry (a map) into a CDI request; see cdiReservationEdit. */
export function cdiReservationEntryEdit(y: YamlText, entry: YAMLMap): YamlEditResult {
  const { text } = y;
  const driver = pairOf(entry, 'driver');
  const count = pairOf(entry, 'count');
  const ids = pairOf(entry, 'device_ids');
  if (count && ids) return { error: '`count` and `device_ids` are both set; Compose accepts only one of them' };
  const idValues = isSeq(ids?.value) ? ids.value.items.filter(isScalar).map((item) => String(item.value)) : isScalar(ids?.value) ? [String(ids.value.value)] : undefined;
  const wanted = cdiDeviceIds(isScalar(count?.value) ? String(count.value.value) : undefined, idValues);
  if ('error' in wanted) return wanted;
  const flowIds = `[${wanted.map((id) => JSON.stringify(id)).join(', ')}]`;
  const edits: TextEdit[] = [];

  if (driver && isScalar(driver.value)) {
    if (String(driver.value.value) !== 'cdi') {
      const edit = replaceScalar(y, driver.value, 'cdi');
      if (edit) edits.push(edit);
    }
  }
  if (ids) {
    const value = ids.value;
    if (isSeq(value) && !value.flow && value.items.length === wanted.length) {
      value.items.forEach((item, index) => {
        if (isScalar(item) && String(item.value) !== wanted[index]) {
          const edit = replaceScalar(y, item, wanted[index] as string);
          if (edit) edits.push(edit);
        }
      });
    } else {
      const range = rangeOf(value);
      if (range && idValues?.join('\u0000') !== wanted.join('\u0000')) edits.push(y.edit(range[0], range[1], flowIds));
    }
  } else if (count) {
    const start = rangeOf(count.key)?.[0];
    const end = endOfPair(count);
    if (start === undefined) return { error: 'the `count` key has no source range' };
    edits.push(y.edit(start, end, `device_ids: ${flowIds}`));
  } else if (driver) {
    const end = endOfPair(driver);
    const keyStart = rangeOf(driver.key)?.[0] ?? 0;
    edits.push(entry.flow ? y.edit(end, end, `, device_ids: ${flowIds}`) : y.edit(endOfLastLine(text, end), endOfLastLine(text, end), `${y.eol}${columnOf(y, keyStart)}device_ids: ${flowIds}`));
  }
  if (!driver) {
    const firstKey = rangeOf(entry.items.filter(isPair)[0]?.key)?.[0];
    if (firstKey === undefined) return { error: 'the reservation entry is empty' };
    const extra = !ids && !count ? [`device_ids: ${flowIds}`] : [];
    const pairs = ['driver: cdi', ...extra];
    edits.push(entry.flow ? y.edit(firstKey, firstKey, `${pairs.join(', ')}, `) : y.edit(firstKey, firstKey, pairs.map((pair) => `${pair}${y.eol}${columnOf(y, firstKey)}`).join('')));
  }
  return { edits };
}

/**
 * Binds a published port to 127.0.0.1: `"8096:8096"` → `"127.0.0.1:8096:8096"` (quotes kept), a bare container
 * port `"3000"` → `"127.0.0.1::3000"`, the long form gains `host_ip: 127.0.0.1`.
 */
export function bindPortToLocalhostEdit(text: string, portOffset: number): YamlEditResult {
  const doc = parse(text);
  if (!doc) return { error: 'the compose file does not parse; fix its YAML first' };
  const y = yamlText(text);
  const node = nodeAt(doc, portOffset);
  if (isScalar(node)) {
    const range = rangeOf(node);
    if (!range) return { error: 'the port has no source range' };
    const value = String(node.value);
    if (value.startsWith('127.0.0.1:')) return { edits: [] };
    const quotedStyle = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE;
    if (!quotedStyle && node.type !== Scalar.PLAIN) return { error: 'the port is written as a block scalar' };
    const hasHostPort = value.replace(/\/\w+$/, '').includes(':');
    const at = range[0] + (quotedStyle ? 1 : 0);
    return { edits: [y.edit(at, at, hasHostPort ? '127.0.0.1:' : '127.0.0.1::')] };
  }
  if (isMap(node)) {
    if (pairOf(node, 'host_ip')) return { edits: [] };
    const edit = appendPair(y, node, 'host_ip: 127.0.0.1');
    return edit ? { edits: [edit] } : { error: 'the port entry is empty' };
  }
  return { error: 'the port entry was not found (the file changed?)' };
}
