import type { BlockDevice } from './model';
import { decodePathEscapes, splitLines, type Parsed, type ParseWarning } from './parsed';

/** Columns of the lsblk table the snapshot uses; others (FSVER, FSAVAIL, …) are read past. */
const KNOWN_COLUMNS = ['NAME', 'FSTYPE', 'UUID', 'PARTUUID', 'LABEL', 'MOUNTPOINT', 'MOUNTPOINTS'] as const;
type KnownColumn = (typeof KNOWN_COLUMNS)[number];

interface Column {
  title: string;
  start: number;
}

/**
 * Tree prefix of a NAME cell: indentation groups (`│ `, `| ` or two spaces) then a branch (`├─`, `└─`, or the
 * ASCII fallback `|-`, `` `- ``). Depth = number of indentation groups + 1.
 */
const TREE_PREFIX = /^((?:[│|] |  )*)(├─|└─|\|-|`-)/;

/**
 * Parses the text table of `lsblk -f -o NAME,FSTYPE,UUID,MOUNTPOINT` (or MOUNTPOINTS, LABEL, PARTUUID columns).
 * Cells are cut at the column start positions of the header line, not split on whitespace, so empty cells stay
 * empty. Tree characters give each device its parent; a row with no name continues the previous device's
 * MOUNTPOINTS list. Mount points are unescaped (`\x20` → space).
 */
export function parseLsblkText(text: string): Parsed<BlockDevice[]> {
  const lines = splitLines(text);
  const headerIndex = lines.findIndex((line) => /^\s*NAME(\s|$)/.test(line));
  const header = lines[headerIndex];
  if (header === undefined) {
    return { value: [], warnings: [{ message: 'no header line starting with NAME; expected `lsblk -f -o NAME,FSTYPE,UUID,MOUNTPOINT` output' }] };
  }
  const columns = [...header.matchAll(/\S+/g)].map((m) => ({ title: m[0], start: m.index ?? 0 }));
  const warnings: ParseWarning[] = [];
  const devices: BlockDevice[] = [];
  /** Names of the current ancestors, indexed by depth. */
  const ancestors: string[] = [];

  for (let index = headerIndex + 1; index < lines.length; index++) {
    const line = lines[index] ?? '';
    if (line.trim() === '') continue;
    const cells = cutCells(line, columns);
    const tree = TREE_PREFIX.exec(cells.get('NAME') ?? '');
    const depth = tree ? (tree[1] ?? '').length / 2 + 1 : 0;
    const name = (cells.get('NAME') ?? '').slice(tree?.[0].length ?? 0).replace(/^[│|`\s]+/, '').trim();
    const mountpoints = readMountpoints(cells);
    if (name === '') {
      // A continuation row of a multi-line MOUNTPOINTS cell belongs to the device above.
      const previous = devices[devices.length - 1];
      if (previous && mountpoints.length > 0) addMountpoints(previous, mountpoints);
      else warnings.push({ line: index + 1, message: `row without a device name: "${line.trim()}"` });
      continue;
    }
    const device: BlockDevice = { name };
    setIfPresent(device, 'fsType', cells.get('FSTYPE'));
    setIfPresent(device, 'uuid', cells.get('UUID'));
    setIfPresent(device, 'partUuid', cells.get('PARTUUID'));
    const label = cells.get('LABEL');
    if (label) device.label = decodePathEscapes(label);
    if (mountpoints.length > 0) addMountpoints(device, mountpoints);
    const parent = depth > 0 ? ancestors[depth - 1] : undefined;
    if (parent !== undefined) device.parent = parent;
    ancestors.length = depth;
    ancestors[depth] = name;
    devices.push(device);
  }
  return { value: devices, warnings };
}

/**
 * Cuts a row at the header's column starts. When a value is wider than its column (a hand-edited file, a
 * right-aligned column) and runs across a boundary, the boundary moves to the end of that value.
 */
function cutCells(line: string, columns: Column[]): Map<KnownColumn | string, string> {
  const cells = new Map<string, string>();
  let from = 0;
  columns.forEach((column, i) => {
    const next = columns[i + 1];
    let to = next ? next.start : line.length;
    while (to < line.length && next && /\S/.test(line[to - 1] ?? ' ') && /\S/.test(line[to] ?? ' ')) to++;
    const raw = line.slice(from, Math.max(from, to));
    cells.set(column.title, column.title === 'NAME' ? raw.trimEnd() : raw.trim());
    from = Math.max(from, to);
  });
  return cells;
}

function readMountpoints(cells: Map<string, string>): string[] {
  const value = cells.get('MOUNTPOINTS') ?? cells.get('MOUNTPOINT') ?? '';
  return value === '' ? [] : [decodePathEscapes(value)];
}

function addMountpoints(device: BlockDevice, mountpoints: string[]): void {
  const all = [...(device.mountpoints ?? (device.mountpoint !== undefined ? [device.mountpoint] : [])), ...mountpoints];
  device.mountpoint = all[0];
  if (all.length > 1) device.mountpoints = all;
}

function setIfPresent(device: BlockDevice, key: 'fsType' | 'uuid' | 'partUuid', value: string | undefined): void {
  if (value) device[key] = value;
}
