/**
 * On-disk workspaces for fix tests: a temp folder with compose stacks, NixOS modules and a snapshot (copied from
 * examples/pop-os-homelab/snapshot), analysed the way the CLI does.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DiskFileSource } from '../../../../src/core/analysis/fileSource';
import { initNixParser } from '../../../../src/core/nix';
import { analyseWorkspace } from '../../../../src/core/analysis/pipeline';
import type { WorkspaceAnalysis, WorkspaceOptions } from '../../../../src/core/analysis/types';
import { DEFAULT_SETTINGS, type Settings } from '../../../../src/core/settings';

export const EXAMPLE_SNAPSHOT = path.resolve(__dirname, '../../../../examples/pop-os-homelab/snapshot');

/** A stack using every compose-side rule that has an automatic fix. */
export const HOMELAB_STACK = `services:
  plex:
    image: lscr.io/linuxserver/plex:latest
    environment:
      - PUID=1000
      - PGID=110 # render on the old host
    devices:
      - /dev/dri:/dev/dri
    volumes:
      - /mnt/PlexStorage/media:/media
    ports:
      - "32400:32400"
  jellyfin:
    image: jellyfin/jellyfin:10.10.3
    user: "1000:1000"
    devices:
      - /dev/dri/renderD128:/dev/dri/renderD128
  ml:
    image: ghcr.io/immich-app/immich-machine-learning:release-cuda
    deploy:
      resources:
        reservations:
          devices:
            - driver: nvidia
              count: 1
              capabilities: [gpu]
`;

/** Writes `files` (relative path → text) into a new temp folder; `snapshot: true` copies the example snapshot. */
export function makeWorkspace(files: Record<string, string>, options: { snapshot?: boolean } = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nixos-homelab-fix-'));
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  if (options.snapshot) fs.cpSync(EXAMPLE_SNAPSHOT, path.join(dir, 'snapshot'), { recursive: true });
  return dir;
}

export function workspaceOptions(dir: string, settings: Partial<Settings> = {}): WorkspaceOptions {
  const snapshotDir = fs.existsSync(path.join(dir, 'snapshot')) ? path.join(dir, 'snapshot') : path.join(dir, 'no-snapshot');
  return { roots: [dir], snapshotDir, settings: { ...DEFAULT_SETTINGS, ...settings } };
}

export async function analyse(dir: string, settings: Partial<Settings> = {}): Promise<WorkspaceAnalysis> {
  await initNixParser();
  return analyseWorkspace(workspaceOptions(dir, settings), new DiskFileSource());
}

/** Every file of a workspace folder (relative path → text), for before/after comparisons. */
export function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (folder: string): void => {
    for (const name of fs.readdirSync(folder).sort()) {
      const full = path.join(folder, name);
      if (fs.statSync(full).isDirectory()) walk(full);
      else out[path.relative(dir, full)] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return out;
}
