/**
 * Validation of the user names and gids that go into the extraction script. They come from compose files and
 * command lines, i.e. from text someone else wrote, so anything that is not plainly a name or a number is refused
 * before it gets near a shell.
 */

export type Validated<T> = { ok: true; value: T } | { ok: false; message: string };

/** POSIX-ish login names as useradd accepts them: lowercase start, then [a-z0-9_-], optional trailing `$`. */
const USER_NAME = /^[a-z_][a-z0-9_-]*[$]?$/;
const MAX_USER_NAME_LENGTH = 32;
/** 2^32 - 1 is (gid_t)-1, "no group"; the largest real gid is one less. */
export const MAX_GID = 2 ** 32 - 2;

/** Accepts a login name like `palav` or `svc-plex`; refuses anything a shell could read as more than a word. */
export function validateUserName(name: string): Validated<string> {
  if (name.length === 0) return { ok: false, message: 'the user name is empty' };
  if (name.length > MAX_USER_NAME_LENGTH) {
    return { ok: false, message: `user name "${name.slice(0, 40)}…" is longer than ${MAX_USER_NAME_LENGTH} characters` };
  }
  if (!USER_NAME.test(name)) {
    return {
      ok: false,
      message: `"${name}" is not a valid user name (lowercase letters, digits, "_" and "-", starting with a letter or "_")`,
    };
  }
  return { ok: true, value: name };
}

/** Accepts a gid as a number or a string of digits in 0..2^32-2 (`"110"`, `110`); refuses `"110; ls"`. */
export function validateGid(gid: number | string): Validated<number> {
  const text = typeof gid === 'number' ? String(gid) : gid.trim();
  if (!/^\d+$/.test(text)) return { ok: false, message: `"${String(gid)}" is not a group id (a whole number from 0 to ${MAX_GID})` };
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value > MAX_GID) {
    return { ok: false, message: `group id ${text} is out of range (0 to ${MAX_GID})` };
  }
  return { ok: true, value };
}

/** Wraps a word in single quotes for sh, so even a validated value is never re-read as syntax. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
