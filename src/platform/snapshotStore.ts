/**
 * Writes a snapshot folder (raw files plus snapshot.json) as a whole: the files go to a temporary folder beside
 * the target, which then replaces it with a rename, so a failed or interrupted extraction never leaves a folder
 * that mixes two hosts. An existing snapshot is replaced only when asked, and is then kept as
 * `<dir>.bak-<UTC timestamp>` beside it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export type SnapshotWriteResult =
  | { ok: true; dir: string; written: string[]; backup?: string }
  | { ok: false; kind: 'exists' | 'io'; message: string };

export interface SnapshotWriteOptions {
  /** Replace an existing snapshot (it is kept as a backup). */
  force: boolean;
  /** For the backup name; tests pass a fixed time. */
  now?: Date;
}

/** Why `dir` cannot take a new snapshot without --force, or undefined when it can (checked before extracting). */
export function snapshotDirBlocked(dir: string): string | undefined {
  const existing = listDir(path.resolve(dir));
  if (existing === 'not-a-folder') return `${path.resolve(dir)} exists and is not a folder`;
  if (existing !== undefined && existing.length > 0) {
    return `${path.resolve(dir)} already holds a snapshot; pass --force to replace it (the old one is kept as ${path.basename(dir)}.bak-<time>)`;
  }
  return undefined;
}

/** Writes `files` (base name → text) into `dir`. Never throws. */
export function writeSnapshotDir(dir: string, files: ReadonlyMap<string, string>, options: SnapshotWriteOptions): SnapshotWriteResult {
  const target = path.resolve(dir);
  for (const name of files.keys()) {
    // Names come from the extraction (user names included): never a path.
    if (name !== path.basename(name) || name.startsWith('.') || name === '') {
      return { ok: false, kind: 'io', message: `refusing to write "${name}" into the snapshot folder: not a plain file name` };
    }
  }
  const existing = listDir(target);
  if (existing === 'not-a-folder') return { ok: false, kind: 'io', message: `${target} exists and is not a folder` };
  if (existing !== undefined && existing.length > 0 && !options.force) {
    return { ok: false, kind: 'exists', message: `${target} already holds a snapshot; pass --force to replace it (the old one is kept as ${path.basename(target)}.bak-<time>)` };
  }

  let temp: string | undefined;
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    temp = fs.mkdtempSync(`${target}.tmp-`);
    // mkdtemp makes the folder private (0700); a snapshot folder is an ordinary project folder.
    fs.chmodSync(temp, 0o755);
    for (const [name, text] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) fs.writeFileSync(path.join(temp, name), text, { flag: 'wx' });
    let backup: string | undefined;
    if (existing !== undefined) {
      if (existing.length === 0) fs.rmdirSync(target);
      else {
        backup = freeBackupName(`${target}.bak-${timestamp(options.now ?? new Date())}`);
        fs.renameSync(target, backup);
      }
    }
    try {
      fs.renameSync(temp, target);
    } catch (error) {
      // Put the old snapshot back rather than leave no snapshot at all.
      if (backup) fs.renameSync(backup, target);
      throw error;
    }
    temp = undefined;
    const written = [...files.keys()].sort();
    return backup ? { ok: true, dir: target, written, backup } : { ok: true, dir: target, written };
  } catch (error) {
    return { ok: false, kind: 'io', message: `cannot write the snapshot to ${target}: ${(error as Error).message}` };
  } finally {
    if (temp) fs.rmSync(temp, { recursive: true, force: true });
  }
}

function listDir(dir: string): string[] | undefined | 'not-a-folder' {
  try {
    if (!fs.statSync(dir).isDirectory()) return 'not-a-folder';
    return fs.readdirSync(dir);
  } catch {
    return undefined;
  }
}

/** `base`, or `base-2`, `base-3`… when an earlier backup of the same second exists (two imports in a row). */
function freeBackupName(base: string): string {
  let name = base;
  for (let n = 2; fs.existsSync(name); n++) name = `${base}-${n}`;
  return name;
}

/** `20250308T091200Z`: sorts by time, no characters a file system or shell minds. */
function timestamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}
