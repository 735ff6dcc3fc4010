import * as fs from 'node:fs';
import type { FileHost } from './types';

/** Larger inputs are not configuration files; reading them would only stall the editor. */
export const MAX_INPUT_BYTES = 4 * 1024 * 1024;

/** A FileHost that can also list folders and say why a read failed. */
export interface DiskHost extends FileHost {
  listDir(dir: string): string[] | undefined;
  /** Why the last read of this path failed, in words for the user. */
  readFailure(path: string): string | undefined;
}

/** Reads from disk, caching nothing; an overlay (the language server's open documents) can wrap it. */
export function createDiskHost(): DiskHost {
  const failures = new Map<string, string>();
  return {
    readText(file: string): string | undefined {
      try {
        const stat = fs.statSync(file);
        if (!stat.isFile()) {
          failures.set(file, 'is not a regular file');
          return undefined;
        }
        if (stat.size > MAX_INPUT_BYTES) {
          failures.set(file, `is ${(stat.size / 1024 / 1024).toFixed(1)} MB, larger than the ${MAX_INPUT_BYTES / 1024 / 1024} MB a configuration file can reasonably be; skipped`);
          return undefined;
        }
        const text = fs.readFileSync(file, 'utf8');
        failures.delete(file);
        return text;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        failures.set(file, code === 'EACCES' || code === 'EPERM' ? 'cannot be read: permission denied' : code === 'ENOENT' ? 'does not exist' : `cannot be read: ${(error as Error).message}`);
        return undefined;
      }
    },
    exists(file: string): boolean {
      return fs.existsSync(file);
    },
    listDir(dir: string): string[] | undefined {
      try {
        return fs.readdirSync(dir);
      } catch {
        return undefined;
      }
    },
    readFailure(file: string): string | undefined {
      return failures.get(file);
    },
  };
}
