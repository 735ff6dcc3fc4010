import type { ComposeProject } from '../compose/model';
import type { HostEvaluation } from '../evaluation/schema';
import type { HostSnapshot } from '../host/model';
import type { NixConfiguration } from '../nix/model';
import type { Finding } from '../types';
import type { Settings } from '../settings';
import type { Span } from '../nix/sourceScan';
import type { SourceLocation } from '../text';

/** Files of a homelab found under the given paths. */
export interface DiscoveredFiles {
  composeFiles: string[];
  /** Every `configuration.nix` found. */
  configurationFiles: string[];
  flakeFiles: string[];
  flakeLocks: string[];
  /** Every other .nix file (a module a configuration may import, a broken leftover: models.ts `unimportedNixErrors`). */
  nixFiles?: string[];
  /** Files that mark a snapshot folder (`snapshot.json`, the manual procedure's `pre_nixos_*`): host/snapshotFolders.ts. */
  snapshotMarkers?: string[];
  /** Paths that could not be read (permission, vanished), with why. */
  unreadable: { path: string; message: string }[];
}

/** A module of a host: a file, or the expression at `span` in a file (a Colmena node, a flake-parts module). */
export interface HostModule {
  file: string;
  span?: Span;
  /** Spans inside `span` to blank before reading it (an `imports` list of flake-parts references, read here instead). */
  blank?: Span[];
}

export interface NixosHost {
  /** The flake's or hive's name for the host, else its folder's name. */
  name: string;
  /** The host's own module (absolute): shown as "checked against", and where fixes write. */
  entry: string;
  /** Everything read as the host's configuration (the entry's file among them). */
  modules: HostModule[];
  /** The folder that holds the host's own files (a stack inside it belongs to the host). */
  folder: string;
  source: 'explicit' | 'configuration.nix' | 'flake' | 'colmena' | 'flake-parts';
}

/** The host a finding was checked against, as findings carry it. */
export interface HostRef {
  name: string;
  entry: string;
}

export type PlacementVia = '--host' | 'nixosHomelab.host' | 'nixosHomelab.hosts' | 'unit' | 'reference' | 'layout' | 'only host';

export type Placement =
  /** `evaluated`: the unit that starts the stack is known from the evaluation only (core/evaluation). */
  | { kind: 'host'; host: NixosHost; via: PlacementVia; evidence?: SourceLocation; evaluated?: true }
  /** Several hosts, and nothing says which one runs the stack. */
  | { kind: 'unknown'; reason: string }
  /** The configuration deploys stacks, but not this one. */
  | { kind: 'not-deployed' }
  /** No host at all (the workspace-wide notice covers it). */
  | { kind: 'no-configuration' };

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
