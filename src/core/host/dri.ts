import type { DriNode } from './model';
import { splitLines, type Parsed, type ParseWarning } from './parsed';

/** mode, link count, owner, group, then the rest (`226, 128 Jan  1 10:00 renderD128`). */
const LS_LINE = /^([bcdlps-][rwxsStT-]{9}[.+@]?)\s+\d+\s+(\S+)\s+(\S+)\s+(.*\S)\s*$/;

/** Resolves a group or user name when `ls -l` (without `-n`) printed names instead of numbers. */
export type IdResolver = (name: string) => number | undefined;

/**
 * Parses `ls -ln /dev/dri`: keeps the character devices (`card0`, `renderD128`) with their numeric owner, group and
 * mode, and skips `total`, the `by-path` directory and symlinks. Output of plain `ls -l` (names instead of numbers)
 * is accepted when `resolveGroup` / `resolveUser` know the names; `root` is always 0.
 */
export function parseDri(text: string, resolveGroup?: IdResolver, resolveUser?: IdResolver): Parsed<DriNode[]> {
  const nodes: DriNode[] = [];
  const warnings: ParseWarning[] = [];
  splitLines(text).forEach((raw, index) => {
    const match = LS_LINE.exec(raw.trim());
    if (!match || !match[1]?.startsWith('c')) return;
    const [, mode = '', owner = '', group = '', rest = ''] = match;
    const node = rest.split(/\s+/).pop() ?? '';
    const uid = toId(owner, resolveUser);
    const gid = toId(group, resolveGroup);
    if (uid === undefined || gid === undefined) {
      warnings.push({ line: index + 1, message: `cannot tell the numeric owner/group of ${node} ("${owner}" "${group}"); use \`ls -ln\`` });
      return;
    }
    nodes.push({ node, uid, gid, mode });
  });
  return { value: nodes, warnings };
}

function toId(value: string, resolve: IdResolver | undefined): number | undefined {
  if (/^\d+$/.test(value)) return Number(value);
  if (value === 'root') return 0;
  return resolve?.(value);
}
