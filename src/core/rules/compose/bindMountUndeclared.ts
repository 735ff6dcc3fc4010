import * as path from 'node:path';
import type { ComposeService, VolumeMount } from '../../compose/model';
import { dataMounts, mountCovering } from '../../host';
import type { DataMount, HostSnapshot } from '../../host/model';
import { declaredMounts, nixMountCovering, type NixMount } from '../../nix/mounts';
import { perService, type RuleFinding, type ServiceRuleContext } from '../rule';
import { displayFile, relatedToMissing } from '../facts';
import { listNames } from '../grouping';

/** True when `child` is `parent` or lies below it, on path-segment boundaries. */
export function pathCovers(parent: string, child: string): boolean {
  if (parent === '/') return true;
  const normalizedParent = parent.replace(/\/+$/, '');
  return child === normalizedParent || child.startsWith(`${normalizedParent}/`);
}

/** The old host's data mount holding `source` (from the snapshot's fstab and lsblk), if any. */
export function snapshotDataMount(source: string, snapshot: HostSnapshot): DataMount | undefined {
  return mountCovering(path.posix.normalize(source), dataMounts(snapshot));
}

/** The mount root (`/mnt`, `/media`, `/srv`) a path lies strictly below, if any. */
export function mountRootOf(source: string, mountRoots: string[]): string | undefined {
  const normalized = path.posix.normalize(source);
  return mountRoots.map((root) => root.replace(/\/+$/, '')).find((root) => root !== '' && normalized.startsWith(`${root}/`));
}

/**
 * NixOS mounts the old host's data disk when a declared mount holds the source and is not a mere parent folder of
 * the disk (`fileSystems."/mnt"` does not mount `/mnt/PlexStorage`); a ZFS pool's datasets count wherever they sit.
 */
function nixMountsDataDisk(mount: NixMount | undefined, disk: DataMount): boolean {
  return mount !== undefined && (mount.source === 'zfs-pool' || pathCovers(disk.mountpoint, mount.mountpoint));
}

/** Bind mounts with an absolute host path that is known: none built from a variable that is set nowhere. */
function bindSources(volumes: VolumeMount[]): (VolumeMount & { source: string })[] {
  return volumes.filter((v): v is VolumeMount & { source: string } =>
    v.type === 'bind' && typeof v.source === 'string' && v.source.startsWith('/') && !v.sourceUnresolved && !(v.substitutions ?? []).some((sub) => sub.source === 'unset'));
}

/** Propagation modes under which mounts made on the host below the source later reach the container. */
const RECEIVING_PROPAGATION = new Set(['shared', 'rshared', 'slave', 'rslave']);

export const bindMountUndeclared = perService({
  id: 'bind-mount-undeclared',
  side: 'compose',
  defaultSeverity: 'warning',
  summary: 'A bind-mount source lies on a data disk NixOS does not mount, or above mount points the container will not see.',
  fixable: (data, ctx) => ctx.hasConfiguration && (typeof data?.['uuid'] === 'string' || typeof data?.['device'] === 'string'),
  // One missing disk behind several binds of a stack is one problem; so is "is /mnt a disk?" for a stack.
  grouping: {
    key: (found) => {
      const kind = found.data?.['kind'];
      if (kind === 'undeclared-disk') return `disk\0${String(found.data?.['mountpoint'])}`;
      if (kind === 'unknown-disk') return `root\0${String(found.data?.['root'])}`;
      return undefined;
    },
    related: (found) => `${String(found.data?.['source'])} of service ${String(found.data?.['service'])} too`,
    note: (others) => `The same holds for ${others.length === 1 ? 'another bind' : `${others.length} more binds`} of this stack (services ${listNames([...new Set(others.map((o) => String(o.data?.['service'])))])})`,
  },
  checkService(service: ComposeService, ctx: ServiceRuleContext): RuleFinding[] {
    // Checked against no configuration, every disk would be "undeclared".
    if (!ctx.nix) return [];
    const declared = declaredMounts(ctx.nix);
    const findings: RuleFinding[] = [];
    for (const volume of bindSources(service.volumes)) {
      const source = path.posix.normalize(volume.source);
      const covering = nixMountCovering(source, declared);
      if (ctx.snapshot) {
        const disk = snapshotDataMount(source, ctx.snapshot);
        if (disk && !nixMountsDataDisk(covering, disk)) findings.push(undeclaredDisk(service, volume, disk, ctx));
      } else if (!covering && !declared.some((mount) => pathCovers(source, mount.mountpoint))) {
        // A folder that holds declared mount points (`/mnt` above `/mnt/nas`) is not itself taken for a disk.
        const root = mountRootOf(source, ctx.mountRoots);
        if (root) findings.push(unknownDisk(service, volume, root));
      }
      const hidden = automountsBelow(source, declared, volume);
      if (hidden.length > 0) findings.push(automountsHidden(service, volume, hidden));
    }
    return findings;
  },
});

/** The old host mounted a disk there and NixOS declares nothing that mounts it: a warning, fixable from the snapshot. */
function undeclaredDisk(service: ComposeService, volume: VolumeMount & { source: string }, mount: DataMount, ctx: ServiceRuleContext): RuleFinding {
  const disk = mount.uuid ? ` (${[mount.fsType, `UUID ${mount.uuid}`].filter(Boolean).join(', ')})` : mount.fsType ? ` (${mount.fsType})` : '';
  const advice = mount.uuid || mount.device
    ? `declare \`fileSystems."${mount.mountpoint}"\` with the old fstab's device and options`
    : 'declare it in `fileSystems` (its device is not in the snapshot)';
  return {
    file: volume.loc.file,
    range: volume.loc.range,
    message: `Bind mount ${volume.source} of service ${service.name}: NixOS does not mount its disk`,
    explanation: `\`${volume.source}\`${origin(volume)} lies on the data disk ${mount.mountpoint}${disk} of the old host, but nothing in the configuration mounts it (no \`fileSystems."${mount.mountpoint}"\`, systemd mount, mounting service, ZFS pool or disko mountpoint): NixOS will not mount it and the container writes into an empty folder on the root disk.\n\nFix: ${advice}.`,
    related: relatedToMissing(ctx, ['fileSystems', mount.mountpoint, 'device'], `fileSystems."${mount.mountpoint}" is missing here`),
    data: {
      kind: 'undeclared-disk',
      service: service.name,
      source: volume.source,
      mountpoint: mount.mountpoint,
      uuid: mount.uuid ?? null,
      device: mount.device ?? null,
      fsType: mount.fsType ?? null,
      options: mount.options,
      origin: mount.origin,
    },
  };
}

/**
 * No snapshot and nothing declared there: a folder under /mnt may just as well be on the root disk (a plain
 * `/mnt/docker`), so this is information, and names no mount point (none is known).
 */
function unknownDisk(service: ComposeService, volume: VolumeMount & { source: string }, root: string): RuleFinding {
  return {
    file: volume.loc.file,
    range: volume.loc.range,
    message: `Bind mount ${volume.source} of service ${service.name}: no NixOS mount covers it`,
    explanation: `\`${volume.source}\`${origin(volume)} is under ${root}, where data disks are often mounted, and nothing in the configuration mounts it. Without a snapshot of the old host it is not known to be a separate disk: if it is, declare its mount point in \`fileSystems\` (\`nixos-homelab extract\` on the old host, or the command "NixOS Homelab: Extract Host State over SSH…", learns its UUID and options); a folder on the root disk needs nothing.`,
    related: [],
    severity: 'information',
    data: { kind: 'unknown-disk', root, service: service.name, source: volume.source },
  };
}

/**
 * Mount points NixOS mounts on demand (automounts, `noauto`) strictly below the bind source: with Docker's default
 * `rprivate` propagation the container keeps the empty folders it saw at start.
 */
function automountsBelow(source: string, declared: readonly NixMount[], volume: VolumeMount): NixMount[] {
  if (volume.propagation && RECEIVING_PROPAGATION.has(volume.propagation)) return [];
  const seen = new Set<string>();
  return declared.filter((mount) => mount.onDemand && mount.mountpoint !== source && pathCovers(source, mount.mountpoint) && !seen.has(mount.mountpoint) && seen.add(mount.mountpoint));
}

function automountsHidden(service: ComposeService, volume: VolumeMount & { source: string }, hidden: NixMount[]): RuleFinding {
  const points = hidden.map((mount) => mount.mountpoint);
  const listed = points.length > 3 ? `${points.slice(0, 3).join(', ')} and ${points.length - 3} more` : points.join(', ');
  return {
    file: volume.loc.file,
    range: volume.loc.range,
    message: `Bind mount ${volume.source} of service ${service.name} holds ${points.length === 1 ? 'a mount' : 'mounts'} made on demand, which the container never sees`,
    explanation: `\`${volume.source}\` holds ${listed}, which NixOS mounts on demand (automount or \`noauto\`), after the container may have started: with Docker's default propagation (rprivate) the container never sees a mount made later and shows the empty folder.\n\nFix: use the long syntax with \`bind: { propagation: rslave }\` (or \`:rslave\` in the short form), or bind each mount point on its own.`,
    related: hidden.flatMap((mount) => (mount.definition ? [{ location: { file: mount.definition.file, range: mount.definition.loc.range }, message: `${mount.mountpoint} is mounted on demand here` }] : [])),
    data: { kind: 'automount-below', automounts: points },
  };
}

/** "(`${UPLOAD_LOCATION}`, UPLOAD_LOCATION from immich/.env)" for an interpolated source. */
function origin(volume: VolumeMount): string {
  if (!volume.raw || volume.raw === volume.source) return '';
  const subs = (volume.substitutions ?? []).filter((sub) => sub.source === 'env-file' && sub.file);
  const from = subs.length ? `, ${subs.map((sub) => `${sub.name} from ${displayFile(sub.file ?? '')}`).join(', ')}` : '';
  return ` (\`${volume.raw.split(':')[0]}\`${from})`;
}
