import type { HostSnapshot } from './model';
import { snapshotSchema } from './schema';

/**
 * The `snapshot.json` text: 2-space JSON with a trailing newline, keys in schema order whatever order the object
 * was built in, so re-extracting an unchanged host gives a byte-identical file (clean diffs in the repository).
 */
export function serializeSnapshot(snapshot: HostSnapshot): string {
  const parsed = snapshotSchema.safeParse(snapshot);
  // zod rebuilds objects in schema key order; an invalid snapshot (a bug upstream) is still written as given.
  return JSON.stringify(parsed.success ? parsed.data : snapshot, null, 2) + '\n';
}
