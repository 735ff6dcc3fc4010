/**
 * Everything a NixOS configuration mounts, read without evaluation: `fileSystems` (any fsType), `systemd.mounts`
 * and `systemd.automounts` (their `where`), services that mount (a `mergerfs` or `rclone mount` command line),
 * ZFS pools NixOS imports (`boot.zfs.extraPools`, and pools of `zfs` fileSystems) whose datasets ZFS mounts itself,
 * and disko's `mountpoint`s. A bind source under any of them is on something NixOS mounts.
 */
import type { NixConfiguration, NixDefinition, NixSystemdService, NixValue } from './model';
import { winningDefinition } from './views';
import { field, fieldsOf, stringItems } from './values';

export type NixMountSource = 'fileSystems' | 'systemd.mounts' | 'systemd.automounts' | 'service' | 'zfs-pool' | 'disko';

export interface NixMount {
  /** The absolute mount point; for a ZFS pool, a folder its datasets are taken to be under (see `zfsPoolRoots`). */
  mountpoint: string;
  source: NixMountSource;
  fsType?: string;
  /** Mount options (a `systemd.mounts` options string split on commas). */
  options: string[];
  /** Mounted on first access or by hand, not at boot: `x-systemd.automount`/`noauto` options, `systemd.automounts`. */
  onDemand: boolean;
  /** For `source: 'service'`: the systemd service whose command line mounts it. */
  service?: string;
  /** For `source: 'zfs-pool'`: the pool name. */
  pool?: string;
  /** The definition that declares it (for related information). */
  definition?: NixDefinition;
}

/** File systems reached over the network: systemd orders them before remote-fs.target, not local-fs.target. */
const NETWORK_FS_TYPES = new Set(['nfs', 'nfs4', 'cifs', 'smb3', 'smbfs', 'sshfs', 'fuse.sshfs', 'glusterfs', 'ceph', 'cephfs', 'davfs', 'fuse.rclone', 'rclone', '9p', 'virtiofs']);

/** True for a network file system (by type, or by the `_netdev` option). */
export function isNetworkMount(mount: Pick<NixMount, 'fsType' | 'options'>): boolean {
  return (mount.fsType !== undefined && NETWORK_FS_TYPES.has(mount.fsType)) || mount.options.includes('_netdev');
}

/** Every mount the configuration declares, in the order found; the root file system is left out. */
export function declaredMounts(nix: NixConfiguration | undefined): NixMount[] {
  if (!nix) return [];
  // A configuration never changes once built, and the mount rules ask once per bind of every service: read once.
  let mounts = declaredMountsOf.get(nix);
  if (!mounts) {
    mounts = [...fileSystemMounts(nix), ...systemdUnitMounts(nix), ...serviceMounts(nix), ...zfsPoolMounts(nix), ...diskoMounts(nix)].filter(
      (mount) => mount.mountpoint !== '/' && mount.mountpoint.startsWith('/'),
    );
    declaredMountsOf.set(nix, mounts);
  }
  return mounts;
}

const declaredMountsOf = new WeakMap<NixConfiguration, NixMount[]>();

/** `fileSystems."<mp>"`, or `fileSystems.<name>.mountPoint` when set. */
function fileSystemMounts(nix: NixConfiguration): NixMount[] {
  const byName = new Map<string, NixDefinition[]>();
  for (const definition of nix.definitionsUnder(['fileSystems'])) {
    const name = definition.path[1];
    if (name === undefined) continue;
    const list = byName.get(name) ?? [];
    list.push(definition);
    byName.set(name, list);
  }
  const mounts: NixMount[] = [];
  for (const [name, definitions] of byName) {
    const leaf = (attribute: string): NixDefinition | undefined => winningDefinition(definitions.filter((d) => d.path.length === 3 && d.path[2] === attribute));
    const mountPoint = stringOf(leaf('mountPoint')?.value);
    const fsType = stringOf(leaf('fsType')?.value);
    // Lists of options from several definitions are concatenated by the module system.
    const options = definitions.filter((d) => d.path.length === 3 && d.path[2] === 'options').flatMap((d) => stringItems(d.value));
    mounts.push({ mountpoint: normalize(mountPoint ?? name), source: 'fileSystems', ...(fsType ? { fsType } : {}), options, onDemand: isOnDemand(options), definition: definitions[0] as NixDefinition });
  }
  return mounts;
}

/** `systemd.mounts = [ { where; what; type; options; } ]` and `systemd.automounts = [ { where; } ]`. */
function systemdUnitMounts(nix: NixConfiguration): NixMount[] {
  const mounts: NixMount[] = [];
  for (const kind of ['mounts', 'automounts'] as const) {
    for (const definition of nix.definitionsOf(['systemd', kind])) {
      const items = definition.value.kind === 'list' ? definition.value.items : [];
      for (const item of items) {
        const where = stringOf(field(item, 'where'));
        if (!where) continue;
        const fsType = stringOf(field(item, 'type'));
        const options = (stringOf(field(item, 'options')) ?? stringOf(field(item, 'mountConfig', 'Options')) ?? '').split(',').map((option) => option.trim()).filter(Boolean);
        mounts.push({
          mountpoint: normalize(where),
          source: kind === 'mounts' ? 'systemd.mounts' : 'systemd.automounts',
          ...(fsType ? { fsType } : {}),
          options,
          onDemand: kind === 'automounts' || isOnDemand(options),
          definition,
        });
      }
    }
  }
  return mounts;
}

/** Services whose command line mounts a file system: `mergerfs … <branches> <mountpoint>`, `rclone mount <remote> <mountpoint>`. */
function serviceMounts(nix: NixConfiguration): NixMount[] {
  const mounts: NixMount[] = [];
  for (const service of nix.systemdServices.values()) {
    for (const target of serviceMountTargets(service)) {
      mounts.push({ mountpoint: normalize(target.mountpoint), source: 'service', fsType: target.fsType, options: [], onDemand: false, service: service.name, ...(service.declaredAt ? { definition: service.declaredAt } : {}) });
    }
  }
  return mounts;
}

/** The mount points a service's commands mount (mergerfs and rclone mount), with the FUSE type they get. */
export function serviceMountTargets(service: Pick<NixSystemdService, 'scripts'>): { mountpoint: string; fsType: string }[] {
  const targets: { mountpoint: string; fsType: string }[] = [];
  for (const script of service.scripts) {
    for (const line of commandLines(script.expanded ?? script.text)) {
      const mergerfs = mergerfsTarget(line);
      if (mergerfs) targets.push({ mountpoint: mergerfs, fsType: 'fuse.mergerfs' });
      const rclone = rcloneTarget(line);
      if (rclone) targets.push({ mountpoint: rclone, fsType: 'fuse.rclone' });
    }
  }
  return targets;
}

/** Shell commands of a script: lines (with `\` continuations joined) split at `;`, `&&`, `||`. */
function commandLines(text: string): string[][] {
  return text
    .replace(/\\\n/g, ' ')
    .split(/\n|;|&&|\|\|/)
    .map((line) => words(line))
    .filter((line) => line.length > 0);
}

/** Words of a command, quotes removed (no expansion: enough for paths and flags). */
function words(line: string): string[] {
  const result: string[] = [];
  for (const match of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) {
    const word = match[1] ?? match[2] ?? match[3] ?? '';
    if (word.startsWith('#')) break;
    result.push(word);
  }
  return result;
}

/** Index of the word that runs `name` (`mergerfs`, `/nix/store/…/bin/mergerfs`, `${pkgs.mergerfs}/bin/mergerfs`). */
function commandIndex(line: string[], name: string): number {
  return line.findIndex((word) => word === name || word.endsWith(`/bin/${name}`) || word.endsWith(`/${name}`));
}

/** mergerfs [-o opts] [-f] <branch:branch…> <mountpoint>: the last operand. */
function mergerfsTarget(line: string[]): string | undefined {
  const start = commandIndex(line, 'mergerfs');
  if (start < 0) return undefined;
  const operands: string[] = [];
  for (let i = start + 1; i < line.length; i++) {
    const word = line[i] as string;
    if (word === '-o') { i++; continue; }
    if (word.startsWith('-')) continue;
    operands.push(word);
  }
  const target = operands.length >= 2 ? operands[operands.length - 1] : undefined;
  return target?.startsWith('/') ? target : undefined;
}

/** rclone flags that take a separate value (`--config /etc/rclone.conf`): the value is not an operand. */
const RCLONE_VALUE_FLAGS = /^--(config|cache-dir|log-file|log-level|vfs-cache-mode|vfs-cache-max-size|vfs-cache-max-age|vfs-read-chunk-size|dir-cache-time|poll-interval|buffer-size|uid|gid|umask|dir-perms|file-perms|allow-other-users|volname|password-command|attr-timeout|timeout|transfers|checkers|bwlimit|user-agent|rc-addr|exclude|include|filter)$/;

/** rclone mount [flags] <remote:path> <mountpoint> [flags]: the second operand. */
function rcloneTarget(line: string[]): string | undefined {
  const start = commandIndex(line, 'rclone');
  if (start < 0 || line[start + 1] !== 'mount' && line[start + 1] !== 'nfsmount') return undefined;
  const operands: string[] = [];
  for (let i = start + 2; i < line.length; i++) {
    const word = line[i] as string;
    if (word.startsWith('-')) {
      if (!word.includes('=') && RCLONE_VALUE_FLAGS.test(word)) i++;
      continue;
    }
    operands.push(word);
  }
  const target = operands[1];
  return target?.startsWith('/') ? target : undefined;
}

/**
 * ZFS pools NixOS imports at boot: `boot.zfs.extraPools` and the pools of `fileSystems` of type zfs (nixpkgs
 * zfs.nix `allPools`). Their datasets are mounted by ZFS (`zfs mount -a`, before local-fs.target) at mount points
 * stored in the pool, not in Nix: a pool named `tank` is taken to hold `/tank` and `/<root>/tank` for the usual
 * roots (`/mnt/tank`, `/media/tank`, `/srv/tank`).
 */
function zfsPoolMounts(nix: NixConfiguration): NixMount[] {
  const pools = new Map<string, NixDefinition>();
  for (const definition of nix.definitionsOf(['boot', 'zfs', 'extraPools'])) for (const pool of stringItems(definition.value)) if (!pools.has(pool)) pools.set(pool, definition);
  for (const mount of fileSystemMounts(nix)) {
    if (mount.fsType !== 'zfs' || !mount.definition) continue;
    const device = nix.definitionsOf(['fileSystems', mount.definition.path[1] as string, 'device']).map((d) => stringOf(d.value)).find(Boolean);
    const pool = device?.split('/')[0];
    if (pool && !pools.has(pool)) pools.set(pool, mount.definition);
  }
  const mounts: NixMount[] = [];
  for (const [pool, definition] of pools) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/.test(pool)) continue;
    for (const root of zfsPoolRoots(pool)) mounts.push({ mountpoint: root, source: 'zfs-pool', fsType: 'zfs', options: [], onDemand: false, pool, definition });
  }
  return mounts;
}

/** Where a pool's datasets are taken to be: ZFS's default `/<pool>`, and the pool under the usual mount roots. */
export function zfsPoolRoots(pool: string): string[] {
  return [`/${pool}`, `/mnt/${pool}`, `/media/${pool}`, `/srv/${pool}`];
}

/**
 * disko: every `mountpoint` under `disko.devices` (partitions, LVM volumes, btrfs subvolumes, ZFS datasets, mdadm),
 * read from definitions and from list items (older disko writes `partitions = [ { … } ]`).
 */
function diskoMounts(nix: NixConfiguration): NixMount[] {
  const mounts: NixMount[] = [];
  for (const definition of nix.definitionsUnder(['disko', 'devices'])) {
    if (definition.path[definition.path.length - 1] === 'mountpoint') {
      const mountpoint = stringOf(definition.value);
      if (mountpoint) mounts.push({ mountpoint: normalize(mountpoint), source: 'disko', options: diskoOptions(nix, definition), onDemand: false, definition });
    } else if (definition.value.kind === 'list') {
      for (const mountpoint of nestedMountpoints(definition.value, 0)) mounts.push({ mountpoint: normalize(mountpoint), source: 'disko', options: [], onDemand: false, definition });
    }
  }
  return mounts;
}

/** `mountOptions` beside a disko `mountpoint` (nofail there matters for the unit ordering). */
function diskoOptions(nix: NixConfiguration, mountpoint: NixDefinition): string[] {
  const sibling = [...mountpoint.path.slice(0, -1), 'mountOptions'];
  return nix.definitionsOf(sibling).flatMap((definition) => stringItems(definition.value));
}

function nestedMountpoints(value: NixValue, depth: number): string[] {
  if (depth > 8) return [];
  if (value.kind === 'list') return value.items.flatMap((item) => nestedMountpoints(item, depth + 1));
  const fields = fieldsOf(value);
  if (!fields) return [];
  const found: string[] = [];
  for (const [name, inner] of fields) {
    const text = name === 'mountpoint' ? stringOf(inner) : undefined;
    if (text) found.push(text);
    else found.push(...nestedMountpoints(inner, depth + 1));
  }
  return found;
}

function isOnDemand(options: string[]): boolean {
  return options.includes('noauto') || options.includes('x-systemd.automount');
}

function stringOf(value: NixValue | undefined): string | undefined {
  return value?.kind === 'string' && !value.interpolated ? value.value : value?.kind === 'path' ? value.value : undefined;
}

function normalize(mountpoint: string): string {
  const collapsed = mountpoint.replace(/\/{2,}/g, '/');
  return collapsed.length > 1 ? collapsed.replace(/\/$/, '') : collapsed;
}

/** The declared mount holding `source`: the longest mount point that is it or a parent of it. */
export function nixMountCovering(source: string, mounts: readonly NixMount[]): NixMount | undefined {
  let best: NixMount | undefined;
  for (const mount of mounts) {
    const covers = source === mount.mountpoint || source.startsWith(`${mount.mountpoint}/`);
    if (covers && (!best || mount.mountpoint.length > best.mountpoint.length)) best = mount;
  }
  return best;
}
