import type { Position, Range } from '../text';

/**
 * Edits as the core computes them: text edits on files, against exact file texts. A quick fix (fixes/model.ts) is
 * made of these; the Nix edit planner and the YAML editors produce them; the language server turns them into a
 * WorkspaceEdit with document versions, the CLI applies them and writes atomically.
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
