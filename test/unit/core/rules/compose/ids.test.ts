import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pgidUnmapped } from '../../../../../src/core/rules/compose/pgidUnmapped';
import { puidUnmapped } from '../../../../../src/core/rules/compose/puidUnmapped';
import { check, covered, POP_OS_SNAPSHOT } from './fixture';
import { said } from '../said';

const plex = `services:
  plex:
    image: lscr.io/linuxserver/plex:latest
    environment:
      - PUID=1000
      - PGID=110
    devices:
      - /dev/dri:/dev/dri
`;

test('puid-unmapped: PUID without a user declaring that uid, pointing at the value', async () => {
  const findings = await check(puidUnmapped, { compose: plex, nix: 'users.users.palav = { isNormalUser = true; };' });
  assert.equal(findings.length, 1);
  const [finding] = findings;
  assert.ok(finding);
  assert.equal(covered(plex, finding), '1000');
  assert.match(said(finding), /users\.users\.palav is declared without `uid`/);
  assert.equal(finding.data?.['userName'], 'palav');
  assert.equal(finding.related[0]?.location.file, '/etc/nixos/configuration.nix');
});

test('puid-unmapped: quiet when the uid is declared (dotted or nested), and for root', async () => {
  assert.deepEqual(await check(puidUnmapped, { compose: plex, nix: 'users.users.palav.uid = 1000;' }), []);
  assert.deepEqual(await check(puidUnmapped, { compose: plex, nix: 'users = { users.palav = { uid = 1000; }; };' }), []);
  const root = 'services:\n  a:\n    image: x\n    user: "0:0"\n';
  assert.deepEqual(await check(puidUnmapped, { compose: root }), []);
});

test('puid-unmapped: user: uid and a name from the snapshot when no user is declared', async () => {
  const compose = 'services:\n  immich:\n    image: ghcr.io/immich-app/immich-server:release\n    user: "1000:1000"\n    volumes:\n      - /mnt/PlexStorage/immich:/usr/src/app/upload\n';
  const findings = await check(puidUnmapped, { compose, snapshot: POP_OS_SNAPSHOT });
  assert.equal(findings.length, 1);
  assert.equal(covered(compose, findings[0]!), '1000');
  assert.equal(findings[0]!.data?.['userName'], 'palav');
  assert.equal(findings[0]!.data?.['userExists'], false);
});

test('puid-unmapped: interpolated PUID names the .env it came from', async () => {
  const compose = 'services:\n  a:\n    image: lscr.io/linuxserver/sonarr\n    environment:\n      PUID: ${PUID}\n    volumes:\n      - ./config:/config\n';
  const findings = await check(puidUnmapped, { compose, env: 'PUID=1000\n' });
  assert.equal(findings.length, 1);
  assert.match(said(findings[0]), /PUID from app\/\.env/);
});

test('pgid-unmapped: render gid 110 vs NixOS default 303 asks for lib.mkForce', async () => {
  const findings = await check(pgidUnmapped, { compose: plex, snapshot: POP_OS_SNAPSHOT });
  assert.equal(findings.length, 1);
  assert.equal(covered(plex, findings[0]!), '110');
  assert.match(said(findings[0]), /NixOS declares `render` with gid 303, not 110/);
  assert.match(said(findings[0]), /lib\.mkForce 110/);
  assert.equal(findings[0]!.data?.['groupName'], 'render');
  assert.match(findings[0]!.related[0]!.message, /render keeps NixOS's gid 303/);
});

test('pgid-unmapped: satisfied by mkForce, not by mkDefault (NixOS ignores it) nor by a plain conflict-free other gid', async () => {
  assert.deepEqual(await check(pgidUnmapped, { compose: plex, nix: 'users.groups.render.gid = lib.mkForce 110;' }), []);
  assert.equal((await check(pgidUnmapped, { compose: plex, nix: 'users.groups.render.gid = lib.mkDefault 110;' })).length, 1);
  assert.deepEqual(await check(pgidUnmapped, { compose: plex, nix: 'users.groups.media.gid = 110;' }), []);
});

test('pgid-unmapped: NixOS built-in groups count (users = 100); without a snapshot no group is picked for a gid, a render device or not', async () => {
  const users = 'services:\n  a:\n    image: x\n    environment:\n      - PGID=100\n';
  assert.deepEqual(await check(pgidUnmapped, { compose: users }), []);
  const findings = await check(pgidUnmapped, { compose: plex });
  assert.equal(findings.length, 1);
  assert.equal(findings[0]?.data?.['groupName'], null);
  assert.doesNotMatch(said(findings[0]), /old host/);
});

test('pgid-unmapped: the personal group of Ubuntu (1000:1000) and numeric group_add', async () => {
  const compose = 'services:\n  a:\n    image: x\n    user: "1000:1000"\n    group_add:\n      - "44"\n      - video\n    volumes:\n      - /srv/a:/data\n';
  const findings = await check(pgidUnmapped, { compose, snapshot: POP_OS_SNAPSHOT });
  assert.deepEqual(findings.map((f) => covered(compose, f)), ['1000', '"44"']);
  assert.equal(findings[0]!.data?.['groupName'], 'palav');
  assert.equal(findings[0]!.data?.['personalOf'], 'palav');
  assert.equal(findings[1]!.data?.['groupName'], 'video');
});

test('pgid-unmapped: docker gid 131 counts only when Docker is enabled', async () => {
  const compose = 'services:\n  a:\n    image: x\n    group_add: ["131"]\n    volumes: ["/var/run/docker.sock:/var/run/docker.sock", "./data:/data"]\n';
  assert.equal((await check(pgidUnmapped, { compose })).length, 1);
  assert.deepEqual(await check(pgidUnmapped, { compose, nix: 'virtualisation.docker.enable = true;' }), []);
});
