import * as path from 'node:path';
import { AnalysisCache, type IncrementalAnalysis } from '../core/analysis/incremental';
import { DiskFileSource, type FileSource } from '../core/analysis/fileSource';
import { createCachingSource, createOverlaySource, type CachingFileSource } from '../core/analysis/fileLayers';
import type { NixTreeStore } from '../core/nix';
import type { Settings } from '../core/settings';
import type { WorkspaceOptions } from '../core/analysis/types';
import { tooLargeReason, type OpenDocuments } from './documents';
import { throwInjectedFault } from './faultInjection';

/** One analysed root: a workspace folder, or a file opened outside every folder. */
export interface AnalysedRoot {
  root: string;
  /** A workspace folder (true) or a lone file (false: only that file is analysed, no folder walk). */
  isFolder: boolean;
  settings: Settings;
  /**
   * The options the cache analyses with (the same object): the evaluation scheduler (evaluation.ts) sets
   * `evaluations` on it, and the next analysis merges them.
   */
  options: WorkspaceOptions;
  cache: AnalysisCache;
}

/**
 * The server's view of the workspace: one AnalysisCache per workspace folder over a shared file source (disk texts cached
 * until a watcher reports a change, open documents on top). Knows which root a file belongs to and what a file
 * event invalidates; knows nothing of LSP messages.
 */
export class WorkspaceIndex {
  readonly disk: CachingFileSource;
  readonly source: FileSource;
  private readonly roots = new Map<string, AnalysedRoot>();

  /** Nix syntax trees kept between server starts (set at initialize when there is somewhere to keep them). */
  nixTrees: NixTreeStore | undefined;

  constructor(
    private readonly documents: OpenDocuments,
    diskSource: FileSource = new DiskFileSource(),
  ) {
    this.disk = createCachingSource(diskSource);
    this.source = withoutOversizedDocuments(createOverlaySource(this.disk, documents), documents);
  }

  /** Sets (or replaces, after a settings change) the analysis of a workspace folder. */
  setFolder(root: string, settings: Settings): AnalysedRoot {
    return this.setRoot(root, true, settings);
  }

  removeFolder(root: string): void {
    this.roots.get(root)?.cache.dispose();
    this.roots.delete(root);
  }

  folders(): AnalysedRoot[] {
    return [...this.roots.values()];
  }

  /** The root a file is analysed in: the innermost folder containing it, else a lone-file root made on demand. */
  rootFor(file: string, settings: Settings): AnalysedRoot {
    let best: AnalysedRoot | undefined;
    for (const root of this.roots.values()) {
      if (!root.isFolder) continue;
      if ((file === root.root || file.startsWith(root.root + path.sep)) && (!best || root.root.length > best.root.length)) best = root;
    }
    return best ?? this.roots.get(file) ?? this.setRoot(file, false, settings);
  }

  /** Drops a lone-file root when its document closes (folders stay). */
  forgetLoneFile(file: string): void {
    const root = this.roots.get(file);
    if (root && !root.isFolder) this.removeFolder(file);
  }

  /** Analyses a root; open documents the folder walk has not seen (unsaved new files) are included. */
  analyse(root: AnalysedRoot): IncrementalAnalysis {
    throwInjectedFault(this.documents);
    return root.cache.analyse(this.openFiles(root));
  }

  /** The same analysis one step at a time (the first indexing of a root); open documents' stacks first. */
  analyseInSteps(root: AnalysedRoot): ReturnType<AnalysisCache['analyseInSteps']> {
    return root.cache.analyseInSteps(this.openFiles(root), [...this.documents.files()]);
  }

  /** Open documents inside a folder root (the walk may not know them yet: unsaved new files). */
  openFiles(root: AnalysedRoot): string[] {
    if (!root.isFolder) return [];
    return [...this.documents.files()].filter((file) => file.startsWith(root.root + path.sep));
  }

  /**
   * A watched file changed on disk. Returns true when the change can matter (so the caller re-analyses). Creations
   * and deletions may add or remove whole inputs (a compose file, an import, a snapshot folder): everything cached
   * is dropped then, which is rare enough to be cheap.
   */
  fileChanged(file: string, kind: 'created' | 'changed' | 'deleted'): void {
    if (kind === 'changed') {
      this.disk.invalidate(file);
      return;
    }
    this.disk.invalidateAll();
    for (const root of this.roots.values()) root.cache.invalidateDiscovery();
  }

  dispose(): void {
    for (const root of this.roots.values()) root.cache.dispose();
    this.roots.clear();
  }

  private setRoot(root: string, isFolder: boolean, settings: Settings): AnalysedRoot {
    this.roots.get(root)?.cache.dispose();
    const options: WorkspaceOptions = { roots: [root], settings };
    const analysed: AnalysedRoot = { root, isFolder, settings, options, cache: new AnalysisCache(options, this.source, undefined, this.nixTrees) };
    this.roots.set(root, analysed);
    return analysed;
  }
}

/**
 * The size limit at the server's boundary: an open document over MAX_DOCUMENT_CHARS reads as unreadable, with the
 * reason, so no parser ever sees it (the runner publishes one "too large to check" finding on it). The disk source
 * has the same limit for files that are not open.
 */
function withoutOversizedDocuments(source: FileSource, documents: OpenDocuments): FileSource {
  return {
    readText: (file) => (documents.oversizedLength(file) === undefined ? source.readText(file) : undefined),
    exists: (file) => source.exists(file),
    listDir: (dir) => source.listDir(dir),
    readFailure(file) {
      const length = documents.oversizedLength(file);
      return length === undefined ? source.readFailure(file) : tooLargeReason(length);
    },
  };
}
