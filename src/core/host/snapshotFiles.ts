import { loadSnapshotFromFiles, type SnapshotFileProblem } from './loadSnapshot';
import type { HostSnapshot, SnapshotGap } from './model';
import { validateSnapshot } from './schema';
import { serializeSnapshot } from './serializeSnapshot';

/** Where the files came from and what to record about it in snapshot.json. */
export interface SnapshotFilesOptions {
  source: HostSnapshot['source'];
  /** Gaps the extraction observed (a missing `lspci`), replacing the generic "file not found" ones. */
  gaps?: readonly SnapshotGap[];
  /** The host's name for `snapshot.json`'s `host` field. */
  host?: string;
  /** ISO time of the extraction. */
  takenAt?: string;
}

export type SnapshotFilesResult =
  | { ok: true; snapshot: HostSnapshot; files: Map<string, string>; problems: SnapshotFileProblem[] }
  | { ok: false; message: string };

/**
 * The complete contents of a snapshot folder from raw command outputs: the raw files as given plus a validated
 * `snapshot.json` built from them (an incoming `snapshot.json` is read like the loader reads it, then replaced).
 * Shared by the extraction (CLI and editor) and "Import Extraction Files", so every snapshot folder is written the
 * same way. `problems` are lines that could not be read (the snapshot is still usable). Never throws.
 */
export function completeSnapshotFiles(raw: ReadonlyMap<string, string>, options: SnapshotFilesOptions): SnapshotFilesResult {
  const loaded = loadSnapshotFromFiles(raw, options.source, options.gaps ?? []);
  const snapshot: HostSnapshot = {
    ...loaded.snapshot,
    ...(options.takenAt !== undefined ? { takenAt: options.takenAt } : {}),
    ...(options.host !== undefined ? { host: options.host } : {}),
  };
  const validation = validateSnapshot(snapshot);
  if (!validation.ok) return { ok: false, message: `the snapshot built from the files is not valid (${validation.message}); nothing was written` };
  const files = new Map(raw);
  files.set('snapshot.json', serializeSnapshot(validation.snapshot));
  return { ok: true, snapshot: validation.snapshot, files, problems: loaded.problems };
}
