import type { BlockDevice, DataMount, FstabEntry, HostSnapshot } from './model';

/** Mount points that belong to the operating system, not to the homelab's data. */
const SYSTEM_MOUNTPOINTS = new Set(['/', '/boot', '/efi', '/home', '/nix', '/recovery', '/usr', '/var', '/tmp', 'none', 'swap', '[SWAP]']);
const SYSTEM_TREES = ['/boot/', '/nix/', '/proc/', '/sys/', '/dev/', '/run/', '/snap/'];

/** Filesystems that hold no data disk: virtual, in-memory, swap and snap images. */
const NON_DATA_FS_TYPES = new Set([
  'swap', 'tmpfs', 'ramfs', 'proc', 'sysfs', 'devtmpfs', 'devpts', 'cgroup', 'cgroup2', 'securityfs', 'debugfs',
  'tracefs', 'configfs', 'pstore', 'bpf', 'efivarfs', 'fusectl', 'hugetlbfs', 'mqueue', 'autofs', 'squashfs',
  'overlay', 'binfmt_misc', 'crypto_LUKS', 'LVM2_member',
]);

/** Whether a mount point is one of the operating system's own (root, boot, home, nix store, virtual trees). */
export function isSystemMountpoint(mountpoint: string): boolean {
  const normalized = normalizePath(mountpoint);
  return SYSTEM_MOUNTPOINTS.has(normalized) || SYSTEM_TREES.some((tree) => normalized.startsWith(tree) || normalized + '/' === tree);
}

/**
 * The data disks of the old host: fstab entries first (with their options, `defaults` dropped), then mounted
 * lsblk devices fstab did not mention. Excludes system mount points (`/`, `/boot…`, `/home`, `/nix`, swap) and
 * virtual filesystems (tmpfs, proc, squashfs …). The UUID comes from the fstab spec, else from the lsblk device
 * the spec names (by PARTUUID, LABEL or device path), else from the lsblk device mounted there.
 */
export function dataMounts(snapshot: HostSnapshot): DataMount[] {
  const mounts: DataMount[] = [];
  const seen = new Set<string>();
  for (const entry of snapshot.fstab) {
    const mountpoint = normalizePath(entry.mountpoint);
    if (seen.has(mountpoint) || isSystemMountpoint(mountpoint) || NON_DATA_FS_TYPES.has(entry.fsType)) continue;
    const device = deviceForEntry(entry, snapshot.blockDevices);
    const uuid = entry.specKind === 'uuid' ? entry.specValue : device?.uuid;
    const fsType = entry.fsType === 'auto' ? device?.fsType ?? entry.fsType : entry.fsType;
    const mount: DataMount = {
      mountpoint,
      options: entry.options.filter((option) => option !== 'defaults'),
      origin: `fstab line ${entry.line}${uuid !== undefined && entry.specKind !== 'uuid' ? ' (UUID from lsblk)' : ''}`,
    };
    if (uuid !== undefined) mount.uuid = uuid;
    else mount.device = entry.spec;
    mount.fsType = fsType;
    mounts.push(mount);
    seen.add(mountpoint);
  }
  for (const device of snapshot.blockDevices) {
    for (const raw of device.mountpoints ?? (device.mountpoint !== undefined ? [device.mountpoint] : [])) {
      const mountpoint = normalizePath(raw);
      if (seen.has(mountpoint) || isSystemMountpoint(mountpoint)) continue;
      if (device.fsType !== undefined && NON_DATA_FS_TYPES.has(device.fsType)) continue;
      if (/^(loop|zram|ram)\d/.test(device.name)) continue;
      const mount: DataMount = { mountpoint, options: [], origin: `lsblk (${device.name} mounted, not in fstab)` };
      if (device.uuid !== undefined) mount.uuid = device.uuid;
      else mount.device = `/dev/${device.name}`;
      if (device.fsType !== undefined) mount.fsType = device.fsType;
      mounts.push(mount);
      seen.add(mountpoint);
    }
  }
  return mounts;
}

/**
 * The mount that holds `path`: the longest mount point that is `path` itself or a parent of it on a path-segment
 * boundary (`/mnt/PlexStorage2/x` is not under `/mnt/PlexStorage`).
 */
export function mountCovering(path: string, mounts: readonly DataMount[]): DataMount | undefined {
  const target = normalizePath(path);
  let best: DataMount | undefined;
  for (const mount of mounts) {
    const mountpoint = normalizePath(mount.mountpoint);
    const covers = mountpoint === '/' || target === mountpoint || target.startsWith(mountpoint + '/');
    if (covers && (best === undefined || mountpoint.length > normalizePath(best.mountpoint).length)) best = mount;
  }
  return best;
}

/** Collapses repeated slashes and drops a trailing one (`/mnt//data/` → `/mnt/data`), keeping `/`. */
export function normalizePath(path: string): string {
  const collapsed = path.replace(/\/{2,}/g, '/');
  return collapsed.length > 1 ? collapsed.replace(/\/$/, '') : collapsed;
}

function deviceForEntry(entry: FstabEntry, devices: readonly BlockDevice[]): BlockDevice | undefined {
  const same = (a: string | undefined, b: string): boolean => a !== undefined && a.toLowerCase() === b.toLowerCase();
  const bySpec = devices.find((device) => {
    switch (entry.specKind) {
      case 'uuid':
        return same(device.uuid, entry.specValue);
      case 'partuuid':
        return same(device.partUuid, entry.specValue);
      case 'label':
        return device.label === entry.specValue;
      case 'device':
        return entry.specValue === `/dev/${device.name}` || entry.specValue === `/dev/mapper/${device.name}`;
      default:
        return false;
    }
  });
  const mountpoint = normalizePath(entry.mountpoint);
  return bySpec ?? devices.find((device) => (device.mountpoints ?? [device.mountpoint]).some((mp) => mp !== undefined && normalizePath(mp) === mountpoint));
}
