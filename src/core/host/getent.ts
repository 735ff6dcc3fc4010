import type { HostGroup } from './model';
import { splitLines, type Parsed, type ParseWarning } from './parsed';

/**
 * Parses `getent group …` output (or /etc/group lines): `render:x:110:palav,plex`, one group per line. An empty
 * member list (`render:x:110:`) gives no members; a line whose gid is not a number is skipped with a warning.
 */
export function parseGetentGroup(text: string): Parsed<HostGroup[]> {
  const groups: HostGroup[] = [];
  const warnings: ParseWarning[] = [];
  splitLines(text).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(':');
    const name = fields[0] ?? '';
    const gidText = fields[2] ?? '';
    if (fields.length < 3 || name === '' || !/^\d+$/.test(gidText)) {
      warnings.push({ line: index + 1, message: `not a group line (expected name:x:gid:members): ${line}` });
      return;
    }
    const members = (fields[3] ?? '')
      .split(',')
      .map((member) => member.trim())
      .filter((member) => member !== '');
    groups.push({ name, gid: Number(gidText), members });
  });
  return { value: groups, warnings };
}
