import assert from 'node:assert/strict';
import { test } from 'node:test';
import { puidUnmapped } from '../../../../../src/core/rules/compose/puidUnmapped';
import { check, covered } from './fixture';
import { said } from '../said';

const PALAV = 'users.users.palav = { isNormalUser = true; };';

/** A linuxserver-style service with PUID 1000 and the given extra service keys. */
function service(extra: string, puid = '1000'): string {
  return `services:\n  app:\n    image: lscr.io/linuxserver/sonarr\n    environment:\n      - PUID=${puid}\n${extra}`;
}

test('puid-unmapped: a service whose data lives in named volumes only shares nothing with host users: no finding', async () => {
  const compose = `${service('    volumes:\n      - config:/config\n      - type: volume\n        source: media\n        target: /media\n')}volumes:\n  config:\n  media:\n`;
  assert.deepEqual(await check(puidUnmapped, { compose, nix: PALAV }), []);
});

test('puid-unmapped: service uids such as 33 (www-data) and 99 (Unraid nobody) with named volumes only: no finding', async () => {
  for (const uid of ['33', '99']) {
    const compose = `${service('    volumes:\n      - data:/var/www/html\n      - /etc/localtime:/etc/localtime:ro\n', uid)}volumes:\n  data:\n`;
    assert.deepEqual(await check(puidUnmapped, { compose, nix: PALAV }), [], `uid ${uid}`);
  }
  const user = 'services:\n  nextcloud:\n    image: nextcloud\n    user: "33:33"\n    tmpfs: [/tmp]\n    volumes: [nextcloud:/var/www/html]\nvolumes:\n  nextcloud:\n';
  assert.deepEqual(await check(puidUnmapped, { compose: user, nix: PALAV }), []);
});

test('puid-unmapped: a bind mount of a host path is reported, naming the shared path and who loses access', async () => {
  const compose = service('    volumes:\n      - /mnt/PlexStorage/media/tv:/tv\n      - ./config:/config\n');
  const findings = await check(puidUnmapped, { compose, nix: PALAV });
  assert.equal(findings.length, 1);
  const [finding] = findings;
  assert.ok(finding);
  assert.equal(covered(compose, finding), '1000');
  assert.match(said(finding), /users\.users\.palav is declared without `uid`/);
  assert.match(said(finding), /The container keeps uid 1000 whatever NixOS allocates/);
  assert.match(said(finding), /shares `\/mnt\/PlexStorage\/media\/tv` \(and 1 more host path\) with the host/);
  assert.match(said(finding), /`palav` no longer owns what the container writes there/);
  assert.match(said(finding), /Samba\/NFS share/);
  assert.match(said(finding), /Fix: declare `users\.users\.palav\.uid = 1000;`\.$/);
  assert.doesNotMatch(said(finding), /permission denied/);
  assert.equal(finding.data?.['sharedPath'], '/mnt/PlexStorage/media/tv');
  assert.equal(finding.data?.['userName'], 'palav');
});

test('puid-unmapped: a long-syntax bind counts; a long-syntax volume does not', async () => {
  const bind = service('    volumes:\n      - type: bind\n        source: /srv/photos\n        target: /photos\n');
  assert.equal((await check(puidUnmapped, { compose: bind, nix: PALAV })).length, 1);
  const volume = `${service('    volumes:\n      - type: volume\n        source: photos\n        target: /photos\n')}volumes:\n  photos:\n`;
  assert.deepEqual(await check(puidUnmapped, { compose: volume, nix: PALAV }), []);
});

test('puid-unmapped: device passthrough shares a host node: reported', async () => {
  const compose = service('    devices:\n      - /dev/dri:/dev/dri\n');
  const findings = await check(puidUnmapped, { compose, nix: PALAV });
  assert.equal(findings.length, 1);
  assert.match(said(findings[0]), /shares `\/dev\/dri` with the host/);
});

test('puid-unmapped: only the clock and the Docker socket bound: nothing of the host users is shared', async () => {
  const compose = service('    volumes:\n      - /etc/localtime:/etc/localtime:ro\n      - /var/run/docker.sock:/var/run/docker.sock\n');
  assert.deepEqual(await check(puidUnmapped, { compose, nix: PALAV }), []);
});

test('puid-unmapped: without any user name the message says no host user owns the files', async () => {
  const compose = service('    volumes:\n      - /srv/app:/data\n', '1234');
  const findings = await check(puidUnmapped, { compose });
  assert.equal(findings.length, 1);
  assert.match(said(findings[0]), /where no user has uid 1234: no login user, Samba\/NFS share or unit `User=` owns what the container writes there/);
});

test('puid-unmapped: a warning, not an error (the container itself keeps working)', () => {
  assert.equal(puidUnmapped.defaultSeverity, 'warning');
});
