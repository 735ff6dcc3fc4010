import type { ComposeProject } from '../compose/model';
import { parseId } from '../rules/facts';

/** What `extract` asks the old host about when no --user/--gid is given. */
export interface DerivedTargets {
  /** User names written in `user:` (e.g. `user: palav`). */
  users: string[];
  /** uids from PUID and `user:`, resolved to names on the host. */
  uids: number[];
  /** gids from PGID, the gid of `user:` and numeric `group_add`. */
  gids: number[];
}

/**
 * The ids and names the compose files rely on, each once, ascending. Root (0) is left out: it is the same on
 * every Linux. Values that are neither a plain name nor a number (unresolved `${VAR}`) are skipped.
 */
export function deriveExtractionTargets(projects: readonly ComposeProject[]): DerivedTargets {
  const users = new Set<string>();
  const uids = new Set<number>();
  const gids = new Set<number>();
  const addId = (into: Set<number>, text: string | undefined): void => {
    const id = parseId(text);
    if (id !== undefined && id !== 0) into.add(id);
  };
  for (const project of projects) {
    for (const service of project.services) {
      addId(uids, service.environment.get('PUID')?.value);
      addId(gids, service.environment.get('PGID')?.value);
      const user = service.user?.user.value;
      if (user !== undefined && parseId(user) === undefined && /^[a-z_][a-z0-9_-]*$/.test(user) && user !== 'root') users.add(user);
      else addId(uids, user);
      addId(gids, service.user?.group?.value);
      for (const entry of service.groupAdd) addId(gids, entry.value);
    }
  }
  const ascending = (a: number, b: number): number => a - b;
  return { users: [...users].sort(), uids: [...uids].sort(ascending), gids: [...gids].sort(ascending) };
}
