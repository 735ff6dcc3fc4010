import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DirReader } from '../../../../src/core/types';

export const REPO_ROOT = resolve(__dirname, '../../../..');
export const POP_OS_SNAPSHOT = join(REPO_ROOT, 'examples/pop-os-homelab/snapshot');
export const UBUNTU_HOST = join(REPO_ROOT, 'test/fixtures/hosts/ubuntu-24.04');
export const NIXOS_HOST = join(REPO_ROOT, 'test/fixtures/hosts/nixos-24.11');

/** Reads one fixture file. */
export function fixture(dir: string, name: string): string {
  return readFileSync(join(dir, name), 'utf8');
}

/** Every file of a fixture folder, keyed by base name, as loadSnapshotFromFiles takes them. */
export function folderFiles(dir: string): Map<string, string> {
  return new Map(readdirSync(dir).map((name) => [name, fixture(dir, name)]));
}

/** A DirReader over the real disk. */
export const diskHost: DirReader = {
  readText: (path) => (existsSync(path) && statSync(path).isFile() ? readFileSync(path, 'utf8') : undefined),
  exists: (path) => existsSync(path),
  listDir: (dir) => (existsSync(dir) && statSync(dir).isDirectory() ? readdirSync(dir) : undefined),
};

/** A DirReader over an in-memory folder. */
export function memoryHost(dir: string, files: Record<string, string>): DirReader {
  const paths = new Map(Object.entries(files).map(([name, text]) => [join(dir, name), text]));
  return {
    readText: (path) => paths.get(path),
    exists: (path) => paths.has(path) || path === dir,
    listDir: (candidate) => (candidate === dir ? Object.keys(files) : undefined),
  };
}
