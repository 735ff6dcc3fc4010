import * as path from 'node:path';

/*
 * Paths come from the FileReader (native to the machine running the analysis) while bind sources in compose files
 * are paths on the old Linux host. Both are handled as POSIX unless the host path is clearly a Windows one.
 */

function flavourOf(file: string): path.PlatformPath {
  return /^[A-Za-z]:[\\/]/.test(file) || (file.includes('\\') && !file.includes('/')) ? path.win32 : path.posix;
}

/** The file name part of a path (`/stack/docker-compose.yml` → `docker-compose.yml`). */
export function baseName(file: string): string {
  return flavourOf(file).basename(file);
}

/** The folder part of a path. */
export function dirName(file: string): string {
  return flavourOf(file).dirname(file);
}

/** `relative` against `dir` (normalised); absolute paths are returned normalised. */
export function resolveAgainst(dir: string, relative: string): string {
  const flavour = flavourOf(dir);
  return flavour.isAbsolute(relative) ? flavour.normalize(relative) : flavour.join(dir, relative);
}

/**
 * A bind-mount source as Compose resolves it on the old host: `./data` and `../x` against the stack folder,
 * absolute paths normalised, `~` kept as written (it is the old host's home, unknown here).
 */
export function resolveBindSource(dir: string, source: string): string {
  if (source.startsWith('~')) return source;
  if (source.startsWith('/')) return path.posix.normalize(source);
  return resolveAgainst(dir, source);
}
