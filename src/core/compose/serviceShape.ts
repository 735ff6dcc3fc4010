import type { InputProblem } from '../types';
import {
  describeNode,
  indexOutsideReferences,
  nullScalar,
  rawSubLocation,
  sliceScalar,
  type ComposeNode,
  type MapEntry,
  type MapNode,
} from './nodes';
import { baseName } from './paths';

/** Service keys whose list form (`- KEY=value`) Compose merges by key, like their map form. */
const KEY_VALUE_FIELDS = ['environment', 'labels'] as const;

/**
 * The `services` map of one file with each service checked and normalised, or undefined when the file has none.
 * Shape mistakes (services as a list, a service that is a string) become problems and the offending part is
 * dropped, so the rest of the stack is still analysed.
 */
export function servicesOf(root: MapNode, problems: InputProblem[]): MapNode | undefined {
  const entry = root.entries.get('services');
  if (!entry) return undefined;
  const name = baseName(root.ctx.file);
  const services = entry.value;
  if (services.kind === 'scalar' && services.isNull) return undefined;
  if (services.kind !== 'map') {
    problems.push({
      file: root.ctx.file,
      range: services.loc.range,
      message: `${name}: \`services\` must be a map of service names, found ${describeNode(services)}. Write each service as \`name:\` with its settings indented below.`,
    });
    return undefined;
  }
  const entries = new Map<string, MapEntry>();
  for (const [serviceName, service] of services.entries) {
    if (service.value.kind === 'scalar' && service.value.isNull) continue; // `web:` still being typed
    if (service.value.kind !== 'map') {
      problems.push({
        file: root.ctx.file,
        range: service.value.loc.range,
        message: `${name}: service \`${serviceName}\` must be a map of settings (image, environment, …), found ${describeNode(service.value)}.`,
      });
      continue;
    }
    entries.set(serviceName, { ...service, value: normaliseService(service.value, problems) });
  }
  return { ...services, entries };
}

/**
 * Turns `environment`/`labels` lists into maps so every later step sees one form. Once per node: a service whose
 * node the parse cache reused stays the same node here too, so the model read from it can be reused (loadProject).
 */
function normaliseService(service: MapNode, problems: InputProblem[]): MapNode {
  let known = normalised.get(service);
  if (!known) {
    const own: InputProblem[] = [];
    known = { node: normaliseOnce(service, own), problems: own };
    normalised.set(service, known);
  }
  problems.push(...known.problems);
  return known.node;
}

const normalised = new WeakMap<MapNode, { node: MapNode; problems: InputProblem[] }>();

function normaliseOnce(service: MapNode, problems: InputProblem[]): MapNode {
  let entries: Map<string, MapEntry> | undefined;
  for (const field of KEY_VALUE_FIELDS) {
    const entry = service.entries.get(field);
    if (entry?.value.kind !== 'seq') continue;
    entries ??= new Map(service.entries);
    entries.set(field, { ...entry, value: keyValueListToMap(entry.value, field, problems) });
  }
  return entries ? { ...service, entries } : service;
}

function keyValueListToMap(list: ComposeNode & { kind: 'seq' }, field: string, problems: InputProblem[]): MapNode {
  const entries = new Map<string, MapEntry>();
  for (const item of list.items) {
    if (item.kind !== 'scalar') {
      problems.push({
        file: item.ctx.file,
        range: item.loc.range,
        message: `${baseName(item.ctx.file)}: each \`${field}\` list item must be \`KEY=value\`, found ${describeNode(item)}.`,
      });
      continue;
    }
    if (item.isNull) continue;
    // Split the text as written, so the value keeps its own location and substitutions.
    const equals = indexOutsideReferences(item.raw, '=');
    if (equals < 0) {
      // `- KEY` alone: Compose takes the value from its environment (here: the .env), else drops it.
      entries.set(item.value, { key: item.value, keyLoc: item.loc, value: nullScalar(item.ctx, item.start, item.end) });
      continue;
    }
    const key = sliceScalar(item, 0, equals).value;
    entries.set(key, { key, keyLoc: rawSubLocation(item, 0, equals), value: sliceScalar(item, equals + 1, item.raw.length) });
  }
  return { kind: 'map', ctx: list.ctx, loc: list.loc, start: list.start, end: list.end, entries };
}
