import type { FileReader } from '../../../src/core/types';

/** An in-memory FileReader: absolute path → text. Paths not listed do not exist. */
export function memoryHost(files: Record<string, string>): FileReader {
  return {
    readText: (path) => (Object.prototype.hasOwnProperty.call(files, path) ? files[path] : undefined),
    exists: (path) => Object.prototype.hasOwnProperty.call(files, path),
  };
}
