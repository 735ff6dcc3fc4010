/**
 * The raw files of a snapshot folder: which name holds which command's output. Shared by the loader (to read a
 * folder and name what is missing) and the extraction (to name what it writes), so the two never drift apart.
 */

/** One fixed raw file (the per-user `id` and per-gid `getent` files are described by the functions below). */
export interface RawFileSpec {
  section: FixedSection;
  /** The name the extraction writes. */
  fileName: string;
  /** The command whose output the file holds; also `SnapshotGap.command` when it is missing. */
  command: string;
}

export type FixedSection = 'os-release' | 'lsblk' | 'lsblk-json' | 'fstab' | 'dri' | 'gpu';

export const LSBLK_TEXT_COMMAND = 'lsblk -f -o NAME,FSTYPE,UUID,MOUNTPOINT';
export const LSBLK_JSON_COMMAND = 'lsblk -J -o NAME,FSTYPE,UUID,PARTUUID,LABEL,MOUNTPOINT';

export const RAW_FILES: readonly RawFileSpec[] = [
  { section: 'os-release', fileName: 'os-release.txt', command: 'cat /etc/os-release' },
  { section: 'lsblk', fileName: 'lsblk.txt', command: LSBLK_TEXT_COMMAND },
  { section: 'lsblk-json', fileName: 'lsblk.json', command: LSBLK_JSON_COMMAND },
  { section: 'fstab', fileName: 'fstab.txt', command: 'cat /etc/fstab' },
  { section: 'dri', fileName: 'dri.txt', command: 'ls -ln /dev/dri' },
  { section: 'gpu', fileName: 'gpu.txt', command: 'lspci -nn' },
];

/** The command recorded for a user's `id` output. */
export function idCommand(user: string): string {
  return `id ${user}`;
}

/** The command recorded for a group lookup. */
export function groupCommand(gid: number): string {
  return `getent group ${gid}`;
}

/** File name the extraction writes for `id <user>`. */
export function idFileName(user: string): string {
  return `id-${user}.txt`;
}

/** File name the extraction writes for `getent group <gid>`. */
export function groupFileName(gid: number): string {
  return `group-${gid}.txt`;
}

export type RawFileKind =
  | { kind: FixedSection }
  | { kind: 'id'; user?: string }
  | { kind: 'group'; gid: number }
  | { kind: 'snapshot' };

/**
 * Recognises a snapshot folder entry by its base name. Accepts the extraction's names (`lsblk.txt`, `id-palav.txt`,
 * `group-110.txt`) and the manual procedure's `pre_nixos_` names (`pre_nixos_lsblk.txt`, `pre_nixos_id.txt`,
 * `pre_nixos_id_palav.txt`, `pre_nixos_gid110.txt`). Anything else is not a snapshot file.
 */
export function classifyRawFile(baseName: string): RawFileKind | undefined {
  if (baseName === 'snapshot.json') return { kind: 'snapshot' };
  const name = baseName.startsWith('pre_nixos_') ? baseName.slice('pre_nixos_'.length) : baseName;
  const fixed = RAW_FILES.find((spec) => spec.fileName === name);
  if (fixed) return { kind: fixed.section };
  const id = /^id(?:[-_](.+))?\.txt$/.exec(name);
  if (id) return id[1] ? { kind: 'id', user: id[1] } : { kind: 'id' };
  const group = /^(?:group-|gid)(\d+)\.txt$/.exec(name);
  if (group) return { kind: 'group', gid: Number(group[1]) };
  return undefined;
}
