import { MAX_LSBLK_DEPTH } from './limits';
import type { BlockDevice } from './model';
import type { Parsed, ParseWarning } from './parsed';

/**
 * Parses `lsblk -J -o NAME,FSTYPE,UUID,PARTUUID,LABEL,MOUNTPOINT` (or MOUNTPOINTS): `{"blockdevices":[…]}` with
 * nested `children`, null for empty values, and in lsblk ≥ 2.37 a `mountpoints` array that may hold nulls.
 * Children are flattened after their parent, with `parent` set. Linear, whatever the nesting.
 */
export function parseLsblkJson(text: string): Parsed<BlockDevice[]> {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error) {
    return { value: [], warnings: [{ message: `not valid JSON (${error instanceof Error ? error.message : String(error)})` }] };
  }
  const top = isRecord(root) ? root['blockdevices'] : undefined;
  if (!Array.isArray(top)) {
    return { value: [], warnings: [{ message: 'no "blockdevices" array; expected `lsblk -J` output' }] };
  }
  const devices: BlockDevice[] = [];
  const warnings: ParseWarning[] = [];
  let tooDeep = false;
  // Depth-first with an explicit stack (children right after their parent, in order): a deeply nested file must
  // not overflow the call stack, and past MAX_LSBLK_DEPTH nothing real is left to read.
  const pending: { node: unknown; parent: string | undefined; depth: number }[] = [];
  for (let i = top.length - 1; i >= 0; i--) pending.push({ node: top[i], parent: undefined, depth: 0 });
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { node, parent, depth } = next;
    if (!isRecord(node) || typeof node['name'] !== 'string') {
      warnings.push({ message: 'skipped a block device entry without a "name"' });
      continue;
    }
    const device: BlockDevice = { name: node['name'] };
    const fsType = text_(node['fstype']);
    const uuid = text_(node['uuid']);
    const partUuid = text_(node['partuuid']);
    const label = text_(node['label']);
    if (fsType) device.fsType = fsType;
    if (uuid) device.uuid = uuid;
    if (partUuid) device.partUuid = partUuid;
    if (label) device.label = label;
    const mountpoints = readMountpoints(node);
    if (mountpoints[0] !== undefined) device.mountpoint = mountpoints[0];
    if (mountpoints.length > 1) device.mountpoints = mountpoints;
    if (parent !== undefined) device.parent = parent;
    devices.push(device);
    const children = node['children'];
    if (!Array.isArray(children) || children.length === 0) continue;
    if (depth + 1 >= MAX_LSBLK_DEPTH) {
      tooDeep = true;
      continue;
    }
    for (let i = children.length - 1; i >= 0; i--) pending.push({ node: children[i], parent: device.name, depth: depth + 1 });
  }
  if (tooDeep) {
    warnings.push({ message: `block devices are nested more than ${MAX_LSBLK_DEPTH} levels deep; too deep to check, the deeper ones were not read. Re-run \`lsblk -J\` on the old host` });
  }
  return { value: devices, warnings };
}

function readMountpoints(node: Record<string, unknown>): string[] {
  const list = node['mountpoints'];
  if (Array.isArray(list)) return list.map(text_).filter((value): value is string => value !== undefined);
  const single = text_(node['mountpoint']);
  return single ? [single] : [];
}

/** lsblk writes missing values as null (and very old versions as ""). */
function text_(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
