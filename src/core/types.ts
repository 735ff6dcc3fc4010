import type { Range, SourceLocation } from './text';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface RelatedInformation {
  location: SourceLocation;
  message: string;
}

/**
 * One thing the product tells the user. `code` is the rule id (public interface), `data` carries what a fix
 * needs so that fixes never parse the message.
 */
export interface Finding {
  code: string;
  severity: Severity;
  file: string;
  range: Range;
  /** One plain-text headline (what and where, ~120 characters at most, no Markdown): Problems, the CLI's line. */
  message: string;
  /**
   * The rest (Markdown): the NixOS background, what breaks for whom, the fix. The hover, the CLI's notes below the
   * headline, JSON's `explanation`, SARIF's `message.markdown`, the report's details.
   */
  explanation?: string;
  related: RelatedInformation[];
  data?: FindingData;
  /**
   * The host the finding was checked against (stackPlacement.ts): its name and entry module. Absent for findings
   * that need no host (a parse error, a stack checked on its own).
   */
  host?: { name: string; entry: string };
}

/** What a fix needs, keyed by the rule. Kept JSON-serialisable: it travels in LSP `Diagnostic.data`. */
export type FindingData = Record<string, string | number | boolean | null | string[] | number[]>;

/** A problem reading an input (parse error, unreadable file): surfaced as a finding, never thrown. */
export interface InputProblem {
  file: string;
  range: Range;
  /** A plain-text headline, as Finding.message. */
  message: string;
  /** The rest, as Finding.explanation (Markdown). */
  explanation?: string;
}

/**
 * File access, as the readers (compose/, nix/, host/) and fixes need it: the CLI reads the disk, the language server
 * overlays open editor buffers. The pipeline's fuller FileSource (analysis/fileSource.ts) extends it.
 */
export interface FileReader {
  /** The file's text, or undefined when it does not exist or cannot be read as text. */
  readText(path: string): string | undefined;
  exists(path: string): boolean;
}

/** File access that can also list a folder (the snapshot folder is read by listing it). */
export interface DirReader extends FileReader {
  /** Base names of the entries of `dir`, or undefined when it does not exist or cannot be read. */
  listDir(dir: string): string[] | undefined;
  /** Why the last read of this path failed, in words for the user (the disk says; others may not). */
  readFailure?(path: string): string | undefined;
}
