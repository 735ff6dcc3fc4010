import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DiskFileSource } from '../../src/core/analysis/fileSource';
import { generateModule } from '../../src/core/generate';
import { initNixParser } from '../../src/core/nix';
import { analyseWorkspace } from '../../src/core/analysis/pipeline';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { attrAt, evalModule, parseNixFiles } from './nixOracle';

const EXAMPLE = resolve(__dirname, '../../examples/pop-os-homelab');
const dir = mkdtempSync(join(tmpdir(), 'nixoshl-oracle-'));

function generate(options: { snapshot: boolean; stacksRoot?: string; release?: string }): string {
  const analysis = analyseWorkspace(
    { roots: [EXAMPLE], snapshotDir: options.snapshot ? 'snapshot' : 'no-such-snapshot', release: options.release, settings: DEFAULT_SETTINGS },
    new DiskFileSource(),
  );
  return generateModule(analysis, { workspaceRoot: EXAMPLE, stacksRoot: options.stacksRoot }).text;
}

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function evaluated(file: string): unknown {
  const result = evalModule(file);
  if (!result.ok) assert.fail(`the generated module does not evaluate:\n${result.error}`);
  return result.value;
}

before(async () => {
  await initNixParser();
});

test('the module generated for the example homelab parses and evaluates to the intended values', () => {
  const file = write('homelab.nix', generate({ snapshot: true, stacksRoot: '/home/palav' }));
  assert.deepEqual([...parseNixFiles([file]).values()], [{ ok: true }]);
  const value = evaluated(file);

  assert.deepEqual(attrAt(value, ['users', 'groups', 'render', 'gid']), { _type: 'override', priority: 50, content: 110 });
  assert.equal(attrAt(value, ['users', 'users', 'palav', 'uid']), 1000);
  assert.equal(attrAt(value, ['users', 'users', 'palav', 'group']), 'palav');
  assert.equal(attrAt(value, ['users', 'groups', 'palav', 'gid']), 1000);
  assert.deepEqual(attrAt(value, ['users', 'users', 'palav', 'extraGroups']), ['render', 'docker']);

  const plex = attrAt(value, ['fileSystems', '/mnt/PlexStorage']);
  assert.deepEqual(plex, { device: '/dev/disk/by-uuid/3b6f2a9e-8c1d-4e57-9a0b-52d7c4e1f806', fsType: 'ext4', options: ['nofail', 'noatime'] });
  const archive = attrAt(value, ['fileSystems', '/mnt/MediaArchive', 'options']) as string[];
  assert.ok(archive.includes('subvol=@media') && archive.includes('compress=zstd:3') && archive.includes('x-systemd.device-timeout=10s'));

  // The containers bring their own VA-API userspace: no drivers in hardware.graphics (enabled for the NVIDIA driver).
  assert.equal(attrAt(value, ['hardware', 'graphics', 'extraPackages']), undefined);
  assert.equal(attrAt(value, ['hardware', 'graphics', 'enable']), true);
  // The example's hardware-configuration.nix installs the GPU firmware already (not-detected.nix).
  assert.equal(attrAt(value, ['hardware', 'enableRedistributableFirmware']), undefined);
  // The snapshot's RTX 3060 takes the open kernel modules.
  assert.equal(attrAt(value, ['hardware', 'nvidia', 'open']), true);
  assert.equal(attrAt(value, ['hardware', 'nvidia-container-toolkit', 'enable']), true);
  assert.deepEqual(attrAt(value, ['services', 'xserver', 'videoDrivers']), ['nvidia']);

  const logOpts = attrAt(value, ['virtualisation', 'docker', 'daemon', 'settings', 'log-opts']) as Record<string, unknown>;
  assert.deepEqual(logOpts, { 'max-size': '10m', 'max-file': '3' });
  for (const option of Object.values(logOpts)) assert.equal(typeof option, 'string');

  const unit = attrAt(value, ['systemd', 'services', 'homelab-autostart']) as Record<string, unknown>;
  assert.deepEqual(unit['wants'], ['network-online.target']);
  assert.deepEqual(unit['after'], ['network-online.target', 'docker.service']);
  assert.deepEqual(unit['requires'], ['docker.service']);
  assert.deepEqual(unit['wantedBy'], ['multi-user.target']);
  assert.deepEqual(attrAt(unit, ['unitConfig', 'RequiresMountsFor']), ['/mnt/MediaArchive', '/mnt/PlexStorage']);
  assert.deepEqual(unit['path'], ['pkgs.docker']);
  assert.deepEqual(unit['serviceConfig'], { Type: 'oneshot', RemainAfterExit: true });
  const script = unit['script'] as string;
  assert.ok(!script.startsWith('#!'), 'a shebang inside script is only a comment');
  // lib.escapeShellArgs of the Nix list became one quoted word per stack folder.
  assert.match(script, /for dir in '\/home\/palav\/Projects\/ai-agent' '\/home\/palav\/docker\/immich' '\/home\/palav\/docker\/jellyfin' '\/home\/palav\/docker\/plex' '\/home\/palav\/docker\/sonarr'; do/);
  assert.match(script, /docker compose pull --ignore-buildable/);
  assert.match(script, /docker compose up -d --remove-orphans/);
  assert.match(script, /exit 1/);
});

test('the evaluated autostart script is valid bash', () => {
  const file = write('autostart.nix', generate({ snapshot: true, stacksRoot: "/srv/it's here" }));
  const script = attrAt(evaluated(file), ['systemd', 'services', 'homelab-autostart', 'script']) as string;
  const scriptFile = write('autostart.sh', script);
  const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
  const check = spawnSync('bash', ['-n', scriptFile], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stderr);
  // A quote in a folder name stays one shell word.
  assert.match(script, /'\/srv\/it'\\''s here\/docker\/plex'/);
});

test('without a snapshot the module parses and evaluates, and leaves to the user what only the old host could tell', () => {
  const text = generate({ snapshot: false });
  const file = write('no-snapshot.nix', text);
  assert.deepEqual([...parseNixFiles([file]).values()], [{ ok: true }]);
  const value = evaluated(file);
  // No disk is known, and no mount point is made up from the paths.
  assert.equal(attrAt(value, ['fileSystems']), undefined);
  assert.equal(attrAt(value, ['systemd', 'services', 'homelab-autostart', 'unitConfig']), undefined);
  assert.match(text, /# - No snapshot says which disks the binds \/mnt\/MediaArchive\/datasets \(agent\)/);
  // No group is picked for gid 110 or 1000: neither render nor any other group is declared.
  assert.equal(attrAt(value, ['users', 'groups']), undefined);
  assert.match(text, /# - gid 110 \(PGID of plex .* has no known group name/);
  // The configuration's only normal user takes the uid; the NVIDIA flavour is the user's call.
  assert.equal(attrAt(value, ['users', 'users', 'palav', 'uid']), 1000);
  assert.equal(attrAt(value, ['hardware', 'nvidia', 'open']), undefined);
  assert.equal(attrAt(value, ['hardware', 'nvidia-container-toolkit', 'enable']), true);
  assert.match(text, /# - hardware\.nvidia\.open is not set/);
});

test('a /dev/dri stack with no firmware in the configuration gets hardware.enableRedistributableFirmware, not hardware.graphics', () => {
  const root = mkdtempSync(join(tmpdir(), 'nixoshl-oracle-dri-'));
  mkdirSync(join(root, 'jellyfin'));
  writeFileSync(join(root, 'jellyfin', 'compose.yaml'), 'services:\n  jellyfin:\n    image: jellyfin/jellyfin\n    devices:\n      - /dev/dri:/dev/dri\n');
  writeFileSync(join(root, 'configuration.nix'), '{ ... }: { users.users.palav.isNormalUser = true; }\n');
  const analysis = analyseWorkspace({ roots: [root], snapshotDir: 'no-such-snapshot', settings: DEFAULT_SETTINGS }, new DiskFileSource());
  const file = write('dri.nix', generateModule(analysis, { workspaceRoot: root }).text);
  const value = evaluated(file);
  assert.equal(attrAt(value, ['hardware', 'enableRedistributableFirmware']), true);
  assert.equal(attrAt(value, ['hardware', 'graphics']), undefined);
});

test('a release before 24.11 enables hardware.opengl for the NVIDIA driver, and still parses', () => {
  const file = write('old-release.nix', generate({ snapshot: true, release: '23.11' }));
  const value = evaluated(file);
  assert.equal(attrAt(value, ['hardware', 'opengl', 'enable']), true);
  assert.equal(attrAt(value, ['hardware', 'opengl', 'extraPackages']), undefined);
  assert.equal(attrAt(value, ['hardware', 'graphics']), undefined);
});

test('parseNixFiles attributes errors to the right files in a batch', () => {
  const good1 = write('good1.nix', '{ a = 1; }\n');
  const bad1 = write('bad1.nix', '{ a = ; }\n');
  const good2 = write('good2.nix', '{ b = "x"; }\n');
  const bad2 = write('bad2.nix', '{ c = [ 1 2 ; }\n');
  const good3 = write('good3.nix', '{ config, lib, ... }: { x = lib.mkForce 1; }\n');
  const verdicts = parseNixFiles([good1, bad1, good2, bad2, good3]);
  assert.deepEqual([...verdicts.entries()].map(([file, verdict]) => [file, verdict.ok]), [
    [good1, true],
    [bad1, false],
    [good2, true],
    [bad2, false],
    [good3, true],
  ]);
  assert.match(verdicts.get(bad1)?.error ?? '', /bad1\.nix/);
});
