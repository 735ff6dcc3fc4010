import type { HostUser } from './model';
import type { Parsed } from './parsed';

/** `1000(palav)` or a bare `1000` (no name when the id has no entry in the name service). */
const ID_WITH_NAME = /^(\d+)(?:\((.*)\))?$/;

/**
 * Parses the output of `id <user>`: `uid=1000(palav) gid=1000(palav) groups=1000(palav),4(adm),110(render)`.
 * Tolerates localized keys (`Gruppen=`), a missing `groups=` part, missing names, names with dashes or spaces
 * (directory groups like `domain users`) and trailing fields such as SELinux `context=`. `fallbackName` (from the
 * file name, e.g. `id-palav.txt`) is used when the output shows no user name.
 */
export function parseId(text: string, fallbackName?: string): Parsed<HostUser | undefined> {
  const line = text.split(/\r\n|\r|\n/).find((candidate) => /\buid=\d+/.test(candidate));
  if (line === undefined) {
    return { value: undefined, warnings: [{ message: 'no "uid=" found; expected the output of `id <user>`' }] };
  }
  const fields = splitKeyValues(line.trim());
  const uidField = fields[0];
  const gidField = fields[1];
  const uid = uidField ? ID_WITH_NAME.exec(uidField.value) : null;
  const gid = gidField ? ID_WITH_NAME.exec(gidField.value) : null;
  if (!uid || !gid || gidField?.key !== 'gid') {
    return { value: undefined, warnings: [{ line: 1, message: `cannot read uid and gid from: ${line.trim()}` }] };
  }
  const name = uid[2] || fallbackName;
  if (!name) {
    return { value: undefined, warnings: [{ line: 1, message: `no user name in "${line.trim()}" and none given` }] };
  }
  const primaryGroup = gid[2] || name;
  // The third field is the supplementary list whatever the locale calls it; `context=` never holds numbers first.
  const groupsField = fields[2];
  const groups = groupsField && /^\d/.test(groupsField.value) ? parseGroupList(groupsField.value) : [];
  if (groups.length === 0) groups.push({ gid: Number(gid[1]), name: primaryGroup });
  return {
    value: { name, uid: Number(uid[1]), gid: Number(gid[1]), primaryGroup, groups },
    warnings: [],
  };
}

/**
 * Splits `k=v k2=v2` where values may contain spaces inside parentheses: a new field starts only at a space
 * followed by `word=`.
 */
function splitKeyValues(line: string): { key: string; value: string }[] {
  return line
    .split(/\s+(?=[^\s=()]+=)/)
    .map((part) => {
      const eq = part.indexOf('=');
      return { key: part.slice(0, eq), value: part.slice(eq + 1).trim() };
    })
    .filter((field) => field.key !== '');
}

function parseGroupList(value: string): { gid: number; name: string }[] {
  const groups: { gid: number; name: string }[] = [];
  // Items look like `110(render)`; a name may contain commas only inside its parentheses, so match items, not split.
  for (const item of value.matchAll(/(\d+)(?:\(([^)]*)\))?/g)) {
    const gid = Number(item[1]);
    groups.push({ gid, name: item[2] ?? String(gid) });
  }
  return groups;
}
