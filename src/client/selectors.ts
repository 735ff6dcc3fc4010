/**
 * Which documents the language server sees and which files it is told about. Compose files are matched by NAME,
 * whatever their language id (`yaml` without the Docker extension, `dockercompose` with it) — SPEC §6.
 */
export const COMPOSE_PATTERN = '**/{docker-compose,compose}{,.*}.{yml,yaml}';

export const DOCUMENT_SELECTOR = [
  { scheme: 'file', pattern: COMPOSE_PATTERN },
  { scheme: 'file', language: 'dockercompose' },
  { scheme: 'file', pattern: '**/{.env,*.env}' },
  { scheme: 'file', language: 'nix' },
  { scheme: 'file', pattern: '**/*.nix' },
];

/** Files whose change on disk can change findings (the server re-analyses on these watcher events). */
export function watchedGlobs(snapshotPath: string): string[] {
  const snapshot = snapshotPath.replace(/^\.\/+/, '').replace(/\/+$/, '');
  const globs = ['**/*.nix', '**/{.env,*.env}', '**/{docker-,}compose*.y*ml', '**/flake.lock', '**/.nixos-homelab/snapshot/**'];
  // An absolute snapshot folder outside the workspace is read once per analysis; only a relative one can be watched here.
  if (snapshot && !snapshot.startsWith('/') && snapshot !== '.nixos-homelab/snapshot') globs.push(`**/${snapshot}/**`);
  return globs;
}
