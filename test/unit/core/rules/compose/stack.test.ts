import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bindMountUndeclared } from '../../../../../src/core/rules/compose/bindMountUndeclared';
import { dockerNotEnabled } from '../../../../../src/core/rules/compose/dockerNotEnabled';
import { publishedPortBypassesFirewall } from '../../../../../src/core/rules/compose/publishedPortBypassesFirewall';
import { unresolvedVariable } from '../../../../../src/core/rules/compose/unresolvedVariable';
import { check, covered, POP_OS_SNAPSHOT } from './fixture';
import { said } from '../said';

const immich = `services:
  server:
    image: ghcr.io/immich-app/immich-server:release
    volumes:
      - \${UPLOAD_LOCATION}:/usr/src/app/upload
      - /etc/localtime:/etc/localtime:ro
      - ./config:/config
`;

test('bind-mount-undeclared: interpolated source on a snapshot data disk carries UUID and fstab options', async () => {
  const findings = await check(bindMountUndeclared, { compose: immich, env: 'UPLOAD_LOCATION=/mnt/PlexStorage/immich/library\n', snapshot: POP_OS_SNAPSHOT });
  assert.equal(findings.length, 1);
  const [finding] = findings;
  assert.equal(covered(immich, finding!), '${UPLOAD_LOCATION}:/usr/src/app/upload');
  assert.match(said(finding), /\/mnt\/PlexStorage\/immich\/library/);
  assert.match(said(finding), /UPLOAD_LOCATION from app\/\.env/);
  assert.equal(finding!.data?.['uuid'], '3b6f2a9e-8c1d-4e57-9a0b-52d7c4e1f806');
  assert.deepEqual(finding!.data?.['options'], ['nofail', 'noatime']);
});

test('bind-mount-undeclared: without a snapshot, a folder under a mount root is information and names no mount point', async () => {
  const findings = await check(bindMountUndeclared, { compose: immich, env: 'UPLOAD_LOCATION=/mnt/PlexStorage/immich\n' });
  assert.equal(findings.length, 1);
  assert.equal(findings[0]!.severity, 'information');
  assert.equal(findings[0]!.data?.['mountpoint'], undefined, 'no mount point is made up from the first folder');
  assert.match(said(findings[0]), /not known to be a separate disk: if it is, declare its mount point/);
  assert.doesNotMatch(said(findings[0]), /fileSystems\."\/mnt\/PlexStorage"/);
});

test('bind-mount-undeclared: covered by fileSystems (any form), not by "/" nor by a sibling disk name', async () => {
  const env = 'UPLOAD_LOCATION=/mnt/PlexStorage/immich\n';
  assert.deepEqual(await check(bindMountUndeclared, { compose: immich, env, nix: 'fileSystems."/mnt/PlexStorage".device = "/dev/disk/by-uuid/x";' }), []);
  assert.deepEqual(await check(bindMountUndeclared, { compose: immich, env, nix: 'fileSystems = { "/mnt/PlexStorage" = { device = "x"; }; };' }), []);
  assert.equal((await check(bindMountUndeclared, { compose: immich, env, nix: 'fileSystems."/".device = "x";' })).length, 1);
  assert.equal((await check(bindMountUndeclared, { compose: immich, env, nix: 'fileSystems."/mnt/PlexStorage2".device = "x";' })).length, 1);
});

test('docker-not-enabled: once per compose file, on the services key', async () => {
  const compose = 'services:\n  a:\n    image: x\n  b:\n    image: y\n';
  const findings = await check(dockerNotEnabled, { compose });
  assert.equal(findings.length, 1);
  assert.equal(covered(compose, findings[0]!), 'services');
  assert.deepEqual(await check(dockerNotEnabled, { compose, nix: 'virtualisation.docker = { enable = true; };' }), []);
});

test('unresolved-variable: ${VAR} without default and not in .env; defaults and :? are fine', async () => {
  const compose = 'services:\n  a:\n    image: x:${TAG}\n    environment:\n      A: ${DEFINED}\n      B: ${WITH_DEFAULT:-1}\n      C: ${REQUIRED:?set it}\n';
  const findings = await check(unresolvedVariable, { compose, env: 'DEFINED=1\n' });
  assert.deepEqual(findings.map((f) => f.data?.['name']), ['TAG']);
  assert.equal(covered(compose, findings[0]!), '${TAG}');
});

test('published-port-bypasses-firewall: only ports without a host IP, one finding per service with the others related', async () => {
  const compose = 'services:\n  a:\n    image: x\n    ports:\n      - "8096:8096"\n      - 127.0.0.1:8989:8989\n      - target: 80\n        published: 8080\n  b:\n    image: y\n    ports: ["9000:9000"]\n';
  const findings = await check(publishedPortBypassesFirewall, { compose });
  assert.equal(findings.length, 2, 'one for a (two open ports), one for b');
  assert.equal(covered(compose, findings[0]!), '"8096:8096"');
  assert.match(findings[0]?.message ?? '', /^Ports 8096:8096 and 1 more of service a are published on every interface/);
  assert.match(findings[0]?.explanation ?? '', /^Ports `8096:8096` and `.*` are published on every interface/);
  assert.equal(findings[0]!.related.length, 1);
  assert.match(findings[0]!.related[0]!.message, /^8080:80 of service a is also published/);
  assert.deepEqual(findings[0]!.data?.['lines'], [4, 6]);
  assert.match(said(findings[1]), /^Port 9000:9000 of service b is published/);
});
