import * as path from 'node:path';
import { evaluatedRelease } from '../evaluation/schema';
import { NEWEST_STABLE_RELEASE } from '../nix/nixosDefaults';
import type { FileSource } from './fileSource';
import type { DiscoveredFiles, WorkspaceOptions } from './types';

/** The NixOS release: flag/setting, else the nixpkgs branch pinned in flake.lock, else the newest known. */
export function detectRelease(files: DiscoveredFiles, options: WorkspaceOptions, source: FileSource): { release: string; source: string } {
  const given = options.release || options.settings.nixosRelease;
  if (given) return { release: normalizeRelease(given), source: options.release ? '--release' : 'nixosHomelab.nixosRelease' };
  const evaluated = evaluatedRelease(options.evaluations?.values() ?? []);
  if (evaluated) return { release: normalizeRelease(evaluated), source: `system.nixos.release, evaluated (${evaluated})` };
  for (const lock of files.flakeLocks) {
    const branch = nixpkgsBranch(source.readText(lock));
    if (branch) return { release: normalizeRelease(branch), source: `${path.basename(path.dirname(lock))}/flake.lock (${branch})` };
  }
  return { release: NEWEST_STABLE_RELEASE, source: `newest stable release known (${NEWEST_STABLE_RELEASE})` };
}

function normalizeRelease(text: string): string {
  const match = /(\d{2}\.\d{2})/.exec(text);
  return match?.[1] ?? NEWEST_STABLE_RELEASE;
}

/** The `ref` of the nixpkgs input in a flake.lock, e.g. `nixos-25.05`. */
export function nixpkgsBranch(lockText: string | undefined): string | undefined {
  if (!lockText) return undefined;
  try {
    const lock = JSON.parse(lockText) as { nodes?: Record<string, { original?: { ref?: string }; inputs?: Record<string, unknown> }>; root?: string };
    const nodes = lock.nodes ?? {};
    const rootInputs = nodes[lock.root ?? 'root']?.inputs ?? {};
    const nixpkgsNode = typeof rootInputs['nixpkgs'] === 'string' ? rootInputs['nixpkgs'] : 'nixpkgs';
    return nodes[nixpkgsNode]?.original?.ref;
  } catch {
    return undefined;
  }
}
