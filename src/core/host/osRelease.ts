import type { OsRelease } from './model';
import { splitLines, type Parsed } from './parsed';

/**
 * Reads every `KEY=value` assignment of /etc/os-release (os-release(5)): values may be double- or single-quoted,
 * and double-quoted ones may escape `"`, `\`, `$` and `` ` `` with a backslash. Comments and junk lines are skipped.
 */
export function parseOsReleaseFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const raw of splitLines(text)) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(raw);
    if (!match) continue;
    const key = match[1] ?? '';
    fields.set(key, unquote((match[2] ?? '').trim()));
  }
  return fields;
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1).replace(/\\(["\\$`])/g, '$1');
  }
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1);
  return value;
}

/** Parses /etc/os-release into the few facts the product uses (ID, VERSION_ID, PRETTY_NAME). */
export function parseOsRelease(text: string): Parsed<OsRelease> {
  const fields = parseOsReleaseFields(text);
  const os: OsRelease = {};
  const id = fields.get('ID');
  const versionId = fields.get('VERSION_ID');
  const prettyName = fields.get('PRETTY_NAME');
  if (id) os.id = id;
  if (versionId) os.versionId = versionId;
  if (prettyName) os.prettyName = prettyName;
  const warnings = fields.size === 0 ? [{ message: 'no KEY=value lines found; is this the content of /etc/os-release?' }] : [];
  return { value: os, warnings };
}
