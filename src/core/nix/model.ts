import type { SourceLocation } from '../text';
import type { InputProblem } from '../types';
import type { NixSyntaxTree } from './syntaxTree';

/**
 * The Nix model: the option definitions of a NixOS configuration (an entry module plus everything reachable
 * through `imports`), flattened to full attribute paths, and the views the rules need on top of them.
 * Reading is syntactic and tolerant: what cannot be understood is `unknown`, never an exception.
 */

/** How a definition's value was wrapped: `lib.mkForce` → force, `lib.mkDefault` → default, `mkOverride n` → override. */
export type Priority = 'plain' | 'force' | 'default' | 'override';

/** A value read without evaluation. `let` bindings of literals are resolved; anything else is unknown. */
export type NixValue =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'null' }
  | { kind: 'string'; value: string; /** true when the string has ${…} interpolation (value then holds the literal parts only) */ interpolated: boolean }
  | { kind: 'path'; value: string }
  | { kind: 'list'; items: NixValue[] }
  | { kind: 'attrs' }
  | { kind: 'unknown'; text: string };

export interface NixDefinition {
  /** Full option path, e.g. ['users', 'groups', 'render', 'gid']. Quoted names unquoted: fileSystems."/mnt/x" → ['fileSystems', '/mnt/x']. */
  path: string[];
  value: NixValue;
  priority: Priority;
  /**
   * The module system's numeric priority (lower wins): mkForce 50, plain 100, mkDefault 1000, mkOverride n → n.
   * Undefined when an `mkOverride` level cannot be read.
   */
  numericPriority?: number;
  /** True when the definition sits under a `mkIf`/`mkMerge`/conditional: it may not apply. */
  conditional: boolean;
  file: string;
  /** The whole binding `a.b = v;`. */
  loc: SourceLocation;
  /** The value expression (after the mk* wrapper, i.e. `110` in `lib.mkForce 110`). */
  valueLoc: SourceLocation;
  /** The value expression including any mk* wrapper. */
  exprLoc: SourceLocation;
}

export interface NixUser {
  name: string;
  uid?: number;
  uidDef?: NixDefinition;
  group?: string;
  isNormalUser?: boolean;
  extraGroups: string[];
  extraGroupsDef?: NixDefinition;
  /** The first definition that mentions this user (for related information). */
  declaredAt?: NixDefinition;
}

export interface NixGroup {
  name: string;
  gid?: number;
  gidDef?: NixDefinition;
  priority: Priority;
  /** NixOS itself declares the group (render, video, users, docker…): its default gid. */
  nixosDefaultGid?: number;
  /** The option that makes NixOS declare the group (`services.journald.gateway.enable`); unset when always declared. */
  nixosDeclaredBy?: string;
  declaredAt?: NixDefinition;
}

export interface NixSystemdService {
  name: string;
  after: string[];
  wants: string[];
  requires: string[];
  requiresMountsFor: string[];
  /** script, preStart, postStart: the string text with a map back to source offsets. */
  scripts: NixScript[];
  declaredAt?: NixDefinition;
}

/**
 * A systemd service that runs Compose, as Nix evaluated it: its texts are final (every `${…}` of Nix replaced; what is
 * left is the shell's). nix/composeUnits.ts reads it like a unit it read from the source.
 */
export interface EvaluatedComposeUnit {
  service: string;
  /** `script`, then `serviceConfig.ExecStartPre` and `ExecStart` command lines. */
  scripts: string[];
  workingDirectory?: string;
  environmentFiles: string[];
  environment: Record<string, string>;
  /** Where the unit is shown: the first workspace file that defines it, else the entry module. */
  loc: SourceLocation;
  /** The workspace file or folder a path Nix reported stands for (a flake's store copy), or undefined. */
  workspacePath(reported: string): string | undefined;
}

export interface NixScript {
  /** 'script' | 'preStart' | 'postStart' | 'serviceConfig.ExecStart' */
  attribute: string;
  /** The shell text as Nix would produce it ('' escapes resolved, ${…} kept as written). */
  text: string;
  /**
   * `text` with the interpolations of `let`-bound string and path literals replaced by their values, and path
   * literals (`${./stacks/plex}`) by absolute paths; other `${…}` kept. Offsets do not map back: match on `text`
   * for ranges.
   */
  readonly expanded?: string;
  file: string;
  /** Maps an offset in `text` to the offset in the file's text, so a finding can point into the string. */
  sourceOffset(textOffset: number): number;
  definition: NixDefinition;
}

/**
 * An `imports` element whose module is not read, so what it declares is unknown here: a file that is not in the
 * repository (hardware-configuration.nix kept on the host), a NIX_PATH lookup (`<home-manager/nixos>`), a flake
 * input's module (`inputs.sops-nix.nixosModules.sops`), a computed expression — or a module of nixpkgs itself
 * (`(modulesPath + "/installer/scan/not-detected.nix")`), which is not reported but can still declare options.
 */
export interface UnreadableImport {
  /** The element in the importing file (the entry module itself when the entry cannot be read). */
  loc: SourceLocation;
  /** The element as written, on one line. */
  written: string;
  kind: 'missing-file' | 'search-path' | 'flake-input' | 'expression' | 'nixpkgs';
  /** missing-file: the absolute path looked for. */
  target?: string;
}

export interface NixConfiguration {
  /** Entry module (absolute path). */
  entry: string;
  /** Every file read (entry first, then imports in order). */
  files: string[];
  /** Every definition found, in file order. */
  definitions: NixDefinition[];
  /** Parse errors, an unreadable entry module, import cycles. */
  problems: InputProblem[];
  /** Imports whose modules are not read (rules/unreadableModules.ts asks whether one may hold an option). */
  unreadableImports: UnreadableImport[];
  /** All definitions whose path starts with (or equals) the prefix (a shared, read-only list). */
  definitionsUnder(prefix: string[]): readonly NixDefinition[];
  /** The definitions of exactly this path. */
  definitionsOf(path: string[]): NixDefinition[];
  /** Users by name, merged across files. */
  users: Map<string, NixUser>;
  /** Groups by name, merged across files, NixOS built-in groups included (with nixosDefaultGid). */
  groups: Map<string, NixGroup>;
  findUserByUid(uid: number): NixUser | undefined;
  findGroupByGid(gid: number): NixGroup | undefined;
  systemdServices: Map<string, NixSystemdService>;
  /** The units that run Compose as Nix evaluated them (evaluation/merge.ts); undefined without an evaluation. */
  evaluatedComposeUnits?: EvaluatedComposeUnit[];
  /** A host known only from Nix (analysis/nixOnlyHosts.ts): no module was read, every value is the evaluation's. */
  evaluatedOnly?: true;
  /** `system.stateVersion`, if readable. */
  stateVersion?: string;
  /**
   * The text each file was read from (the editor's buffer when open), so a rule can turn file offsets (e.g. from
   * `NixScript.sourceOffset`) into positions against exactly the text the model describes. Optional: added for the
   * Nix-side rules; undefined for files not read.
   */
  sourceText?(file: string): string | undefined;
  /**
   * The syntax tree each file was read from (settingSpot.ts reads where a missing setting would be written from it).
   * Optional like `sourceText`; undefined for files not read.
   */
  syntaxTree?(file: string): NixSyntaxTree | undefined;
}
