import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completeSnapshotFiles } from '../../../../src/core/host';
import { buildMigrationReport, type ReportFinding } from '../../../../src/core/report/migrationReport';
import { snapshotOneLine } from '../../../../src/core/report/snapshotSummary';
import type { VerifyReport } from '../../../../src/core/verify';
import { folderFiles, UBUNTU_HOST } from '../host/hostFixtures';

const findings: ReportFinding[] = [
  { file: 'docker/plex/docker-compose.yml', line: 9, rule: 'pgid-unmapped', severity: 'error', message: 'PGID 110 has no NixOS group' },
  { file: 'docker/jellyfin/compose.yaml', line: 4, rule: 'dri-without-graphics', severity: 'warning', message: '/dev/dri without hardware.graphics' },
  { file: 'docker/plex/docker-compose.yml', line: 8, rule: 'puid-unmapped', severity: 'error', message: 'PUID 1000 has no NixOS user' },
  { file: 'docker/sonarr/docker-compose.yml', line: 8, rule: 'puid-unmapped', severity: 'error', message: 'PUID 1000 has no NixOS user' },
  { file: 'docker/plex/docker-compose.yml', line: 20, rule: 'published-port-bypasses-firewall', severity: 'information', message: 'port 32400' },
];

const verify: VerifyReport = {
  version: 1,
  host: 'palav@nixos',
  checks: [
    { id: 'docker-active', status: 'pass', detail: 'docker is active' },
    { id: 'render-node-gid', status: 'fail', detail: '/dev/dri/renderD128 has gid 303 (render)', fix: 'sudo groupmod -g 110 render' },
    { id: 'mount:/mnt/media', status: 'unknown', detail: 'findmnt is missing' },
  ],
};

function snapshot() {
  const completed = completeSnapshotFiles(folderFiles(UBUNTU_HOST), { source: 'ssh', host: 'alex@ubuntu' });
  assert.ok(completed.ok);
  return completed.snapshot;
}

test('findings: by rule (worst first, then most frequent) with their files, and by file in line order', () => {
  const report = buildMigrationReport({ workspace: 'homelab', findings, snapshotDir: '.nixos-homelab/snapshot' });
  const [byRule, byFile] = report.sections[0]?.tables ?? [];
  assert.deepEqual(byRule?.rows, [
    ['puid-unmapped', 'error', '2', 'docker/plex/docker-compose.yml, docker/sonarr/docker-compose.yml'],
    ['pgid-unmapped', 'error', '1', 'docker/plex/docker-compose.yml'],
    ['dri-without-graphics', 'warning', '1', 'docker/jellyfin/compose.yaml'],
    ['published-port-bypasses-firewall', 'information', '1', 'docker/plex/docker-compose.yml'],
  ]);
  assert.deepEqual(byFile?.rows.map((row) => `${row[0]}:${row[1]}`), [
    'docker/jellyfin/compose.yaml:4',
    'docker/plex/docker-compose.yml:8',
    'docker/plex/docker-compose.yml:9',
    'docker/plex/docker-compose.yml:20',
    'docker/sonarr/docker-compose.yml:8',
  ]);
  assert.equal(report.summary, '3 errors, 1 warning, 1 note; no snapshot; not verified yet.');
});

test('without snapshot and verify the sections say what to run', () => {
  const report = buildMigrationReport({ workspace: 'homelab', findings: [], snapshotDir: 'snap' });
  assert.match(report.sections[0]?.notes[0] ?? '', /No migration problems/);
  assert.match(report.sections[1]?.notes[0] ?? '', /No snapshot in snap\. Run "NixOS Homelab: Extract Host State over SSH…"/);
  assert.match(report.sections[2]?.notes[0] ?? '', /Verify NixOS Host over SSH/);
  assert.deepEqual(report.sections.map((s) => s.tables.length), [0, 0, 0]);
});

test('snapshot tables: users, groups, data mounts, GPUs, render nodes and gaps from the old host', () => {
  const snap = snapshot();
  const report = buildMigrationReport({ workspace: 'homelab', findings: [], snapshot: snap, snapshotDir: '.nixos-homelab/snapshot' });
  const tables = new Map(report.sections[1]?.tables.map((t) => [t.caption, t]));
  assert.deepEqual([...tables.keys()], ['Snapshot', 'Users', 'Groups', 'Data mounts', 'GPUs', 'Render nodes (/dev/dri)', 'Gaps (what could not be read)']);
  assert.deepEqual(tables.get('Users')?.rows.map((r) => r[0]).sort(), snap.users.map((u) => u.name).sort());
  assert.ok(tables.get('Groups')?.rows.length === snap.groups.length && snap.groups.length > 0);
  assert.ok((tables.get('Data mounts')?.rows.length ?? 0) > 0, 'the Ubuntu fixture has data disks');
  assert.ok(tables.get('Data mounts')?.rows.every((r) => r[0]?.startsWith('/')));
  assert.equal(tables.get('GPUs')?.rows.length, snap.gpus.length);
  assert.deepEqual(tables.get('Snapshot')?.rows[0], ['Host', 'alex@ubuntu']);
  assert.match(report.summary, /snapshot of alex@ubuntu/);
  assert.match(snapshotOneLine(snap), /^Ubuntu 24\.04.*: \d+ users?, \d+ groups?, \d+ data disks?, \d+ GPUs?, \d+ gaps?$/);
});

test('verify: one row per check with its status and what to do', () => {
  const report = buildMigrationReport({ workspace: 'homelab', findings: [], snapshotDir: 's', verify: { report: verify, at: '2025-03-09T10:00:00Z' } });
  const section = report.sections[2];
  assert.equal(section?.notes[0], 'palav@nixos, checked 2025-03-09T10:00:00Z: verify: 1 passed, 1 failed, 1 could not be checked.');
  assert.deepEqual(section?.tables[0]?.rows, [
    ['docker-active', 'pass', 'docker is active', ''],
    ['render-node-gid', 'FAIL', '/dev/dri/renderD128 has gid 303 (render)', 'sudo groupmod -g 110 render'],
    ['mount:/mnt/media', 'could not check', 'findmnt is missing', ''],
  ]);
});
