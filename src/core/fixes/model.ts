import type { FileCreation, FileEdit } from '../edits/model';

/**
 * A quick fix as the core produces it: edits on files (edits/model.ts), computed against exact file texts, with the
 * rule it resolves. The language server turns it into a WorkspaceEdit with document versions; the CLI applies it
 * and writes atomically.
 */
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
