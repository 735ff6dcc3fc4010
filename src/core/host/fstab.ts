import type { FstabEntry } from './model';
import { decodePathEscapes, splitLines, type Parsed, type ParseWarning } from './parsed';

const SPEC_PREFIXES: [prefix: string, kind: FstabEntry['specKind']][] = [
  ['UUID=', 'uuid'],
  ['PARTUUID=', 'partuuid'],
  ['LABEL=', 'label'],
  ['PARTLABEL=', 'partlabel'],
];

const BY_PATHS: [prefix: string, kind: FstabEntry['specKind']][] = [
  ['/dev/disk/by-uuid/', 'uuid'],
  ['/dev/disk/by-partuuid/', 'partuuid'],
  ['/dev/disk/by-label/', 'label'],
  ['/dev/disk/by-partlabel/', 'partlabel'],
];

/**
 * Parses /etc/fstab (fstab(5)): comments, blank lines, any mix of tabs and spaces, `\040`-style escapes in the
 * source and mount point, `"quoted"` tag values, and missing trailing fields (type `auto`, options `defaults`,
 * dump and pass 0, as mount does). Lines with fewer than two fields are skipped with a warning.
 */
export function parseFstab(text: string): Parsed<FstabEntry[]> {
  const entries: FstabEntry[] = [];
  const warnings: ParseWarning[] = [];
  splitLines(text).forEach((raw, index) => {
    const line = index + 1;
    const fields = raw.trim().split(/[ \t]+/);
    const commentAt = fields.findIndex((field) => field.startsWith('#'));
    if (commentAt !== -1) fields.length = commentAt;
    if (fields.length === 0 || fields[0] === '') return;
    const [spec = '', mountpoint, fsType = 'auto', optionText = 'defaults', dump, pass] = fields;
    if (mountpoint === undefined) {
      warnings.push({ line, message: `only one field on the line ("${raw.trim()}"); expected source, mount point, type, options` });
      return;
    }
    if (fields.length < 4) warnings.push({ line, message: `missing fields on the line; assuming type "${fsType}" and options "${optionText}"` });
    entries.push({
      spec,
      ...classifySpec(spec),
      mountpoint: decodePathEscapes(mountpoint),
      fsType,
      options: splitOptions(optionText),
      dump: toNumber(dump, line, 'dump', warnings),
      pass: toNumber(pass, line, 'pass', warnings),
      line,
    });
  });
  return { value: entries, warnings };
}

/** Tells what the first fstab field names: a UUID, a label, a device path or something else (tmpfs, NFS …). */
export function classifySpec(spec: string): Pick<FstabEntry, 'specKind' | 'specValue'> {
  for (const [prefix, kind] of SPEC_PREFIXES) {
    if (spec.toUpperCase().startsWith(prefix)) return { specKind: kind, specValue: stripQuotes(decodePathEscapes(spec.slice(prefix.length))) };
  }
  for (const [prefix, kind] of BY_PATHS) {
    if (spec.startsWith(prefix)) return { specKind: kind, specValue: decodePathEscapes(spec.slice(prefix.length)) };
  }
  if (spec.startsWith('/dev/')) return { specKind: 'device', specValue: decodePathEscapes(spec) };
  return { specKind: 'other', specValue: decodePathEscapes(spec) };
}

function stripQuotes(value: string): string {
  return value.length >= 2 && /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
}

/** Splits mount options on commas, except commas inside double quotes (`context="a,b"`). */
function splitOptions(text: string): string[] {
  const options: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    if (ch === ',' && !quoted) {
      options.push(current);
      current = '';
    } else current += ch;
  }
  options.push(current);
  return options.filter((option) => option !== '');
}

function toNumber(value: string | undefined, line: number, field: string, warnings: ParseWarning[]): number {
  if (value === undefined) return 0;
  if (/^\d+$/.test(value)) return Number(value);
  warnings.push({ line, message: `${field} field "${value}" is not a number; using 0` });
  return 0;
}
