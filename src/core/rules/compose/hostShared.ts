import * as path from 'node:path';
import type { ComposeService } from '../../compose/model';
import type { SourceLocation } from '../../text';

/**
 * What a service shares with the host's users, for puid-unmapped and pgid-unmapped.
 *
 * A container that runs as uid 1000 keeps access to files owned by 1000 whatever uid NixOS gives the login user: the
 * kernel compares numbers. The numbers matter where the same files are also used from the host — a bind mount of a
 * host folder (`/mnt/PlexStorage/media:/media`, `./config:/config`) or a device node. Named volumes and tmpfs live in
 * Docker's own storage, which no host user works in; they share nothing.
 */
export interface HostShare {
  /** The host path (bind source or device node). */
  path: string;
  kind: 'bind' | 'device';
  loc: SourceLocation;
}

/**
 * Host files bound into nearly every container that carry no data of the stack: root-owned, read for the clock or
 * the Docker API, where the service's uid does not decide anything on the host.
 */
const NOT_DATA = new Set(['/etc/localtime', '/etc/timezone', '/var/run/docker.sock', '/run/docker.sock']);

/**
 * The host paths a service shares with host users: bind sources (minus `NOT_DATA`) and non-CDI device nodes. Binds
 * outside the stack's folder (the data disks) come first, then the stack's own folders, then devices.
 */
export function hostShares(service: ComposeService): HostShare[] {
  const outside: HostShare[] = [];
  const inStack: HostShare[] = [];
  for (const volume of service.volumes) {
    if (volume.type !== 'bind' || !volume.source || NOT_DATA.has(volume.source)) continue;
    const share: HostShare = { path: volume.source, kind: 'bind', loc: volume.loc };
    (isInStackFolder(share) ? inStack : outside).push(share);
  }
  const devices: HostShare[] = service.devices.filter((device) => !device.cdi).map((device) => ({ path: device.host, kind: 'device', loc: device.loc }));
  return [...outside, ...inStack, ...devices];
}

function isInStackFolder(share: HostShare): boolean {
  return share.path.startsWith(path.dirname(share.loc.file) + path.sep);
}

/** A share as the user wrote it: `./config` for the stack's own folder, the absolute path otherwise. */
function shownPath(share: HostShare): string {
  return isInStackFolder(share) ? `./${path.relative(path.dirname(share.loc.file), share.path)}` : share.path;
}

/** "`/mnt/PlexStorage/media` (and 2 more host paths)" — the first share, for messages. */
export function describeShares(shares: HostShare[]): string {
  const [first] = shares;
  if (!first) return '';
  const more = shares.length - 1;
  return `\`${shownPath(first)}\`${more > 0 ? ` (and ${more} more host path${more === 1 ? '' : 's'})` : ''}`;
}
