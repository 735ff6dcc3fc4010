import type { FileHost } from '../../../src/core/types';

/** An in-memory FileHost: absolute path → text. Paths not listed do not exist. */
export function memoryHost(files: Record<string, string>): FileHost {
  return {
    readText: (path) => (Object.prototype.hasOwnProperty.call(files, path) ? files[path] : undefined),
    exists: (path) => Object.prototype.hasOwnProperty.call(files, path),
  };
}
