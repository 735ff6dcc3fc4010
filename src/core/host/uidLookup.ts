import { validateGid, validateUserName } from './shellArguments';
import { parseId } from './id';
import type { HostUser, SnapshotGap } from './model';
import { idFileName } from './rawFiles';
import { parseSections } from './sections';

/**
 * Looking users up by uid in the same read-only extraction: compose files give `PUID=1000`, but `id` wants a name.
 * The lines added to the extraction script resolve the uid with `getent passwd` and print `id <name>`, in a
 * `uid-<n>` section the generic output parser ignores; `parseUidSections` turns each into an `id-<name>.txt` file.
 */

/** Section name of the lookup of one uid. */
export function uidSection(uid: number): string {
  return `uid-${uid}`;
}

/**
 * Script lines to append to `buildExtractionScript(...)` (they reuse its `nh_section` helper). Read-only:
 * `getent passwd` and `id`. Throws a RangeError for an invalid uid: callers validate with `validateGid` first.
 */
export function uidLookupScript(uids: readonly number[]): string {
  if (uids.length === 0) return '';
  const lines = [
    // Status 2 is getent's "not found"; 127 "command not found", as the other sections report it.
    'nh_id_of_uid() {',
    '  command -v getent >/dev/null 2>&1 || { echo "getent: command not found"; return 127; }',
    '  nh_user=$(getent passwd "$1" | cut -d: -f1)',
    '  if [ -z "$nh_user" ]; then echo "no user with uid $1"; return 2; fi',
    '  id "$nh_user"',
    '}',
  ];
  for (const uid of uids) {
    const checked = validateGid(uid);
    if (!checked.ok) throw new RangeError(checked.message.replace('group id', 'user id'));
    lines.push(`nh_section ${uidSection(checked.value)} nh_id_of_uid ${checked.value}`);
  }
  return lines.join('\n') + '\n';
}

export interface UidLookupResult {
  /** `id-<name>.txt` → the `id` output, for every uid that resolved. */
  files: Map<string, string>;
  users: HostUser[];
  /** uids that did not resolve, with why (the command is recorded as `getent passwd <uid>`). */
  gaps: SnapshotGap[];
}

/** Reads the `uid-<n>` sections of the extraction output. Never throws. */
export function parseUidSections(stdout: string, uids: readonly number[]): UidLookupResult {
  const result: UidLookupResult = { files: new Map(), users: [], gaps: [] };
  const sections = parseSections(stdout);
  for (const uid of uids) {
    const section = sections.get(uidSection(uid));
    const command = `getent passwd ${uid}`;
    if (!section) {
      result.gaps.push({ command, reason: 'no output for this lookup (the extraction did not run it)' });
      continue;
    }
    if (section.rc === undefined) {
      result.gaps.push({ command, reason: 'the output ended before this lookup finished (connection lost?)' });
      continue;
    }
    const { body: content, rc: status } = section;
    const user = status === 0 ? parseId(content).value : undefined;
    if (!user) {
      const firstLine = content.split('\n').find((line) => line.trim() !== '')?.trim() ?? 'no output';
      result.gaps.push({ command, reason: status === 2 ? `the host has no user with uid ${uid}` : `${firstLine} (exit status ${status})` });
      continue;
    }
    // The name becomes a file name: only a plain login name may (never `../x`).
    if (!validateUserName(user.name).ok) {
      result.gaps.push({ command, reason: `uid ${uid} belongs to "${user.name}", which is not a plain user name; run \`id\` for it by hand` });
      continue;
    }
    result.users.push(user);
    result.files.set(idFileName(user.name), content.endsWith('\n') ? content : `${content}\n`);
  }
  return result;
}

/** Drops the generic parser's gaps for `uid-<n>` sections: `parseUidSections` reports those with a clearer command. */
export function withoutUidSections(gaps: readonly SnapshotGap[]): SnapshotGap[] {
  return gaps.filter((gap) => !/^uid-\d+$/.test(gap.command));
}
