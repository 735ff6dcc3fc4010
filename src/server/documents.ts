import { TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextOverlay } from '../core/hostLayers';
import { uriToPath } from './uri';

export interface OpenDocument {
  document: TextDocument;
  /** Absolute path (only `file:` documents are analysed). */
  file: string;
}

/**
 * The editor's open documents, by URI and by path. It is the overlay of the workspace host: an open document's
 * text (unsaved edits included) replaces the file on disk for every analysis.
 */
export class OpenDocuments implements TextOverlay {
  readonly store = new TextDocuments(TextDocument);
  private readonly uriByFile = new Map<string, string>();

  constructor() {
    this.store.onDidOpen(({ document }) => {
      const file = uriToPath(document.uri);
      if (file) this.uriByFile.set(file, document.uri);
    });
    this.store.onDidClose(({ document }) => {
      const file = uriToPath(document.uri);
      if (file && this.uriByFile.get(file) === document.uri) this.uriByFile.delete(file);
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

  versionOf(file: string): number | null {
    return this.byFile(file)?.version ?? null;
  }

  files(): Iterable<string> {
    return this.uriByFile.keys();
  }
}
