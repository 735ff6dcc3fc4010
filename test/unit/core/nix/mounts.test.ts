import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { declaredMounts, nixMountCovering, serviceMountTargets } from '../../../../src/core/nix/mounts';
import { initNixParser } from '../../../../src/core/nix/syntax';
import { loadFiles, loadModule } from './nixFixture';

before(async () => {
  await initNixParser();
});

const summary = (text: string): string[][] =>
  declaredMounts(loadModule(text)).map((mount) => [mount.mountpoint, mount.source, mount.fsType ?? '', mount.onDemand ? 'on-demand' : '', mount.service ?? mount.pool ?? '']);

test('fileSystems of any type; mountPoint overrides the name; noauto and x-systemd.automount are on demand; / is left out', () => {
  const mounts = summary(`{
    fileSystems."/" = { device = "/dev/sda2"; fsType = "ext4"; };
    fileSystems."/mnt/nas" = { device = "nas:/export/media"; fsType = "nfs"; options = [ "x-systemd.automount" "noauto" ]; };
    fileSystems.backup = { mountPoint = "/mnt/backup"; device = "//nas/backup"; fsType = "cifs"; };
    fileSystems."/mnt/pool" = { device = "/mnt/disk*"; fsType = "fuse.mergerfs"; };
  }`);
  assert.deepEqual(mounts, [
    ['/mnt/nas', 'fileSystems', 'nfs', 'on-demand', ''],
    ['/mnt/backup', 'fileSystems', 'cifs', '', ''],
    ['/mnt/pool', 'fileSystems', 'fuse.mergerfs', '', ''],
  ]);
});

test('systemd.mounts and systemd.automounts: their `where`, through let bindings; options split on commas', () => {
  const text = `{ ... }:
let
  nas = "192.168.1.10";
  mediaMount = { type = "nfs"; what = "\${nas}:/volume1/media"; where = "/mnt/media"; options = "vers=4,soft"; };
in {
  systemd.mounts = [ mediaMount { what = "nas:/photos"; where = "/mnt/photos"; type = "nfs4"; mountConfig.Options = "noatime"; } ];
  systemd.automounts = [ { where = "/mnt/media"; wantedBy = [ "multi-user.target" ]; } ];
}`;
  assert.deepEqual(summary(text), [
    ['/mnt/media', 'systemd.mounts', 'nfs', '', ''],
    ['/mnt/photos', 'systemd.mounts', 'nfs4', '', ''],
    ['/mnt/media', 'systemd.automounts', '', 'on-demand', ''],
  ]);
  const [media, photos] = declaredMounts(loadModule(text));
  assert.deepEqual(media?.options, ['vers=4', 'soft']);
  assert.deepEqual(photos?.options, ['noatime']);
});

test('services that mount: mergerfs (last operand) and rclone mount (second operand, flags skipped), let-bound paths read', () => {
  const text = `{ pkgs, ... }:
let pool = "/mnt/storage"; in {
  systemd.services.mergerfs-pool = {
    wantedBy = [ "multi-user.target" ];
    serviceConfig.ExecStart = "\${pkgs.mergerfs}/bin/mergerfs -f -o cache.files=partial,category.create=mfs /mnt/disk1:/mnt/disk2 \${pool}";
  };
  systemd.services.rclone-gdrive.script = ''
    \${pkgs.rclone}/bin/rclone mount --config /etc/rclone.conf gdrive:media /mnt/gdrive \\
      --vfs-cache-mode full --allow-other
  '';
  systemd.services.unrelated.script = "echo /mnt/nothing";
}`;
  assert.deepEqual(summary(text), [
    ['/mnt/storage', 'service', 'fuse.mergerfs', '', 'mergerfs-pool'],
    ['/mnt/gdrive', 'service', 'fuse.rclone', '', 'rclone-gdrive'],
  ]);
  assert.deepEqual(serviceMountTargets({ scripts: [] }), []);
});

test('ZFS: boot.zfs.extraPools (let-bound) and the pools of zfs fileSystems hold /<pool> and /mnt/<pool>', () => {
  const mounts = declaredMounts(loadModule(`{ ... }:
let pools = [ "tank" ]; in {
  boot.zfs.extraPools = pools;
  fileSystems."/srv/vm" = { device = "fast/vm"; fsType = "zfs"; };
}`));
  const tank = nixMountCovering('/mnt/tank/media/movies', mounts);
  assert.equal(tank?.source, 'zfs-pool');
  assert.equal(tank?.pool, 'tank');
  assert.equal(nixMountCovering('/tank/photos', mounts)?.pool, 'tank');
  assert.equal(nixMountCovering('/mnt/fast/isos', mounts)?.pool, 'fast');
  assert.equal(nixMountCovering('/srv/vm/disk.qcow2', mounts)?.source, 'fileSystems', 'the declared file system is the closer mount');
  assert.equal(nixMountCovering('/mnt/tankard/x', mounts), undefined);
});

test('disko: every mountpoint under disko.devices, attribute-set and list forms, across imported files', () => {
  const mounts = declaredMounts(loadFiles({
    '/etc/nixos/configuration.nix': '{ imports = [ ./disko.nix ]; }',
    '/etc/nixos/disko.nix': `{
  disko.devices = {
    disk.data = {
      device = "/dev/sdb";
      content = { type = "gpt"; partitions.data = { size = "100%"; content = { type = "filesystem"; format = "ext4"; mountpoint = "/mnt/data"; mountOptions = [ "nofail" ]; }; }; };
    };
    disk.old.content = { type = "table"; partitions = [ { name = "media"; content = { type = "filesystem"; mountpoint = "/mnt/media"; }; } ]; };
    zpool.tank = { type = "zpool"; datasets.photos = { type = "zfs_fs"; mountpoint = "/srv/photos"; options.mountpoint = "legacy"; }; };
  };
}`,
  }));
  assert.deepEqual(mounts.map((mount) => [mount.mountpoint, mount.source, mount.options]), [
    ['/mnt/data', 'disko', ['nofail']],
    ['/mnt/media', 'disko', []],
    ['/srv/photos', 'disko', []],
  ]);
});

test('unit scripts: let-bound strings and paths in ${…} are read, a let-bound ExecStart is the unit\'s script', () => {
  const nix = loadFiles({
    '/repo/hosts/nas/configuration.nix': `{ pkgs, ... }:
let
  stacks = ../../stacks;
  compose = "\${pkgs.docker}/bin/docker compose";
  start = "\${compose} --project-directory \${stacks}/media up -d";
in {
  systemd.services.media.serviceConfig.ExecStart = start;
  systemd.services.photos.script = "cd \${./photos} && \${compose} up -d";
}`,
  });
  const media = nix.systemdServices.get('media')?.scripts[0];
  assert.equal(media?.text, '${compose} --project-directory ${stacks}/media up -d');
  assert.equal(media?.expanded, '${pkgs.docker}/bin/docker compose --project-directory /repo/stacks/media up -d');
  assert.equal(nix.systemdServices.get('photos')?.scripts[0]?.expanded, 'cd /repo/hosts/nas/photos && ${pkgs.docker}/bin/docker compose up -d');
});
