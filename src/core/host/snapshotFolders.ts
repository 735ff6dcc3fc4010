/**
 * Snapshot folders in a workspace other than the configured one: the bundled example keeps its snapshot in
 * `snapshot/`, a user may have copied the manual procedure's `pre_nixos_*.txt` files anywhere. The editor offers
 * such a folder (a notification, and a code action on the findings a snapshot would change). A folder counts when
 * it holds a `snapshot.json` or a `pre_nixos_*` file the snapshot loader reads (classifyRawFile); the backups
 * Extract and Import keep (`snapshot.bak-<time>`) never do.
 */
import * as path from 'node:path';
import { classifyRawFile } from './rawFiles';

export interface SnapshotFolderCandidate {
  /** Absolute path. */
  dir: string;
  /** Relative to the workspace folder, with `/` (what `nixosHomelab.snapshotPath` stores); `.` for the folder itself. */
  relative: string;
}

/** Whether a file's base name marks its folder as a snapshot folder. */
export function isSnapshotMarker(baseName: string): boolean {
  return (baseName === 'snapshot.json' || baseName.startsWith('pre_nixos_')) && classifyRawFile(baseName) !== undefined;
}

/**
 * The folders of `root` holding snapshot markers (`markers`: absolute file paths, e.g. discovery's
 * `snapshotMarkers`), except `configuredDir` and backups; shallowest first, then by name.
 */
export function snapshotFolderCandidates(root: string, markers: readonly string[], configuredDir: string): SnapshotFolderCandidate[] {
  const configured = path.resolve(configuredDir);
  const dirs = [...new Set(markers.filter((file) => isSnapshotMarker(path.basename(file))).map((file) => path.dirname(path.resolve(file))))];
  return dirs
    .filter((dir) => dir !== configured && !/\.bak-[^/\\]*$/.test(dir) && (dir === root || dir.startsWith(root + path.sep)))
    .map((dir) => ({ dir, relative: path.relative(root, dir).split(path.sep).join('/') || '.' }))
    .sort((a, b) => a.relative.split('/').length - b.relative.split('/').length || (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
}
