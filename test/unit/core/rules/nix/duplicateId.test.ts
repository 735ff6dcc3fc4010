import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initNixParser } from '../../../../../src/core/nix/syntax';
import { findingsOf, rangeText } from './nixRuleFixture';
import { said } from '../said';

before(async () => {
  await initNixParser();
});

const RENDER_110 = '{ lib, ... }:\n{\n  users.groups.render.gid = lib.mkForce 110;\n  services.journald.gateway.enable = true;\n}\n';

test('duplicate-id: render forced to 110 collides with systemd-journal-gateway when services.journald.gateway.enable is on', () => {
  const findings = findingsOf(RENDER_110, 'duplicate-id');
  assert.equal(findings.length, 1);
  const [finding] = findings;
  assert.equal(finding?.severity, 'error', 'users-groups.nix asserts unique ids: evaluation fails');
  assert.equal(rangeText(RENDER_110, finding!.range), '110');
  assert.match(said(finding), /gid 110 of group `render` is also the gid of group `systemd-journal-gateway` \(declared by NixOS because `services\.journald\.gateway\.enable = true`/);
  assert.match(said(finding), /"UIDs and GIDs must be unique!"/);
  assert.match(said(finding), /or leave `services\.journald\.gateway\.enable` off/);
  assert.equal(finding!.related[0]?.location.range.start.line, 3, 'points at the enable option');
});

test('duplicate-id: render forced to 110 without the gateway is quiet; the old option name enableHttpGateway counts too', () => {
  assert.deepEqual(findingsOf('{ lib, ... }: { users.groups.render.gid = lib.mkForce 110; }', 'duplicate-id'), []);
  assert.deepEqual(findingsOf('{ lib, ... }: { users.groups.render.gid = lib.mkForce 110; services.journald.gateway.enable = false; }', 'duplicate-id'), []);
  assert.equal(findingsOf('{ lib, ... }: { users.groups.render.gid = lib.mkForce 110; services.journald.enableHttpGateway = true; }', 'duplicate-id').length, 1);
});

test('duplicate-id: a user uid equal to an enabled service static uid (systemd-journal-gateway 110)', () => {
  const text = '{ users.users.media = { isSystemUser = true; group = "users"; uid = 110; }; services.journald.gateway.enable = true; }';
  const findings = findingsOf(text, 'duplicate-id');
  assert.equal(findings.length, 1);
  assert.match(said(findings[0]), /uid 110 of user `media` is also the uid of user `systemd-journal-gateway`/);
});

test('duplicate-id: systemd-timesync 154 is declared by default, unless services.timesyncd.enable = false', () => {
  assert.equal(findingsOf('{ users.groups.media.gid = 154; }', 'duplicate-id').length, 1);
  assert.deepEqual(findingsOf('{ users.groups.media.gid = 154; services.timesyncd.enable = false; }', 'duplicate-id'), []);
});

test('duplicate-id: a service group moved away from its default name does not hold the static gid', () => {
  assert.equal(findingsOf('{ users.groups.media.gid = 193; services.plex.enable = true; }', 'duplicate-id').length, 1);
  assert.deepEqual(findingsOf('{ users.groups.media.gid = 193; services.plex.enable = true; services.plex.group = "media"; }', 'duplicate-id'), []);
});

test('duplicate-id: a disabled user with a fixed uid still counts (users-groups.nix does not filter on enable)', () => {
  const text = '{ users.users.alice = { isNormalUser = true; uid = 1000; }; users.users.bob = { enable = false; isNormalUser = true; uid = 1000; }; }';
  assert.equal(findingsOf(text, 'duplicate-id').length, 2);
});
