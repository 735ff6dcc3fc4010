import { child, type ComposeNode, type MapEntry, type MapNode, type SeqNode } from './nodes';
import { isCdiDeviceName, parseShortDevice, parseShortVolume } from './shortSyntax';

/*
 * Compose's merge rules (compose-spec "merge" chapter), applied to the located tree so that every value keeps the
 * location of the file that won: maps merge key by key, sequences concatenate, scalars are replaced; `volumes` and
 * `devices` are unique by container path, `command`/`entrypoint` are replaced whole; `!reset` removes a value and
 * `!override` replaces it without merging. `environment`/`labels` lists are turned into maps beforehand
 * (see normalizeService) so they merge by key whichever form each file uses.
 */

/** Merges `override` onto `base`; `path` is the key path of the value (`['services', 'web', 'volumes']`). */
export function mergeNodes(base: ComposeNode, override: ComposeNode, path: readonly string[]): ComposeNode {
  if (override.tag === '!override') return override;
  // An empty value (`image:` half typed in an override) keeps what the base said instead of wiping it.
  if (override.kind === 'scalar' && override.isNull) return base;
  if (base.kind === 'map' && override.kind === 'map') return mergeMaps(base, override, path);
  if (base.kind === 'seq' && override.kind === 'seq') return mergeSequences(base, override, path);
  return override;
}

function mergeMaps(base: MapNode, override: MapNode, path: readonly string[]): MapNode {
  const entries = new Map<string, MapEntry>(base.entries);
  for (const [key, entry] of override.entries) {
    if (entry.value.tag === '!reset') {
      entries.delete(key);
      continue;
    }
    const existing = entries.get(key);
    if (!existing) {
      entries.set(key, entry);
      continue;
    }
    // The key keeps its first location (where the service or setting was introduced); the value is merged.
    entries.set(key, { key, keyLoc: existing.keyLoc, value: mergeNodes(existing.value, entry.value, [...path, key]) });
  }
  return { ...base, entries };
}

function mergeSequences(base: SeqNode, override: SeqNode, path: readonly string[]): SeqNode {
  const field = serviceField(path);
  if (field === 'command' || field === 'entrypoint' || (path.length === 4 && path[2] === 'healthcheck' && path[3] === 'test')) {
    return override;
  }
  const keyOf = field === 'volumes' ? volumeTarget : field === 'devices' ? deviceTarget : scalarIdentity;
  return { ...base, items: mergeUnique(base.items, override.items, keyOf) };
}

/** The service-level key of a path under `services.<name>`, if that is what the path is. */
function serviceField(path: readonly string[]): string | undefined {
  return path.length === 3 && path[0] === 'services' ? path[2] : undefined;
}

/**
 * Base items stay in order, an override item with the same key replaces its base item in place, the others are
 * appended. Items without a key (maps in general lists) are always kept.
 */
function mergeUnique(
  baseItems: readonly ComposeNode[],
  overrideItems: readonly ComposeNode[],
  keyOf: (node: ComposeNode) => string | undefined,
): ComposeNode[] {
  const overrideByKey = new Map<string, ComposeNode>();
  for (const item of overrideItems) {
    const key = keyOf(item);
    if (key !== undefined) overrideByKey.set(key, item);
  }
  const used = new Set<ComposeNode>();
  const merged: ComposeNode[] = [];
  for (const item of baseItems) {
    const key = keyOf(item);
    const replacement = key === undefined ? undefined : overrideByKey.get(key);
    if (replacement) {
      if (!used.has(replacement)) merged.push(replacement);
      used.add(replacement);
    } else {
      merged.push(item);
    }
  }
  for (const item of overrideItems) {
    if (used.has(item)) continue;
    const key = keyOf(item);
    if (key !== undefined && overrideByKey.get(key) !== item) continue; // a duplicate within the override itself
    used.add(item);
    merged.push(item);
  }
  return merged;
}

/** The container path a volume entry mounts at. */
export function volumeTarget(node: ComposeNode): string | undefined {
  if (node.kind === 'scalar') return node.isNull ? undefined : parseShortVolume(node.value).target;
  const target = child(node, 'target');
  return target?.kind === 'scalar' && !target.isNull ? target.value : undefined;
}

/** The container path of a device entry (the whole name for a CDI device). */
export function deviceTarget(node: ComposeNode): string | undefined {
  if (node.kind === 'scalar') {
    if (node.isNull) return undefined;
    return isCdiDeviceName(node.value) ? node.value : parseShortDevice(node.value).container;
  }
  const target = child(node, 'target') ?? child(node, 'source');
  return target?.kind === 'scalar' && !target.isNull ? target.value : undefined;
}

function scalarIdentity(node: ComposeNode): string | undefined {
  return node.kind === 'scalar' && !node.isNull ? node.value : undefined;
}
