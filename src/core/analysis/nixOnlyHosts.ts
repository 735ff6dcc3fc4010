/**
 * Hosts from Nix: the hosts Nix lists for a flake (`nixosConfigurations`, Colmena nodes) that the static reader did
 * not find — built by `mapAttrs mkHost` over something it cannot read, flake-parts, import-tree. Such a host has no
 * module the static reader knows: its configuration is the evaluated one alone (evaluation/merge.ts marks it), so it is checked
 * against evaluated values only (evaluation/findings.ts `ruleRunsOn`), and only when its evaluation succeeded in full.
 */
import * as path from 'node:path';
import type { NixosHost } from './types';
import { failedParts, type HostEvaluation } from '../evaluation/schema';

/**
 * A host known only from Nix: no modules (its configuration is the evaluation's), its entry the flake.nix that lists
 * it (where its findings without a better place sit), and a folder no stack lies in (a stack is placed on it by an
 * evaluated unit, never by the layout).
 */
export function nixOnlyHost(name: string, flakeDir: string): NixosHost {
  return { name, entry: path.join(flakeDir, 'flake.nix'), modules: [], folder: path.join(flakeDir, `#nixosConfigurations.${name}`), source: 'flake' };
}

/** Whether a host is known only from Nix (nixOnlyHost). */
export function isNixOnlyHost(host: NixosHost): boolean {
  return host.modules.length === 0;
}

/** The names Nix lists that no host the static reader found of the same flake has. */
function unseenHostNames(listed: readonly string[], staticHosts: readonly NixosHost[], flakeDir: string): string[] {
  const known = new Set(staticHosts.filter((host) => host.entry === flakeDir || host.entry.startsWith(`${flakeDir}${path.sep}`)).map((host) => host.name));
  return [...new Set(listed)].filter((name) => !known.has(name)).sort();
}

/**
 * What a flake's listing by Nix adds to the hosts the static reader found: the `nixosConfigurations` it missed (to be
 * evaluated and checked against their evaluated values only), the Colmena nodes it missed (named, not evaluated), and
 * one notice for each kind that is not empty. The CLI and the editor say the same.
 */
export function hostsOnlyNixFinds(listed: { nixosConfigurations: readonly string[]; colmena: readonly string[] }, staticHosts: readonly NixosHost[], flakeDir: string): { hosts: string[]; nodes: string[]; notices: string[] } {
  const hosts = unseenHostNames(listed.nixosConfigurations, staticHosts, flakeDir);
  const nodes = unseenHostNames(listed.colmena, staticHosts, flakeDir).filter((name) => !hosts.includes(name));
  const notices: string[] = [];
  if (nodes.length > 0) notices.push(`Colmena nodes of ${flakeDir} that only Nix finds, not checked (Colmena hives are not evaluated yet): ${nodes.join(', ')}`);
  if (hosts.length > 0) notices.push(`hosts of ${flakeDir} that only Nix finds (nixosConfigurations), checked against their evaluated values only: ${hosts.join(', ')}`);
  return { hosts, nodes, notices };
}

/** The Nix-only hosts that are checked: those whose evaluation is there and complete (nothing left to a static reading that is empty). */
export function checkedNixOnlyHosts(hosts: readonly NixosHost[], evaluationOf: (host: NixosHost) => HostEvaluation | undefined): NixosHost[] {
  return hosts.filter((host) => {
    const evaluation = evaluationOf(host);
    return evaluation !== undefined && failedParts(evaluation.projection).length === 0;
  });
}
