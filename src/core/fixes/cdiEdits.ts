/**
 * Rewrites a service's NVIDIA GPU request to CDI, as text edits that keep the file's indentation, quotes and comments:
 * `runtime: nvidia` and `gpus:` become one `deploy.resources.reservations.devices` entry
 * (`{ driver: cdi, device_ids: [...], capabilities: [gpu] }`), `driver: nvidia` entries are rewritten in place, and
 * `NVIDIA_VISIBLE_DEVICES` goes (CDI injection sets it to `void` itself, moby#52704; it only steered the NVIDIA
 * runtime). `NVIDIA_DRIVER_CAPABILITIES` stays: harmless, and some images read it.
 */
import { isMap, isPair, isScalar, isSeq, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { TextEdit } from '../edits/model';
import { cdiReservationEntryEdit, endOfLastLine, endOfPair, findService, pairOf, parse, rangeOf, yamlText, type YamlEditResult, type YamlText } from './yamlEdits';

const RESERVATION_PATH = ['deploy', 'resources', 'reservations', 'devices'];

/** A reservation entry Docker hands to its `nvidia` driver: `driver: nvidia`, or no driver with the gpu capability. */
function isNvidiaEntry(entry: YAMLMap): boolean {
  const driver = pairOf(entry, 'driver')?.value;
  if (isScalar(driver)) return String(driver.value) === 'nvidia';
  const capabilities = pairOf(entry, 'capabilities')?.value;
  return isSeq(capabilities) && capabilities.items.some((item) => isScalar(item) && String(item.value) === 'gpu');
}

function isCdiEntry(entry: YAMLMap): boolean {
  const driver = pairOf(entry, 'driver')?.value;
  return isScalar(driver) && String(driver.value) === 'cdi';
}

/** Offset just past the line break ending the line that `offset` is on (or the end of the text). */
function pastLineBreak(text: string, offset: number): number {
  let end = offset;
  if (text[end] === '\r') end++;
  if (text[end] === '\n') end++;
  return end;
}

/** The `# comment` after a value on its last line, if any. */
function trailingComment(text: string, valueEnd: number): string | undefined {
  const rest = text.slice(valueEnd, endOfLastLine(text, valueEnd));
  const hash = rest.indexOf('#');
  return hash >= 0 ? rest.slice(hash).trimEnd() : undefined;
}

interface BlockPair {
  keyStart: number;
  lineStart: number;
  /** End of the pair's last line (before its line break). */
  lineEnd: number;
  comment?: string;
}

/** A block-style pair on lines of its own, or undefined (e.g. inside a flow map). */
function blockPair(y: YamlText, pair: Pair): BlockPair | undefined {
  const keyStart = rangeOf(pair.key)?.[0];
  if (keyStart === undefined) return undefined;
  const lineStart = y.lines.lineStart(y.lines.positionAt(keyStart).line);
  if (y.text.slice(lineStart, keyStart).trim() !== '' && !/^\s*-\s*$/.test(y.text.slice(lineStart, keyStart))) return undefined;
  const end = endOfPair(pair);
  const comment = trailingComment(y.text, end);
  return { keyStart, lineStart, lineEnd: endOfLastLine(y.text, end), ...(comment ? { comment } : {}) };
}

/** Removes a pair's lines; a trailing comment stays, on its own line at the pair's indentation. */
function removePair(y: YamlText, pair: Pair): TextEdit | undefined {
  const at = blockPair(y, pair);
  if (!at) return undefined;
  if (at.comment) return y.edit(at.keyStart, at.lineEnd, at.comment);
  return y.edit(at.lineStart, pastLineBreak(y.text, at.lineEnd), '');
}

/** The file's indentation step (a service's keys relative to its name) and whether block lists are indented. */
function layout(y: YamlText, serviceKeyStart: number, service: YAMLMap): { step: number; listIndent: number } {
  const firstKey = rangeOf(service.items.find(isPair)?.key)?.[0];
  const step = firstKey === undefined ? 2 : Math.max(1, y.lines.positionAt(firstKey).character - y.lines.positionAt(serviceKeyStart).character);
  for (const pair of service.items.filter(isPair)) {
    const value = pair.value;
    const keyStart = rangeOf(pair.key)?.[0];
    const itemStart = isSeq(value) && !value.flow ? rangeOf(value.items[0])?.[0] : undefined;
    if (keyStart === undefined || itemStart === undefined) continue;
    const dash = y.text.lastIndexOf('-', itemStart);
    return { step, listIndent: Math.max(0, y.lines.positionAt(dash).character - y.lines.positionAt(keyStart).character) };
  }
  return { step, listIndent: step };
}

/** The lines of `keys:` nested from column `column`, ending with the CDI device entry. */
function reservationLines(keys: readonly string[], column: number, step: number, listIndent: number, names: readonly string[], comment?: string): string[] {
  const lines: string[] = [];
  let col = column;
  keys.forEach((key, index) => {
    lines.push(`${' '.repeat(col)}${key}:${index === 0 && comment ? ` ${comment}` : ''}`);
    col += step;
  });
  const dash = keys.length ? col - step + listIndent : column;
  const ids = `[${names.map((name) => JSON.stringify(name)).join(', ')}]`;
  lines.push(`${' '.repeat(dash)}- driver: cdi`, `${' '.repeat(dash + 2)}device_ids: ${ids}`, `${' '.repeat(dash + 2)}capabilities: [gpu]`);
  return lines;
}

interface Reservations {
  /** The deepest existing map or list on the path deploy.resources.reservations.devices. */
  node: YAMLMap | YAMLSeq;
  /** The keys still missing below it. */
  missing: string[];
}

function existingReservations(service: YAMLMap): Reservations | { error: string } {
  let node: YAMLMap | YAMLSeq = service;
  for (let depth = 0; depth < RESERVATION_PATH.length; depth++) {
    const key = RESERVATION_PATH[depth] as string;
    const value: unknown = isMap(node) ? pairOf(node, key)?.value : undefined;
    if (value === undefined) return { node, missing: RESERVATION_PATH.slice(depth) };
    const last = depth === RESERVATION_PATH.length - 1;
    if (last ? !isSeq(value) : !isMap(value)) return { error: `\`${RESERVATION_PATH.slice(0, depth + 1).join('.')}\` is not a ${last ? 'list' : 'map'}` };
    node = value as YAMLMap | YAMLSeq;
    if (node.flow) return { error: `\`${RESERVATION_PATH.slice(0, depth + 1).join('.')}\` is written in flow style; add the CDI entry by hand` };
  }
  return { node, missing: [] };
}

/** Adds the CDI entry under an existing `deploy` (or to its devices list). */
function addToReservations(y: YamlText, at: Reservations, step: number, listIndent: number, names: readonly string[]): TextEdit | { error: string } {
  const { node, missing } = at;
  const items = node.items as unknown[];
  const last = items[items.length - 1];
  const lastEnd = isPair(last) ? endOfPair(last) : rangeOf(last)?.[1];
  const firstStart = isPair(items[0]) ? rangeOf((items[0] as Pair).key)?.[0] : rangeOf(items[0])?.[0];
  if (lastEnd === undefined || firstStart === undefined) return { error: 'the `deploy` section is empty; add the CDI entry by hand' };
  const column = isSeq(node) ? y.lines.positionAt(y.text.lastIndexOf('-', firstStart)).character : y.lines.positionAt(firstStart).character;
  const at_ = endOfLastLine(y.text, lastEnd);
  return y.edit(at_, at_, `${y.eol}${reservationLines(missing, column, step, listIndent, names).join(y.eol)}`);
}

export interface CdiEditOptions {
  /**
   * Also rewrite a service that asks for GPUs with `NVIDIA_VISIBLE_DEVICES` alone: it got them while the `nvidia`
   * runtime was Docker's default (what `enableNvidia` sets from NixOS 25.11), and gets none under runc.
   */
  environmentRequests?: boolean;
}

/**
 * Rewrites `serviceName`'s non-CDI NVIDIA requests in this compose file to CDI. `names` are the CDI ids the new
 * reservation gets for `runtime: nvidia` / `gpus:` (computed by the rule from the merged model, env files included);
 * `driver: nvidia` entries keep their own count or ids. No edits when the service already uses CDI only.
 */
export function serviceCdiEdit(text: string, serviceName: string, names: readonly string[], options: CdiEditOptions = {}): YamlEditResult {
  const doc = parse(text);
  if (!doc) return { error: 'the compose file does not parse; fix its YAML first' };
  const y = yamlText(text);
  const service = findService(doc, serviceName);
  if (!service) return { error: `service \`${serviceName}\` is not declared in this file` };
  if (service.flow) return { error: `service \`${serviceName}\` is written in flow style; rewrite its GPU request by hand` };
  const services = doc.get('services', true) as YAMLMap;
  const serviceKeyStart = rangeOf(services.items.find((item) => isPair(item) && item.value === service)?.key)?.[0] ?? 0;
  const { step, listIndent } = layout(y, serviceKeyStart, service);

  const runtime = pairOf(service, 'runtime');
  const runtimePair = isScalar(runtime?.value) && String(runtime.value.value) === 'nvidia' ? runtime : undefined;
  const gpus = pairOf(service, 'gpus');
  const gpusPair = gpus && gpus.value !== null && !(isScalar(gpus.value) && gpus.value.value === null) ? gpus : undefined;
  const reservations = existingReservations(service);
  const entries = !('error' in reservations) && isSeq(reservations.node) ? reservations.node.items.filter(isMap) : [];
  const nvidiaEntries = entries.filter((entry) => isNvidiaEntry(entry) && !isCdiEntry(entry));
  const fromEnvironment = Boolean(options.environmentRequests) && entries.length === 0 && hasVisibleDevices(service);
  if (!runtimePair && !gpusPair && nvidiaEntries.length === 0 && !fromEnvironment) return { edits: [] };

  const edits: TextEdit[] = [];
  for (const entry of nvidiaEntries) {
    const result = cdiReservationEntryEdit(y, entry);
    if ('error' in result) return result;
    edits.push(...result.edits);
  }

  const replaced = [runtimePair, gpusPair].filter((pair): pair is Pair => pair !== undefined).sort((a, b) => (rangeOf(a.key)?.[0] ?? 0) - (rangeOf(b.key)?.[0] ?? 0));
  const needsEntry = (replaced.length > 0 || fromEnvironment) && entries.length === 0 && names.length > 0;
  let placed = !needsEntry;
  // Under an existing `deploy`, or (nothing to replace) after the service's last key.
  if (needsEntry && !('error' in reservations) && (reservations.missing.length < RESERVATION_PATH.length || replaced.length === 0)) {
    const added = addToReservations(y, reservations, step, listIndent, names);
    if ('error' in added) return added;
    edits.push(added);
    placed = true;
  } else if (needsEntry && 'error' in reservations) {
    return reservations;
  }
  for (const pair of replaced) {
    const at = blockPair(y, pair);
    if (!at) return { error: `\`${String((pair.key as { value?: unknown }).value)}\` of \`${serviceName}\` is not on lines of its own; rewrite it by hand` };
    if (!placed) {
      // The new `deploy:` takes the place of the first request it replaces, so the diff stays where the request was.
      const column = y.lines.positionAt(at.keyStart).character;
      const lines = reservationLines(RESERVATION_PATH, column, step, listIndent, names, at.comment);
      edits.push(y.edit(at.keyStart, at.lineEnd, lines.join(y.eol).slice(column)));
      placed = true;
      continue;
    }
    const removal = removePair(y, pair);
    if (!removal) return { error: `\`${serviceName}\` could not be rewritten; rewrite its GPU request by hand` };
    edits.push(removal);
  }
  const env = visibleDevicesRemoval(y, service);
  if (env) edits.push(env);
  return { edits };
}

function hasVisibleDevices(service: YAMLMap): boolean {
  const value = pairOf(service, 'environment')?.value;
  if (isSeq(value)) return value.items.some((item) => isScalar(item) && /^NVIDIA_VISIBLE_DEVICES=(?!void$|$)/.test(String(item.value)));
  const entry = isMap(value) ? pairOf(value, 'NVIDIA_VISIBLE_DEVICES')?.value : undefined;
  return isScalar(entry) && !['', 'void'].includes(String(entry.value ?? ''));
}

/** Removes `NVIDIA_VISIBLE_DEVICES` from the service's `environment` (the whole key when it was the only entry). */
function visibleDevicesRemoval(y: YamlText, service: YAMLMap): TextEdit | undefined {
  const environment = pairOf(service, 'environment');
  const value = environment?.value;
  if (!environment || (!isMap(value) && !isSeq(value)) || value.flow) return undefined;
  const isVisible = (item: unknown): boolean =>
    isSeq(value) ? isScalar(item) && /^NVIDIA_VISIBLE_DEVICES(=|$)/.test(String(item.value)) : isPair(item) && isScalar(item.key) && String(item.key.value) === 'NVIDIA_VISIBLE_DEVICES';
  const items = value.items as unknown[];
  const target = items.find(isVisible);
  if (target === undefined) return undefined;
  if (items.length === 1) return removePair(y, environment);
  if (isPair(target)) return removePair(y, target);
  const range = rangeOf(target);
  if (!range) return undefined;
  const dash = y.text.lastIndexOf('-', range[0]);
  const lineStart = y.lines.lineStart(y.lines.positionAt(dash).line);
  if (y.text.slice(lineStart, dash).trim() !== '') return undefined;
  const lineEnd = endOfLastLine(y.text, range[1]);
  const comment = trailingComment(y.text, range[1]);
  if (comment) return y.edit(dash, lineEnd, comment);
  return y.edit(lineStart, pastLineBreak(y.text, lineEnd), '');
}
