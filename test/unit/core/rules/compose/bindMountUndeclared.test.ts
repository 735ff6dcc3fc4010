import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bindMountUndeclared } from '../../../../../src/core/rules/compose/bindMountUndeclared';
import { check, context, covered, POP_OS_SNAPSHOT } from './fixture';
import { said } from '../said';

const stack = (...volumes: string[]): string => `services:\n  app:\n    image: example/app\n    volumes:\n${volumes.map((v) => `      - ${v}\n`).join('')}`;
const kinds = async (compose: string, nix?: string, snapshot?: Record<string, string>): Promise<[string, string][]> =>
  (await check(bindMountUndeclared, { compose, ...(nix !== undefined ? { nix } : {}), ...(snapshot ? { snapshot } : {}) })).map((f) => [String(f.data?.['kind']), f.severity ?? 'warning']);

test('every way NixOS mounts satisfies a bind below it: fileSystems of any type, systemd mounts, services, ZFS pools, disko', async () => {
  const compose = stack('/mnt/data/media:/media');
  for (const nix of [
    'fileSystems."/mnt/data" = { device = "nas:/export"; fsType = "nfs"; };',
    'fileSystems."/mnt/data" = { device = "//nas/data"; fsType = "cifs"; };',
    'fileSystems."/mnt/data" = { device = "/mnt/disk*"; fsType = "fuse.mergerfs"; };',
    'systemd.mounts = [ { what = "nas:/data"; where = "/mnt/data"; type = "nfs"; } ];',
    'systemd.automounts = [ { where = "/mnt/data"; } ];',
    'systemd.services.pool.serviceConfig.ExecStart = "${pkgs.mergerfs}/bin/mergerfs -f /mnt/d1:/mnt/d2 /mnt/data";',
    'systemd.services.gdrive.script = "rclone mount gdrive: /mnt/data --allow-other";',
    'boot.zfs.extraPools = [ "data" ];',
    'disko.devices.disk.d.content.partitions.p.content = { type = "filesystem"; mountpoint = "/mnt/data"; };',
  ]) {
    assert.deepEqual(await kinds(compose, nix), [], nix);
    assert.deepEqual(await kinds(compose, nix, { ...POP_OS_SNAPSHOT, 'pre_nixos_fstab.txt': 'nas:/export /mnt/data nfs defaults 0 0\n' }), [], `${nix} (with a snapshot)`);
  }
});

test('without a snapshot: a folder under /mnt, /media or /srv is information at most, never a warning, and names no mount point', async () => {
  const compose = stack('/mnt/docker/jellyfin/config:/config', '/srv/media:/media:ro', '/opt/app:/app');
  const findings = await check(bindMountUndeclared, { compose });
  assert.deepEqual(findings.map((f) => [covered(compose, f), f.severity]), [
    ['/mnt/docker/jellyfin/config:/config', 'information'],
    ['/srv/media:/media:ro', 'information'],
  ]);
  assert.doesNotMatch(said(findings[0]), /\/mnt\/docker[`"]/, 'no mount point made up from the first folder');
  assert.equal(findings[0]!.data?.['mountpoint'], undefined);
  assert.equal(bindMountUndeclared.fixable?.(findings[0]!.data, { hasConfiguration: true }), false);
});

test('with a snapshot: the old host\'s mount points decide; a folder on its root disk is nothing to report', async () => {
  const compose = stack('/mnt/docker/app:/config', '/mnt/PlexStorage/media:/media');
  const findings = await check(bindMountUndeclared, { compose, snapshot: POP_OS_SNAPSHOT });
  assert.deepEqual(findings.map((f) => [covered(compose, f), f.severity ?? 'warning', f.data?.['mountpoint']]), [['/mnt/PlexStorage/media:/media', 'warning', '/mnt/PlexStorage']]);
  assert.match(said(findings[0]), /fileSystems\."\/mnt\/PlexStorage"/);
  assert.equal(bindMountUndeclared.fixable?.(findings[0]!.data, { hasConfiguration: true }), true);
  // A declared parent folder is not the data disk; a ZFS pool's datasets are wherever the pool puts them.
  assert.equal((await check(bindMountUndeclared, { compose, snapshot: POP_OS_SNAPSHOT, nix: 'fileSystems."/mnt".device = "x";' })).length, 1);
  assert.equal((await check(bindMountUndeclared, { compose, snapshot: POP_OS_SNAPSHOT, nix: 'boot.zfs.extraPools = [ "PlexStorage" ];' })).length, 0);
});

test('no NixOS configuration: nothing is cross-checked; a bind built from an unset variable is not a path', async () => {
  const ctx = await context({ compose: stack('/mnt/data:/data') });
  assert.deepEqual(bindMountUndeclared.check({ ...ctx, nix: undefined }), []);
  assert.deepEqual(await check(bindMountUndeclared, { compose: stack('${MEDIA_ROOT}/movies:/movies'), snapshot: { ...POP_OS_SNAPSHOT, 'pre_nixos_fstab.txt': 'UUID=1 / ext4 defaults 0 1\n' } }), []);
  assert.deepEqual(await check(bindMountUndeclared, { compose: stack('${MEDIA_ROOT}/movies:/movies') }), []);
});

test('a bind above mount points NixOS mounts on demand warns, unless its propagation lets later mounts in', async () => {
  const nix = [
    'fileSystems."/mnt/nas" = { device = "nas:/export"; fsType = "nfs"; options = [ "x-systemd.automount" "noauto" ]; };',
    'systemd.automounts = [ { where = "/mnt/usb"; } ];',
    'fileSystems."/mnt/local" = { device = "/dev/sdb1"; fsType = "ext4"; };',
  ].join('\n');
  const compose = stack('/mnt:/mnt', '/mnt/nas/media:/media');
  const findings = await check(bindMountUndeclared, { compose, nix });
  assert.deepEqual(findings.map((f) => [covered(compose, f), f.severity ?? 'warning', f.data?.['automounts']]), [['/mnt:/mnt', 'warning', ['/mnt/nas', '/mnt/usb']]]);
  assert.match(said(findings[0]), /propagation: rslave/);
  assert.equal(findings[0]!.related.length, 2);
  assert.deepEqual(await kinds(stack('/mnt:/mnt:rslave'), nix), []);
  assert.deepEqual(await kinds(stack('/mnt:/mnt:ro,rshared'), nix), []);
  const long = 'services:\n  app:\n    image: x\n    volumes:\n      - type: bind\n        source: /mnt\n        target: /mnt\n        bind:\n          propagation: rslave\n';
  assert.deepEqual(await kinds(long, nix), []);
  assert.deepEqual(await kinds(stack('/mnt:/mnt:rprivate'), nix), [['automount-below', 'warning']]);
});
