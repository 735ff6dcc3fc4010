import type { Position, Range } from '../text';

/**
 * A quick fix as the core produces it: text edits on files, computed against exact file texts. The language
 * server turns it into a WorkspaceEdit with document versions; the CLI applies it and writes atomically.
 */
export interface TextEdit {
  range: Range;
  newText: string;
}

export interface FileEdit {
  /** Absolute path. */
  file: string;
  /** The text the edits were computed against: a fix is refused when the file no longer has it. */
  baseText: string;
  edits: TextEdit[];
  /**
   * Where the fix writes its first setting, in `baseText` (set by the Nix edit planner): what "declare it here"
   * points at and what the editor reveals after a cross-file fix. At most one FileEdit of a fix has it.
   */
  spot?: Position;
}

export interface FileCreation {
  file: string;
  text: string;
}

export interface CodeFix {
  title: string;
  /** The fix `lint --fix` and "Apply All Fixes" take. */
  preferred: boolean;
  /** The rule id the fix resolves. */
  code: string;
  edits: FileEdit[];
  /** Files to create first (homelab.nix when fixTarget is "module"). */
  creates: FileCreation[];
}

/** A fix that cannot be offered, with why (the CLI prints it as a hint line). */
export interface FixHint {
  code: string;
  message: string;
}
