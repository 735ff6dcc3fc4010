import * as path from 'node:path';
import type { FileSource } from './fileSource';

/**
 * Layers over a FileSource that make repeated analysis cheap and correct:
 * - a caching layer (disk texts kept until a watcher says the file changed),
 * - an overlay (texts of open editor buffers win over the disk, unsaved edits included),
 * - a recording layer (what one computation read, so its result can be reused while those reads still agree).
 */

/** A FileSource that keeps what it read until told that a path changed. */
export interface CachingFileSource extends FileSource {
  /** Forget what is known about `file` (and the listing of its folder, which a create or delete changes). */
  invalidate(file: string): void;
  invalidateAll(): void;
}

/** Caches the base source's answers; callers invalidate on file-watcher events. */
export function createCachingSource(base: FileSource): CachingFileSource {
  const texts = new Map<string, string | undefined>();
  const existence = new Map<string, boolean>();
  const listings = new Map<string, string[] | undefined>();
  return {
    readText(file) {
      if (texts.has(file)) return texts.get(file);
      const text = base.readText(file);
      texts.set(file, text);
      return text;
    },
    exists(file) {
      const known = existence.get(file);
      if (known !== undefined) return known;
      const exists = base.exists(file);
      existence.set(file, exists);
      return exists;
    },
    listDir(dir) {
      if (listings.has(dir)) return listings.get(dir);
      const names = base.listDir(dir);
      listings.set(dir, names);
      return names;
    },
    readFailure: (file) => base.readFailure(file),
    invalidate(file) {
      texts.delete(file);
      existence.delete(file);
      listings.delete(file);
      listings.delete(path.dirname(file));
    },
    invalidateAll() {
      texts.clear();
      existence.clear();
      listings.clear();
    },
  };
}

/** Texts that replace the disk's for some paths (the language server's open documents). */
export interface TextOverlay {
  textOf(file: string): string | undefined;
  /**
   * The names of the overlay's files directly in `dir`, when the overlay keeps them by folder (the open documents
   * do: the analysis lists folders many times per keystroke); without it, `files()` is scanned on each listing.
   */
  namesIn?(dir: string): Iterable<string>;
}

/** A FileSource that serves overlay texts first; a path only in the overlay exists and is listed in its folder. */
export function createOverlaySource(base: FileSource, overlay: TextOverlay & { files(): Iterable<string> }): FileSource {
  const namesIn = (dir: string): Iterable<string> => overlay.namesIn?.(dir) ?? [...overlay.files()].filter((file) => path.dirname(file) === dir).map((file) => path.basename(file));
  return {
    readText: (file) => overlay.textOf(file) ?? base.readText(file),
    exists: (file) => overlay.textOf(file) !== undefined || base.exists(file),
    listDir(dir) {
      const names = base.listDir(dir);
      const extra: string[] = [];
      for (const name of namesIn(dir)) if (!(names ?? []).includes(name)) extra.push(name);
      if (extra.length === 0) return names;
      return [...(names ?? []), ...extra];
    },
    readFailure: (file) => (overlay.textOf(file) !== undefined ? undefined : base.readFailure(file)),
  };
}

/** What one computation read through a recording source. */
export interface ReadRecord {
  texts: Map<string, string | undefined>;
  existence: Map<string, boolean>;
  /** Each listing as read (the caching source hands out the same array while it is current) and its names joined. */
  listings: Map<string, { names: readonly string[] | undefined; joined: string | undefined }>;
}

/** Wraps a source and records every answer, so `readsStillHold` can later say whether a cached result is current. */
export function createRecordingSource(base: FileSource): { source: FileSource; record: ReadRecord } {
  const record: ReadRecord = { texts: new Map(), existence: new Map(), listings: new Map() };
  const source: FileSource = {
    readText(file) {
      const text = base.readText(file);
      record.texts.set(file, text);
      return text;
    },
    exists(file) {
      const exists = base.exists(file);
      record.existence.set(file, exists);
      return exists;
    },
    listDir(dir) {
      const names = base.listDir(dir);
      record.listings.set(dir, { names, joined: names?.join('\u0000') });
      return names;
    },
    readFailure: (file) => base.readFailure(file),
  };
  return { source, record };
}

/** True when every read of the record would give the same answer now. Strings compare by value (cheap when identical). */
export function readsStillHold(record: ReadRecord, source: FileSource): boolean {
  for (const [file, text] of record.texts) if (source.readText(file) !== text) return false;
  for (const [file, exists] of record.existence) if (source.exists(file) !== exists) return false;
  for (const [dir, { names, joined }] of record.listings) {
    const now = source.listDir(dir);
    if (now !== names && now?.join('\u0000') !== joined) return false;
  }
  return true;
}

