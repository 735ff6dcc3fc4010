import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createOverlaySource } from '../../../../src/core/analysis/fileLayers';
import { DiskFileSource } from '../../../../src/core/analysis/fileSource';

test('a folder listing adds the overlay files not on disk, whether the overlay keeps its names by folder or not', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'overlay-'));
  fs.mkdirSync(path.join(dir, 'plex'));
  fs.writeFileSync(path.join(dir, 'plex', 'docker-compose.yml'), 'services: {}\n');
  const open = new Set([path.join(dir, 'plex', 'docker-compose.yml'), path.join(dir, 'plex', '.env'), path.join(dir, 'new', 'compose.yaml'), path.join(dir, 'top.nix')]);
  const textOf = (file: string): string | undefined => (open.has(file) ? 'x' : undefined);
  const scanned = createOverlaySource(new DiskFileSource(), { textOf, files: () => open });
  const kept = createOverlaySource(new DiskFileSource(), { textOf, files: () => open, namesIn: (folder) => [...open].filter((file) => path.dirname(file) === folder).map((file) => path.basename(file)) });
  const listings = (source: ReturnType<typeof createOverlaySource>): unknown => [dir, path.join(dir, 'plex'), path.join(dir, 'new'), path.join(dir, 'none')].map((folder) => source.listDir(folder)?.sort());
  assert.deepEqual(listings(scanned), [['plex', 'top.nix'], ['.env', 'docker-compose.yml'], ['compose.yaml'], undefined]);
  assert.deepEqual(listings(kept), listings(scanned));
  open.delete(path.join(dir, 'new', 'compose.yaml'));
  open.delete(path.join(dir, 'plex', '.env'));
  assert.deepEqual(listings(scanned), [['plex', 'top.nix'], ['docker-compose.yml'], undefined, undefined]);
  assert.deepEqual(listings(kept), listings(scanned));
  fs.rmSync(dir, { recursive: true, force: true });
});
