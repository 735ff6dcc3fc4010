import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectNeeds, deriveExtractionTargets, expectationFromNeeds, generateModule, mapToHost } from '../../../../src/core/generate';
import { POP_SNAPSHOT_FILES, snapshotOf, stacks } from './fixtures';

const PLEX = `services:
  plex:
    image: lscr.io/linuxserver/plex:latest
    environment:
      - PUID=1000
      - PGID=110
    devices:
      - /dev/dri:/dev/dri
    volumes:
      - ./config:/config
      - /mnt/PlexStorage/media/tv:/tv
`;
const JELLYFIN = `services:
  jellyfin:
    image: jellyfin/jellyfin
    user: "1000:1000"
    group_add: ["2000"]
    volumes:
      - /mnt/Archive/music:/music:ro
      - /etc/localtime:/etc/localtime:ro
`;
const FILES = { '/ws/docker/plex/docker-compose.yml': PLEX, '/ws/docker/jellyfin/compose.yaml': JELLYFIN };

test('users, groups and mounts come from the compose ids and the snapshot, with where they came from', () => {
  const needs = collectNeeds({ projects: stacks(FILES), configurations: [], snapshot: snapshotOf(POP_SNAPSHOT_FILES) }, { workspaceRoot: '/ws' });
  assert.deepEqual(needs.users.map((u) => [u.uid, u.name, u.personalGroup]), [[1000, 'palav', { name: 'palav', gid: 1000 }]]);
  assert.deepEqual(needs.users[0]?.usedBy, ['`user:` of jellyfin (docker/jellyfin/compose.yaml)', 'PUID of plex (docker/plex/docker-compose.yml)']);
  assert.deepEqual(needs.groups.map((g) => [g.gid, g.name, g.members]), [[110, 'render', ['palav']], [1000, 'palav', []], [2000, undefined, []]]);
  assert.deepEqual(needs.mounts.map((m) => [m.mount.mountpoint, m.mount.uuid ?? m.mount.device]), [
    ['/mnt/Archive', 'LABEL=archive'],
    ['/mnt/PlexStorage', '3b6f2a9e-8c1d-4e57-9a0b-52d7c4e1f806'],
  ]);
  assert.equal(needs.renderGid, 110);
  assert.deepEqual(needs.gpuVendors, ['intel']);
  assert.equal(needs.mainUser, 'palav');
  assert.deepEqual(needs.stacks.map((s) => s.hostDir), ['/ws/docker/jellyfin', '/ws/docker/plex']);
});

test('--stacks-root maps the stack folders (and binds inside them) onto the NixOS host', () => {
  assert.equal(mapToHost('/ws/docker/plex', '/ws', '/home/palav/homelab'), '/home/palav/homelab/docker/plex');
  assert.equal(mapToHost('/ws', '/ws', '/srv/stacks'), '/srv/stacks');
  assert.equal(mapToHost('/mnt/PlexStorage/x', '/ws', '/srv/stacks'), '/mnt/PlexStorage/x');
  // Stacks kept on a data disk: the autostart unit must wait for that disk too.
  const needs = collectNeeds({ projects: stacks(FILES), configurations: [], snapshot: snapshotOf(POP_SNAPSHOT_FILES) }, { workspaceRoot: '/ws', stacksRoot: '/mnt/PlexStorage/stacks' });
  assert.deepEqual(needs.stacks.map((s) => s.hostDir), ['/mnt/PlexStorage/stacks/docker/jellyfin', '/mnt/PlexStorage/stacks/docker/plex']);
  assert.ok(needs.mounts.find((m) => m.mount.mountpoint === '/mnt/PlexStorage')?.usedBy.includes('the stack folder of docker/plex/docker-compose.yml'));
});

test('the generated module writes every need, notes what it cannot decide, and is deterministic', () => {
  const analysis = { projects: stacks(FILES), configurations: [], snapshot: snapshotOf(POP_SNAPSHOT_FILES), release: '25.05', releaseSource: '--release' };
  const first = generateModule(analysis, { workspaceRoot: '/ws', stacksRoot: '/home/palav/homelab' });
  const second = generateModule({ ...analysis, projects: [...analysis.projects].reverse() }, { workspaceRoot: '/ws', stacksRoot: '/home/palav/homelab' });
  assert.equal(first.text, second.text);
  const text = first.text;
  assert.match(text, /users\.groups\.render\.gid = lib\.mkForce 110;/);
  assert.match(text, /users\.groups\.palav\.gid = 1000;/);
  assert.match(text, /isNormalUser = true;\n(.*\n)?    uid = 1000;\n    group = "palav";/);
  assert.match(text, /fileSystems\."\/mnt\/Archive" = \{\n    device = "\/dev\/disk\/by-label\/archive";/);
  assert.match(text, /"\/home\/palav\/homelab\/docker\/plex"/);
  assert.match(text, /RequiresMountsFor = \[ "\/mnt\/Archive" "\/mnt\/PlexStorage" \];/);
  assert.deepEqual(first.notes.length, 1);
  assert.match(first.notes[0] ?? '', /gid 2000 .* has no known group name/);
  assert.match(text, /# - gid 2000/);
  assert.match(text, /# - fileSystems\."\/mnt\/PlexStorage": bound by jellyfin|# - fileSystems\."\/mnt\/PlexStorage": bound by plex/);
  assert.ok(!/nvidia/.test(text), 'no GPU request: no NVIDIA block');
  assert.ok(first.sources.some((line) => line.startsWith('users.users.palav.uid = 1000: ')));
});

test('NVIDIA requests bring the driver with `open` from the GPU model and flag non-CDI requests', () => {
  const files = {
    '/ws/ai/compose.yaml': `services:
  ollama:
    image: ollama/ollama
    deploy:
      resources:
        reservations:
          devices:
            - driver: nvidia
              count: 1
              capabilities: [gpu]
`,
  };
  const snapshot = snapshotOf({ 'gpu.txt': '01:00.0 VGA compatible controller [0300]: NVIDIA Corporation GP104 [GeForce GTX 1080] [10de:1b80] (rev a1)\n' });
  const generated = generateModule({ projects: stacks(files), configurations: [], snapshot, release: '25.05', releaseSource: 'test' }, { workspaceRoot: '/ws' });
  assert.match(generated.text, /open = false;/);
  assert.match(generated.text, /hardware\.nvidia-container-toolkit\.enable = true;/);
  assert.match(generated.text, /services\.xserver\.videoDrivers = \[ "nvidia" \];/);
  assert.ok(generated.notes.some((note) => /driver: cdi/.test(note)));
});

test('verify expects what generate writes', () => {
  const needs = collectNeeds({ projects: stacks(FILES), configurations: [], snapshot: snapshotOf(POP_SNAPSHOT_FILES) }, { workspaceRoot: '/ws' });
  assert.deepEqual(expectationFromNeeds(needs), {
    users: [{ name: 'palav', uid: 1000 }],
    groups: [{ name: 'render', gid: 110 }, { name: 'palav', gid: 1000 }, { gid: 2000 }],
    mounts: [{ mountpoint: '/mnt/Archive' }, { mountpoint: '/mnt/PlexStorage', uuid: '3b6f2a9e-8c1d-4e57-9a0b-52d7c4e1f806' }],
    renderGid: 110,
    autostartUnit: 'homelab-autostart.service',
  });
});

test('extract targets: uids, names and gids the compose files use, root and unresolved values left out', () => {
  const files = {
    ...FILES,
    '/ws/other/compose.yaml': `services:
  a:
    image: x
    user: "svc-media"
  b:
    image: y
    user: "0:0"
    environment:
      PUID: \${UNSET_PUID}
      PGID: "998"
`,
  };
  assert.deepEqual(deriveExtractionTargets(stacks(files)), { users: ['svc-media'], uids: [1000], gids: [110, 998, 1000, 2000] });
});
