import type { ComposeService, Located } from './model';

/** A uid or gid a service asks for, with how it asked (for messages: "PUID", "`user:` gid"…). */
export interface RequestedId {
  value: Located<string>;
  via: string;
}

/** The uids a service runs as or chowns to: `PUID` (linuxserver.io convention) and the uid part of `user:`. */
export function requestedUids(service: ComposeService): RequestedId[] {
  const uids: RequestedId[] = [];
  const puid = service.environment.get('PUID');
  if (puid) uids.push({ value: puid, via: 'PUID' });
  if (service.user) uids.push({ value: service.user.user, via: '`user:`' });
  return uids;
}

/** The gids a service uses: `PGID`, the gid part of `user:`, `group_add` entries (names included; callers filter). */
export function requestedGids(service: ComposeService): RequestedId[] {
  const gids: RequestedId[] = [];
  const pgid = service.environment.get('PGID');
  if (pgid) gids.push({ value: pgid, via: 'PGID' });
  if (service.user?.group) gids.push({ value: service.user.group, via: '`user:` gid' });
  for (const entry of service.groupAdd) gids.push({ value: entry, via: '`group_add`' });
  return gids;
}
