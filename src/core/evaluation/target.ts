/**
 * What to evaluate for a host, and the key its cached result is kept under. Pure but for reading the workspace's
 * files (to hash them); running Nix is src/platform/nixEval.ts's job.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NixosHost } from '../analysis/types';
import { PROJECTION } from './projection';

export type EvaluationTarget =
  /** `nixosConfigurations.<host>` of the flake in `flakeDir`. */
  | { kind: 'flake'; host: string; flakeDir: string }
  /** `import <nixpkgs/nixos> { configuration = entry; }`, nixpkgs found through NIX_PATH / `-I`. */
  | { kind: 'classic'; host: string; entry: string }
  | { kind: 'unsupported'; host: string; reason: string };

/**
 * The target of a host: a flake's host (flake-parts included) is evaluated from the flake that holds its entry module
 * (the deepest `flake.nix` above it); a `configuration.nix` or an entry given with `--nix` as a classic configuration.
 */
export function evaluationTarget(host: NixosHost, flakeFiles: readonly string[]): EvaluationTarget {
  if (host.source === 'colmena') return { kind: 'unsupported', host: host.name, reason: 'Colmena hives are not evaluated yet (only `nixosConfigurations` of a flake and classic configurations)' };
  if (host.source === 'flake' || host.source === 'flake-parts') {
    const holders = flakeFiles.map((file) => path.dirname(file)).filter((dir) => host.entry === dir || host.entry.startsWith(`${dir}${path.sep}`));
    const flakeDir = holders.sort((a, b) => b.length - a.length)[0];
    if (flakeDir) return { kind: 'flake', host: host.name, flakeDir };
    return { kind: 'unsupported', host: host.name, reason: `no flake.nix was found above ${host.entry}` };
  }
  return { kind: 'classic', host: host.name, entry: host.entry };
}

const SKIPPED = new Set(['.git', 'node_modules', '.direnv', 'result']);
const MAX_HASHED_FILES = 5000;

/**
 * The cache key of an evaluation: the projection, the target, the Nix search path and every `.nix` file and
 * `flake.lock` under the target's folder (plus `extraFiles`, the modules the static reader followed outside it) —
 * any edit, lock update or channel switch evaluates again.
 */
export function evaluationCacheKey(target: Exclude<EvaluationTarget, { kind: 'unsupported' }>, context: { nixPath: string; includes: readonly string[]; extraFiles: readonly string[]; nixVersion: string }): string {
  const hash = createHash('sha256');
  hash.update(PROJECTION).update('\0').update(JSON.stringify(target)).update('\0').update(context.nixVersion).update('\0');
  // A search path entry is hashed by where it points now (a channel switch moves the link).
  for (const entry of [...context.nixPath.split(':'), ...context.includes]) {
    const location = entry.includes('=') ? entry.slice(entry.indexOf('=') + 1) : entry;
    hash.update(entry).update('\0').update(realpathOrSelf(location)).update('\0');
  }
  const root = target.kind === 'flake' ? target.flakeDir : path.dirname(target.entry);
  const files = new Set<string>();
  collect(root, files);
  for (const file of context.extraFiles) files.add(path.resolve(file));
  for (const file of [...files].sort()) {
    hash.update(file).update('\0');
    try {
      hash.update(fs.readFileSync(file));
    } catch {
      hash.update('<unreadable>');
    }
    hash.update('\0');
  }
  return hash.digest('hex');
}

function collect(dir: string, files: Set<string>): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (files.size >= MAX_HASHED_FILES) return;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED.has(entry.name)) collect(full, files);
    } else if (entry.name.endsWith('.nix') || entry.name === 'flake.lock') {
      files.add(full);
    }
  }
}

function realpathOrSelf(location: string): string {
  try {
    return fs.realpathSync(location);
  } catch {
    return location;
  }
}
