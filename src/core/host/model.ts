/**
 * The host snapshot: what the old host looked like before the reinstall. The zod schema in `schema.ts`
 * validates `snapshot.json` against exactly this shape (version 1).
 */

export interface BlockDevice {
  /** Device name without tree characters, e.g. `sda1`, `nvme0n1p2`, `cryptroot`. */
  name: string;
  fsType?: string;
  uuid?: string;
  partUuid?: string;
  label?: string;
  mountpoint?: string;
  /**
   * Every mount point when the device is mounted more than once (btrfs subvolumes, bind mounts: newer lsblk's
   * MOUNTPOINTS column or `mountpoints` array). `mountpoint` is the first of them.
   */
  mountpoints?: string[];
  /** Name of the parent device, when the tree showed one. */
  parent?: string;
}

export interface FstabEntry {
  /** First field as written: `UUID=…`, `PARTUUID=…`, `LABEL=…`, `/dev/mapper/…`, `tmpfs`, … */
  spec: string;
  specKind: 'uuid' | 'partuuid' | 'label' | 'partlabel' | 'device' | 'other';
  /** The value after `UUID=` etc., or the device path. */
  specValue: string;
  mountpoint: string;
  fsType: string;
  options: string[];
  dump: number;
  pass: number;
  /** 1-based line in fstab.txt. */
  line: number;
}

export interface HostUser {
  name: string;
  uid: number;
  gid: number;
  primaryGroup: string;
  groups: { gid: number; name: string }[];
}

export interface HostGroup {
  name: string;
  gid: number;
  members: string[];
}

export interface DriNode {
  /** e.g. `card0`, `renderD128`, `by-path` entries are skipped. */
  node: string;
  uid: number;
  gid: number;
  mode?: string;
}

export type GpuVendor = 'intel' | 'amd' | 'nvidia' | 'other';

export interface GpuDevice {
  slot: string;
  vendor: GpuVendor;
  vendorId?: string;
  deviceId?: string;
  description: string;
}

export interface OsRelease {
  id?: string;
  versionId?: string;
  prettyName?: string;
}

export interface SnapshotGap {
  /** The raw file or command that is missing, e.g. `lspci`. */
  command: string;
  reason: string;
}

export interface HostSnapshot {
  version: 1;
  /** ISO time of the extraction, when known. */
  takenAt?: string;
  /** Host name or `user@host` it was taken from, when known. */
  host?: string;
  source: 'ssh' | 'local' | 'import' | 'files';
  os?: OsRelease;
  blockDevices: BlockDevice[];
  fstab: FstabEntry[];
  users: HostUser[];
  groups: HostGroup[];
  dri: DriNode[];
  gpus: GpuDevice[];
  gaps: SnapshotGap[];
}

/** A mount of the old host that can become a NixOS `fileSystems` entry. */
export interface DataMount {
  mountpoint: string;
  uuid?: string;
  /**
   * The fstab source when no UUID is known (`LABEL=data`, `/dev/mapper/vg-data`, `nas:/export`, a bind source),
   * so the generator can still write `device = …`.
   */
  device?: string;
  fsType?: string;
  /** Options from the old fstab, in order (`defaults` dropped). */
  options: string[];
  /** Where the facts came from, for the generated header comment. */
  origin: string;
}
