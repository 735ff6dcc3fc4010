/**
 * Writes a file the way an editor's "save" should: the new text goes to a temporary file in the same folder, which
 * then replaces the original by `rename` (atomic on one file system), so a crash or a full disk never leaves half a
 * configuration. The original's permission bits (and owner, when running as root) are kept. A file that changed
 * since it was analysed, or that is read-only, is refused and left untouched.
 *
 * A symbolic link (a configuration.nix linked into a dotfiles repository) is written through: the new text goes
 * to the file the link points to, atomically next to it, and the link stays a link. Renaming onto the link itself
 * would replace it with a regular file and leave the real file with the old text. A link whose target does not
 * exist is refused.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export type AtomicWriteResult = { ok: true } | { ok: false; kind: AtomicWriteRefusal; message: string };

/**
 * Why a write was refused: the file exists (creation), changed since analysis, is read-only, is a symbolic link
 * to nothing, or I/O failed.
 */
export type AtomicWriteRefusal = 'exists' | 'changed' | 'read-only' | 'dangling-link' | 'io';

type Resolved = { ok: true; path: string; linked: boolean } | { ok: false; kind: AtomicWriteRefusal; message: string };

/**
 * The file a write to `file` must replace: `file` itself, or the file at the end of its chain of symbolic links
 * (`linked`). A link to nothing is refused: writing would either fail or put a regular file where the link was.
 */
export function resolveWriteTarget(file: string): Resolved {
  let link: fs.Stats | undefined;
  try {
    link = fs.lstatSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return { ok: false, kind: 'io', message: `${file}: cannot be read: ${(error as Error).message}` };
  }
  if (link?.isSymbolicLink()) {
    try {
      return { ok: true, path: fs.realpathSync(file), linked: true };
    } catch {
      let target = '?';
      try {
        target = fs.readlinkSync(file);
      } catch {
        // Shown as "?" then: the message still says what to do.
      }
      return {
        ok: false,
        kind: 'dangling-link',
        message: `${file} is a symbolic link to ${target}, which does not exist; nothing written. Restore the file it points to, or replace the link with a regular file, and run again`,
      };
    }
  }
  if (link) return { ok: true, path: file, linked: false };
  // A file to create: its folder may be a link (the new file then goes where the folder points), or missing (the
  // checks that follow say so).
  try {
    return { ok: true, path: path.join(fs.realpathSync(path.dirname(file)), path.basename(file)), linked: false };
  } catch {
    return { ok: true, path: file, linked: false };
  }
}

export interface AtomicWriteOptions {
  /** The text the new content was computed from; undefined when creating a file that must not exist yet. */
  baseText: string | undefined;
}

/** Checks that `file` may be written (exists with `baseText`, or is absent for a creation) without writing. */
export function checkWritable(file: string, options: AtomicWriteOptions): AtomicWriteResult {
  const resolved = resolveWriteTarget(file);
  if (!resolved.ok) return resolved;
  return checkResolved(file, resolved.path, options);
}

/** `checkWritable` on the file a link points to (`target`); messages name what the user gave (`file`). */
function checkResolved(given: string, target: string, options: AtomicWriteOptions): AtomicWriteResult {
  const file = target;
  const name = path.basename(given);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return { ok: false, kind: 'io', message: `${file}: cannot be read: ${(error as Error).message}` };
  }
  if (options.baseText === undefined) {
    if (stat) return { ok: false, kind: 'exists', message: `${file} already exists; not overwriting it (run the fix again to merge into it)` };
  } else {
    if (!stat) return { ok: false, kind: 'changed', message: `${file} changed on disk since analysis (it no longer exists); nothing written` };
    if (!stat.isFile()) return { ok: false, kind: 'io', message: `${file} is not a regular file; nothing written` };
    // Root may write anyway, but a file without any write bit was made read-only on purpose.
    if ((stat.mode & 0o222) === 0 || !accessible(file, fs.constants.W_OK)) {
      return { ok: false, kind: 'read-only', message: `${file} is read-only; make it writable (or fix it by hand) and run again; nothing written` };
    }
    let current: string;
    try {
      current = fs.readFileSync(file, 'utf8');
    } catch (error) {
      return { ok: false, kind: 'io', message: `${file}: cannot be read: ${(error as Error).message}` };
    }
    if (current !== options.baseText) return { ok: false, kind: 'changed', message: `${name} changed on disk since analysis (${file}); run the command again; nothing written` };
  }
  if (!accessible(path.dirname(file), fs.constants.W_OK)) return { ok: false, kind: 'read-only', message: `${path.dirname(file)}: the folder is not writable; nothing written` };
  return { ok: true };
}

/** Writes `text` to `file` (or the file it links to) atomically after `checkWritable`. */
export function writeFileAtomic(file: string, text: string, options: AtomicWriteOptions): AtomicWriteResult {
  const resolved = resolveWriteTarget(file);
  if (!resolved.ok) return resolved;
  const checked = checkResolved(file, resolved.path, options);
  if (!checked.ok) return checked;
  return replaceAtomically(resolved.path, text, options.baseText === undefined ? undefined : fs.statSync(resolved.path));
}

/**
 * Writes a whole new file (e.g. `generate --out`): refused when it exists unless `overwrite`; an overwritten file
 * keeps its mode. No base text: the caller owns the content.
 */
export function writeFileAtomically(given: string, text: string, options: { overwrite: boolean }): AtomicWriteResult {
  const resolved = resolveWriteTarget(given);
  if (!resolved.ok) return resolved;
  const file = resolved.path;
  let existing: fs.Stats | undefined;
  try {
    existing = fs.statSync(file);
  } catch {
    existing = undefined;
  }
  if (existing && !options.overwrite) return { ok: false, kind: 'exists', message: `${given} already exists` };
  if (existing && ((existing.mode & 0o222) === 0 || !accessible(file, fs.constants.W_OK))) return { ok: false, kind: 'read-only', message: `${file} is read-only; nothing written` };
  if (!accessible(path.dirname(file), fs.constants.W_OK)) return { ok: false, kind: 'read-only', message: `${path.dirname(file)}: the folder is not writable; nothing written` };
  return replaceAtomically(file, text, existing?.isFile() ? existing : undefined);
}

function replaceAtomically(file: string, text: string, existing: fs.Stats | undefined): AtomicWriteResult {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`);
  try {
    fs.writeFileSync(temp, text, { encoding: 'utf8', flag: 'wx', mode: existing ? existing.mode & 0o7777 : 0o644 });
    // writeFileSync's mode is filtered by the umask: set the original bits exactly.
    if (existing) fs.chmodSync(temp, existing.mode & 0o7777);
    if (existing && process.getuid?.() === 0) {
      try {
        fs.chownSync(temp, existing.uid, existing.gid);
      } catch {
        // Keeping the owner is best effort (e.g. not permitted on some mounts); the content matters more.
      }
    }
    fs.renameSync(temp, file);
    return { ok: true };
  } catch (error) {
    try {
      fs.unlinkSync(temp);
    } catch {
      // The temporary file may never have been created.
    }
    return { ok: false, kind: 'io', message: `${file}: could not be written: ${(error as Error).message}; the original is unchanged` };
  }
}

function accessible(file: string, mode: number): boolean {
  try {
    fs.accessSync(file, mode);
    return true;
  } catch {
    return false;
  }
}
