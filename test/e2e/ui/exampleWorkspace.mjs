// Shared by the UI tests (not a test: the name does not end in .e2e.mjs).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * A temporary copy of the example homelab, with the workspace setting that points at its snapshot (the example
 * keeps it in `snapshot/`, not the default `.nixos-homelab/snapshot`). Returns the copy's path.
 */
export function exampleWorkspace(ctx) {
  const workspace = ctx.copyToTemp(path.join(repo, 'examples', 'pop-os-homelab'));
  fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'nixosHomelab.snapshotPath': 'snapshot' }, null, 2));
  return workspace;
}
