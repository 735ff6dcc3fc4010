import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { discoverFiles } from '../../../../src/core/analysis/discovery';
import { isSnapshotMarker, snapshotFolderCandidates } from '../../../../src/core/host/snapshotFolders';

test('snapshot.json and the manual procedure\'s pre_nixos_* files mark a snapshot folder; the extraction\'s plain names and other files do not', () => {
  for (const name of ['snapshot.json', 'pre_nixos_lsblk.txt', 'pre_nixos_id_palav.txt', 'pre_nixos_gid110.txt']) assert.ok(isSnapshotMarker(name), name);
  for (const name of ['lsblk.txt', 'pre_nixos_notes.md', 'compose.yaml', 'snapshot.json.bak']) assert.ok(!isSnapshotMarker(name), name);
});

test('discovery records the markers; candidates leave out the configured folder and backups, shallowest first', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'snapshot-folders-'));
  try {
    const write = (file: string) => {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), '{}');
    };
    for (const file of ['notes/old/pre_nixos_lsblk.txt', 'snapshot/snapshot.json', '.nixos-homelab/snapshot/snapshot.json', '.nixos-homelab/snapshot.bak-2024/snapshot.json', 'docs/readme.md']) write(file);
    const markers = discoverFiles([root]).snapshotMarkers ?? [];
    assert.equal(markers.length, 4, markers.join('\n'));
    const candidates = snapshotFolderCandidates(root, markers, path.join(root, '.nixos-homelab', 'snapshot'));
    assert.deepEqual(candidates.map((c) => c.relative), ['snapshot', 'notes/old']);
    assert.equal(candidates[0]?.dir, path.join(root, 'snapshot'));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
