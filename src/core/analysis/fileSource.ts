import * as fs from 'node:fs';
import type { DirReader } from '../types';

/** Larger inputs are not configuration files; reading them would only stall the editor. */
export const MAX_INPUT_BYTES = 4 * 1024 * 1024;

/**
 * Where the analysis reads its inputs: the disk for the CLI, the disk plus open editor buffers in the language
 * server (fileLayers.ts). Everything the pipeline reads, discovery included, goes through one FileSource.
 */
export interface FileSource extends DirReader {
  /** Why the last read of this path failed, in words for the user. */
  readFailure(path: string): string | undefined;
}

/** Reads from disk, caching nothing; the language server wraps it in layers (fileLayers.ts). */
export class DiskFileSource implements FileSource {
  private readonly failures = new Map<string, string>();

  readText(file: string): string | undefined {
    try {
      const stat = fs.statSync(file);
      if (!stat.isFile()) {
        this.failures.set(file, 'is not a regular file');
        return undefined;
      }
      if (stat.size > MAX_INPUT_BYTES) {
        this.failures.set(file, `is ${(stat.size / 1024 / 1024).toFixed(1)} MB, larger than the ${MAX_INPUT_BYTES / 1024 / 1024} MB a configuration file can reasonably be; skipped`);
        return undefined;
      }
      const text = fs.readFileSync(file, 'utf8');
      this.failures.delete(file);
      return text;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      this.failures.set(file, code === 'EACCES' || code === 'EPERM' ? 'cannot be read: permission denied' : code === 'ENOENT' ? 'does not exist' : `cannot be read: ${(error as Error).message}`);
      return undefined;
    }
  }

  exists(file: string): boolean {
    return fs.existsSync(file);
  }

  listDir(dir: string): string[] | undefined {
    try {
      return fs.readdirSync(dir);
    } catch {
      return undefined;
    }
  }

  readFailure(file: string): string | undefined {
    return this.failures.get(file);
  }
}
