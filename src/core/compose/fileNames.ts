import type { FileReader } from '../types';
import { resolveAgainst } from './paths';

/** The main compose file names `docker compose` looks for in a folder, in its order of preference. */
export const COMPOSE_FILE_NAMES: readonly string[] = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];

/** The override file names `docker compose` merges onto the main file, in its order of preference. */
export const COMPOSE_OVERRIDE_FILE_NAMES: readonly string[] = [
  'compose.override.yml',
  'compose.override.yaml',
  'docker-compose.override.yml',
  'docker-compose.override.yaml',
];

/** Whether a file's base name is a main compose file name (`docker-compose.yml`, `compose.yaml`, …). */
export function isComposeFileName(basename: string): boolean {
  return COMPOSE_FILE_NAMES.includes(basename);
}

/** Whether a file's base name is an override sibling (`docker-compose.override.yml`, `compose.override.yaml`, …). */
export function isComposeOverrideName(basename: string): boolean {
  return COMPOSE_OVERRIDE_FILE_NAMES.includes(basename);
}

/**
 * The override file Compose would merge in `dir`, if any. Like `docker compose`, only the first existing name
 * counts (it warns about and ignores the others), whichever main file name the folder uses.
 */
export function findOverrideFile(dir: string, reader: FileReader): string | undefined {
  for (const name of COMPOSE_OVERRIDE_FILE_NAMES) {
    const file = resolveAgainst(dir, name);
    if (reader.exists(file)) return file;
  }
  return undefined;
}

/** The main compose file Compose would pick in `dir` (first existing name), if any. */
export function findMainComposeFile(dir: string, reader: FileReader): string | undefined {
  for (const name of COMPOSE_FILE_NAMES) {
    const file = resolveAgainst(dir, name);
    if (reader.exists(file)) return file;
  }
  return undefined;
}
