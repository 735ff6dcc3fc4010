import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { loadComposeProject } from '../../../../../src/core/compose';
import type { ComposeProject } from '../../../../../src/core/compose/model';
import { loadSnapshotFromFiles } from '../../../../../src/core/host';
import { initNixParser } from '../../../../../src/core/nix/syntax';
import { memoryHost } from '../../../helpers/memoryHost';
import { findingsOf, rangeText } from './nixRuleFixture';
import { said } from '../said';

before(async () => {
  await initNixParser();
});

const CODE = 'autostart-without-mount-deps';

/** Stacks at /srv/homelab/stacks/<name>/compose.yaml, each binding the given host paths. */
function stacks(binds: Record<string, string[]>): ComposeProject[] {
  const files: Record<string, string> = {};
  for (const [name, sources] of Object.entries(binds)) {
    files[`/srv/homelab/stacks/${name}/compose.yaml`] = `services:\n  ${name}:\n    image: example/${name}\n    volumes:\n${sources.map((source) => `      - ${source}:/data${sources.indexOf(source)}\n`).join('')}`;
  }
  const host = memoryHost(files);
  return Object.keys(files).map((file) => loadComposeProject(file, host));
}

const NFS = 'fileSystems."/mnt/data" = { device = "nas:/export/data"; fsType = "nfs"; };';
const LOCAL_NOFAIL = 'fileSystems."/mnt/media" = { device = "/dev/disk/by-label/media"; fsType = "ext4"; options = [ "nofail" ]; };';
const module = (...parts: string[]): string => `{ pkgs, ... }:\n{\n${parts.map((part) => `  ${part}\n`).join('')}}\n`;

test('names only the mounts of the stacks the unit starts (cd, -f, --project-directory, WorkingDirectory)', () => {
  const projects = stacks({ immich: ['/mnt/data/photos'], jellyfin: ['/mnt/media/movies'] });
  for (const start of [
    "script = ''\n    cd /opt/stacks/immich\n    docker compose up -d\n  '';",
    'script = "docker compose -f /opt/stacks/immich/compose.yaml up -d";',
    'script = "docker compose --project-directory /opt/stacks/immich up -d";',
    'serviceConfig = { WorkingDirectory = "/opt/stacks/immich"; ExecStart = "${pkgs.docker}/bin/docker compose up -d"; };',
  ]) {
    const text = module(NFS, LOCAL_NOFAIL, `systemd.services.immich = {\n    after = [ "docker.service" ];\n    ${start}\n  };`);
    const findings = findingsOf(text, CODE, { projects });
    assert.deepEqual(findings.map((f) => f.data?.['missing']), [['/mnt/data']], start);
    assert.match(rangeText(text, findings[0]!.range), /docker compose/);
  }
});

test('a unit that cannot be tied to its stacks says nothing (it used to list every stack\'s mounts)', () => {
  const projects = stacks({ immich: ['/mnt/data/photos'] });
  const text = module(NFS, "systemd.services.stacks.script = ''\n    for d in $STACKS; do (cd \"$d\" && docker compose up -d); done\n  '';");
  assert.deepEqual(findingsOf(text, CODE, { projects }), []);
});

test('let bindings and ExecStart are followed to find the stack and the compose command', () => {
  const projects = stacks({ immich: ['/mnt/data/photos'] });
  const text = `{ pkgs, ... }:
let
  compose = "\${pkgs.docker}/bin/docker compose";
  dir = "/srv/homelab/stacks/immich";
in {
  ${NFS}
  systemd.services.immich.serviceConfig.ExecStart = "\${compose} --project-directory \${dir} up -d";
}
`;
  const findings = findingsOf(text, CODE, { projects });
  assert.deepEqual(findings.map((f) => f.data?.['missing']), [['/mnt/data']]);
});

test('what needs a dependency: network and nofail mounts, systemd.mounts units, mounting services; not local disks, automounts, ZFS', () => {
  const unit = (extra = ''): string => `systemd.services.immich = { script = "cd /opt/stacks/immich && docker compose up -d";${extra} };`;
  const projects = (source: string): ComposeProject[] => stacks({ immich: [source] });
  const missing = (text: string, source: string): unknown => findingsOf(text, CODE, { projects: projects(source) }).map((f) => [f.data?.['missing'], f.data?.['services']]);
  assert.deepEqual(missing(module(NFS, unit()), '/mnt/data/x'), [[['/mnt/data'], []]]);
  assert.deepEqual(missing(module(NFS, unit(' after = [ "remote-fs.target" ];')), '/mnt/data/x'), [], 'remote-fs.target waits for network mounts without nofail');
  assert.deepEqual(missing(module(NFS, unit(' unitConfig.RequiresMountsFor = "/mnt/data/x";')), '/mnt/data/x'), []);
  assert.deepEqual(missing(module(NFS, unit(' requires = [ "mnt-data.mount" ];')), '/mnt/data/x'), []);
  assert.deepEqual(missing(module(LOCAL_NOFAIL, unit()), '/mnt/media/x'), [[['/mnt/media'], []]]);
  assert.deepEqual(missing(module('fileSystems."/mnt/media" = { device = "/dev/sdb1"; fsType = "ext4"; };', unit()), '/mnt/media/x'), [], 'before local-fs.target');
  assert.deepEqual(missing(module('fileSystems."/mnt/nas" = { device = "nas:/x"; fsType = "nfs"; options = [ "x-systemd.automount" "noauto" ]; };', unit()), '/mnt/nas/x'), [], 'mounted on access');
  assert.deepEqual(missing(module('systemd.mounts = [ { what = "nas:/x"; where = "/mnt/nas"; type = "nfs"; } ];', unit()), '/mnt/nas/x'), [[['/mnt/nas'], []]]);
  assert.deepEqual(missing(module('systemd.mounts = [ { what = "nas:/x"; where = "/mnt/nas"; type = "nfs"; } ];', 'systemd.automounts = [ { where = "/mnt/nas"; } ];', unit()), '/mnt/nas/x'), []);
  assert.deepEqual(missing(module('boot.zfs.extraPools = [ "tank" ];', unit()), '/mnt/tank/x'), [], 'zfs-mount.service runs before local-fs.target');
  const mergerfs = 'systemd.services.mergerfs.serviceConfig.ExecStart = "${pkgs.mergerfs}/bin/mergerfs -f /mnt/disk1:/mnt/disk2 /mnt/pool";';
  assert.deepEqual(missing(module(mergerfs, unit()), '/mnt/pool/x'), [[[], ['mergerfs']]]);
  assert.deepEqual(missing(module(mergerfs, unit(' requires = [ "mergerfs.service" ]; after = [ "mergerfs.service" ];')), '/mnt/pool/x'), []);
  assert.deepEqual(missing(module(unit()), '/mnt/guess/x'), [], 'no mount point is made up from the first folder');
});

test('with a snapshot, an undeclared old-host mount counts by its old options (nofail, network)', () => {
  const snapshot = loadSnapshotFromFiles(new Map([['pre_nixos_fstab.txt', 'UUID=3b6f /mnt/PlexStorage ext4 defaults,nofail 0 2\nUUID=77aa /mnt/fast ext4 defaults 0 2\n']])).snapshot;
  const projects = stacks({ plex: ['/mnt/PlexStorage/media', '/mnt/fast/transcode'] });
  const text = module('systemd.services.plex.script = "cd /opt/plex && docker compose up -d";');
  const findings = findingsOf(text, CODE, { projects, snapshot });
  assert.deepEqual(findings.map((f) => f.data?.['missing']), [['/mnt/PlexStorage']]);
  assert.match(said(findings[0]), /unitConfig\.RequiresMountsFor = \[ "\/mnt\/PlexStorage" \]/);
});
