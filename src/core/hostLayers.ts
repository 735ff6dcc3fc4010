import * as path from 'node:path';
import type { DiskHost } from './fileHost';

/**
 * Layers over a DiskHost that make repeated analysis cheap and correct:
 * - a caching layer (disk texts kept until a watcher says the file changed),
 * - an overlay (texts of open editor buffers win over the disk, unsaved edits included),
 * - a recording layer (what one computation read, so its result can be reused while those reads still agree).
 */

/** A DiskHost that keeps what it read until told that a path changed. */
export interface CachingHost extends DiskHost {
  /** Forget what is known about `file` (and the listing of its folder, which a create or delete changes). */
  invalidate(file: string): void;
  invalidateAll(): void;
}

/** Caches the base host's answers; callers invalidate on file-watcher events. */
export function createCachingHost(base: DiskHost): CachingHost {
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
}

/** A DiskHost that serves overlay texts first; a path only in the overlay exists and is listed in its folder. */
export function createOverlayHost(base: DiskHost, overlay: TextOverlay & { files(): Iterable<string> }): DiskHost {
  return {
    readText: (file) => overlay.textOf(file) ?? base.readText(file),
    exists: (file) => overlay.textOf(file) !== undefined || base.exists(file),
    listDir(dir) {
      const names = base.listDir(dir);
      const extra: string[] = [];
      for (const file of overlay.files()) {
        if (path.dirname(file) === dir && !(names ?? []).includes(path.basename(file))) extra.push(path.basename(file));
      }
      if (extra.length === 0) return names;
      return [...(names ?? []), ...extra];
    },
    readFailure: (file) => (overlay.textOf(file) !== undefined ? undefined : base.readFailure(file)),
  };
}

/** What one computation read through a RecordingHost. */
export interface ReadRecord {
  texts: Map<string, string | undefined>;
  existence: Map<string, boolean>;
  /** Each listing as read (the caching host hands out the same array while it is current) and its names joined. */
  listings: Map<string, { names: readonly string[] | undefined; joined: string | undefined }>;
}

/** Wraps a host and records every answer, so `readsStillHold` can later say whether a cached result is current. */
export function createRecordingHost(base: DiskHost): { host: DiskHost; record: ReadRecord } {
  const record: ReadRecord = { texts: new Map(), existence: new Map(), listings: new Map() };
  const host: DiskHost = {
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
  return { host, record };
}

/** True when every read of the record would give the same answer now. Strings compare by value (cheap when identical). */
export function readsStillHold(record: ReadRecord, host: DiskHost): boolean {
  for (const [file, text] of record.texts) if (host.readText(file) !== text) return false;
  for (const [file, exists] of record.existence) if (host.exists(file) !== exists) return false;
  for (const [dir, { names, joined }] of record.listings) {
    const now = host.listDir(dir);
    if (now !== names && now?.join('\u0000') !== joined) return false;
  }
  return true;
}
