import type { ComposeProject } from '../compose/model';
import type { HostEvaluation } from '../evaluation/schema';
import type { HostSnapshot } from '../host/model';
import type { NixConfiguration } from '../nix/model';
import type { Finding } from '../types';
import type { Settings } from '../settings';
import type { DiscoveredFiles } from './discovery';
import type { NixosHost } from './nixosHosts';
import type { Placement } from './stackPlacement';

/** What to analyse and how; the CLI fills it from flags, the language server from settings and workspace folders. */
export interface WorkspaceOptions {
  /** Folders (or files) searched for compose and Nix files. */
  roots: string[];
  /** Explicit entry modules (`--nix`); otherwise `settings.nixosConfiguration`, `configuration.nix` files, flake modules. */
  nixFiles?: string[];
  /** Snapshot folder; relative paths resolve against the first root. */
  snapshotDir?: string;
  /** Release override (`--release`); otherwise settings, flake.lock, newest known. */
  release?: string;
  /** The host every stack is checked against (`--host NAME`); otherwise `settings.host`, then stackPlacement.ts. */
  host?: string;
  /** What Nix evaluated, by host (nixosHosts.ts `hostKey`): merged into the static model (`lint --eval`). */
  evaluations?: ReadonlyMap<string, HostEvaluation>;
  /** Hosts known only from Nix (core/analysis/nixOnlyHosts.ts): added when their evaluation in `evaluations` is complete. */
  nixOnlyHosts?: readonly NixosHost[];
  settings: Settings;
}

export interface WorkspaceAnalysis {
  projects: ComposeProject[];
  configurations: NixConfiguration[];
  /** For each compose file: the entry module it was checked against. */
  entryForProject: Map<string, string>;
  /** The hosts found (nixosHosts.ts), each with a configuration in `configurations`. */
  hosts: NixosHost[];
  /** Each stack's host, or why it has none, by its main compose file (stackPlacement.ts). */
  placements: Map<string, Placement>;
  snapshot: HostSnapshot | undefined;
  release: string;
  releaseSource: string;
  findings: Finding[];
  files: DiscoveredFiles;
}
