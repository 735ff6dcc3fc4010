import type { NixExpr } from './nixExpr';

/**
 * One thing a configuration must say: the option at `path` has `value` (mode `set`), or the list option at
 * `path` contains the items of `value` (mode `append`). Block builders return these; the edit planner turns them
 * into minimal edits of the user's files, and the generator renders them as a fresh module.
 */
export interface DesiredSetting {
  path: string[];
  value: NixExpr;
  mode: 'set' | 'append';
  /** The value mentions `lib` (mkForce): the module's arguments must bind it. */
  needsLib?: boolean;
  /** The value mentions `pkgs`. */
  needsPkgs?: boolean;
  /** Why this value, for the generator's header comment and fix titles. */
  reason?: string;
}

/** A named group of settings that belong together (one quick fix, one section of a generated module). */
export interface Block {
  title: string;
  settings: DesiredSetting[];
}

export const set = (path: string[], value: NixExpr, extra: Partial<DesiredSetting> = {}): DesiredSetting => ({ path, value, mode: 'set', ...extra });
export const append = (path: string[], value: NixExpr, extra: Partial<DesiredSetting> = {}): DesiredSetting => ({ path, value, mode: 'append', ...extra });
