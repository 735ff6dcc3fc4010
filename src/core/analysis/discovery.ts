import * as fs from 'node:fs';
import * as path from 'node:path';
import { isComposeFileName } from '../compose';
import { isSnapshotMarker } from '../host/snapshotFolders';
import type { DiscoveredFiles } from './types';

const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', '.direnv', 'result']);

/**
 * Walks the given files and folders. Symlinked folders are followed once (by real path), so a link loop ends;
 * unreadable entries are recorded, never thrown.
 */
export function discoverFiles(paths: string[]): DiscoveredFiles {
  const found: DiscoveredFiles = { composeFiles: [], configurationFiles: [], flakeFiles: [], flakeLocks: [], nixFiles: [], snapshotMarkers: [], unreadable: [] };
  const visitedDirectories = new Set<string>();

  const classify = (file: string): void => {
    const base = path.basename(file);
    if (isComposeFileName(base)) found.composeFiles.push(file);
    else if (base === 'configuration.nix') found.configurationFiles.push(file);
    else if (base === 'flake.nix') found.flakeFiles.push(file);
    else if (base === 'flake.lock') found.flakeLocks.push(file);
    else if (base.endsWith('.nix')) found.nixFiles?.push(file);
    else if (isSnapshotMarker(base)) found.snapshotMarkers?.push(file);
  };

  const walk = (directory: string): void => {
    let real: string;
    try {
      real = fs.realpathSync(directory);
    } catch (error) {
      found.unreadable.push({ path: directory, message: describeFsError(error) });
      return;
    }
    if (visitedDirectories.has(real)) return;
    visitedDirectories.add(real);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(directory, { withFileTypes: true });
    } catch (error) {
      found.unreadable.push({ path: directory, message: describeFsError(error) });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) walk(full);
      } else if (entry.isSymbolicLink()) {
        const stat = safeStat(full);
        if (stat?.isDirectory()) {
          if (!SKIPPED_DIRECTORIES.has(entry.name)) walk(full);
        } else if (stat?.isFile()) classify(full);
      } else if (entry.isFile()) {
        classify(full);
      }
    }
  };

  for (const given of paths) {
    const absolute = path.resolve(given);
    const stat = safeStat(absolute);
    if (!stat) found.unreadable.push({ path: absolute, message: 'no such file or folder' });
    else if (stat.isDirectory()) walk(absolute);
    else classify(absolute);
  }
  return found;
}

function safeStat(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'no such file or folder';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'EISDIR':
      return 'is a folder';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
