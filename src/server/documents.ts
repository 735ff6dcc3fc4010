import * as path from 'node:path';
import { TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { MAX_INPUT_BYTES } from '../core/analysis/fileSource';
import type { TextOverlay } from '../core/analysis/fileLayers';
import { uriToPath } from './uri';

/**
 * An open document longer than this is not analysed: it gets one "too large to check" finding instead (the same
 * limit as for files read from disk, so saving it changes nothing). Real compose files and Nix modules are a few KB.
 */
export const MAX_DOCUMENT_CHARS = MAX_INPUT_BYTES;

/** What an open document over the limit reads as (the reason a read failed, after the file name). */
export function tooLargeReason(length: number): string {
  const megabytes = (value: number): string => (value / 1024 / 1024).toFixed(1).replace(/\.0$/, '');
  return `is ${megabytes(length)} MB, too large to check (the limit is ${megabytes(MAX_DOCUMENT_CHARS)} MB): it was not analysed. Is it really a compose file, .env file or Nix module?`;
}

export interface OpenDocument {
  document: TextDocument;
  /** Absolute path (only `file:` documents are analysed). */
  file: string;
}

/**
 * The editor's open documents, by URI and by path. It is the overlay of the workspace's FileSource: an open document's
 * text (unsaved edits included) replaces the file on disk for every analysis.
 */
export class OpenDocuments implements TextOverlay {
  readonly store = new TextDocuments(TextDocument);
  private readonly uriByFile = new Map<string, string>();
  /** The open files' names by folder (namesIn). */
  private readonly namesByDir = new Map<string, Set<string>>();

  constructor() {
    this.store.onDidOpen(({ document }) => {
      const file = uriToPath(document.uri);
      if (!file) return;
      this.uriByFile.set(file, document.uri);
      const dir = path.dirname(file);
      let names = this.namesByDir.get(dir);
      if (!names) this.namesByDir.set(dir, (names = new Set()));
      names.add(path.basename(file));
    });
    this.store.onDidClose(({ document }) => {
      const file = uriToPath(document.uri);
      if (!file || this.uriByFile.get(file) !== document.uri) return;
      this.uriByFile.delete(file);
      const dir = path.dirname(file);
      const names = this.namesByDir.get(dir);
      names?.delete(path.basename(file));
      if (names?.size === 0) this.namesByDir.delete(dir);
    });
  }

  byUri(uri: string): OpenDocument | undefined {
    const document = this.store.get(uri);
    const file = uriToPath(uri);
    return document && file ? { document, file } : undefined;
  }

  byFile(file: string): TextDocument | undefined {
    const uri = this.uriByFile.get(file);
    return uri === undefined ? undefined : this.store.get(uri);
  }

  /** The URI the client used for an open file (publishing under the same string keeps VS Code's markers matched). */
  uriOf(file: string): string | undefined {
    return this.uriByFile.get(file);
  }

  textOf(file: string): string | undefined {
    return this.byFile(file)?.getText();
  }

  /** The length of an open document over MAX_DOCUMENT_CHARS; undefined for others (and files not open). */
  oversizedLength(file: string): number | undefined {
    const length = this.byFile(file)?.getText().length ?? 0;
    return length > MAX_DOCUMENT_CHARS ? length : undefined;
  }

  versionOf(file: string): number | null {
    return this.byFile(file)?.version ?? null;
  }

  files(): Iterable<string> {
    return this.uriByFile.keys();
  }

  namesIn(dir: string): Iterable<string> {
    return this.namesByDir.get(dir) ?? [];
  }
}
