import type { WorkspaceAnalysis } from './types';

/**
 * When the analysis found nothing to check — no compose file and no NixOS configuration — says so, naming what it
 * looked for and what it did find (a flake whose modules it could not list); undefined when there is something.
 */
export function nothingToCheck(analysis: Pick<WorkspaceAnalysis, 'files' | 'configurations'>, roots: readonly string[]): string | undefined {
  if (analysis.files.composeFiles.length > 0 || analysis.configurations.length > 0) return undefined;
  const where = roots.join(', ');
  const flakes = analysis.files.flakeFiles.length;
  const flakeNote = flakes > 0 ? `; ${flakes === 1 ? 'a flake.nix was found, but it lists' : `${flakes} flake.nix files were found, but they list`} no module by path (name the host's entry module with --nix FILE)` : '';
  return `found no compose file (compose.yaml, docker-compose.yml…) and no NixOS configuration (configuration.nix, or a module a flake.nix lists) in ${where}${flakeNote}`;
}

/**
 * When there are stacks but no NixOS configuration at all, the one notice for the workspace: the stacks were
 * checked on their own (variables, published ports), nothing was compared with a host. Undefined otherwise — also
 * when there is nothing to check at all (`nothingToCheck` says that).
 */
export function noConfigurationNotice(analysis: Pick<WorkspaceAnalysis, 'files' | 'configurations'>, roots: readonly string[]): string | undefined {
  if (analysis.configurations.length > 0 || analysis.files.composeFiles.length === 0) return undefined;
  const flakes = analysis.files.flakeFiles.length;
  const flakeNote = flakes > 0 ? ` (${flakes === 1 ? 'a flake.nix was found, but it lists' : `${flakes} flake.nix files were found, but they list`} no module by path)` : '';
  return (
    `no NixOS configuration found in ${roots.join(', ')}${flakeNote}: the compose files were checked on their own (variables, published ports); ` +
    'Docker, users and groups, mounts and GPUs were not compared with a NixOS host. Name the host\'s entry module with --nix FILE (in the editor: nixosHomelab.nixosConfiguration)'
  );
}
