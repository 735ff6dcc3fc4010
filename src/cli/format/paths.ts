import * as path from 'node:path';

/**
 * A file's path as the formats print it: relative to `cwd` (the file itself when that is empty), worked out once
 * per file — a report names the same few files thousands of times (every related location), and `path.relative`
 * resolves both paths on each call (~14 ms of the benchmark homelab's JSON report).
 */
export function relativePaths(cwd: string, fallback: (file: string) => string = (file) => file): (file: string) => string {
  const known = new Map<string, string>();
  return (file) => {
    let shown = known.get(file);
    if (shown === undefined) {
      shown = path.relative(cwd, file) || fallback(file);
      known.set(file, shown);
    }
    return shown;
  };
}
