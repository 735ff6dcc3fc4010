import assert from 'node:assert/strict';
import { test } from 'node:test';
import { composeSideFixes } from '../../../../../src/core/fixes/composeSide';
import type { Finding } from '../../../../../src/core/types';
import { pgidUnmapped } from '../../../../../src/core/rules/compose/pgidUnmapped';
import { memoryHost } from '../../../helpers/memoryHost';
import { check, COMPOSE_FILE, context, covered, POP_OS_SNAPSHOT } from './fixture';
import { said } from '../said';

const plex = (extra: string): string => `services:\n  plex:\n    image: lscr.io/linuxserver/plex:latest\n    environment:\n      - PUID=1000\n      - PGID=110\n${extra}`;

test('pgid-unmapped: named volumes only: no finding, even for gid 110 unknown to NixOS', async () => {
  const compose = `${plex('    volumes:\n      - config:/config\n')}volumes:\n  config:\n`;
  assert.deepEqual(await check(pgidUnmapped, { compose, snapshot: POP_OS_SNAPSHOT }), []);
});

test('pgid-unmapped: gid 99 (Unraid) with named volumes only: no finding', async () => {
  const compose = 'services:\n  app:\n    image: x\n    user: "99:100"\n    group_add: ["99"]\n    volumes: [data:/data]\nvolumes:\n  data:\n';
  assert.deepEqual(await check(pgidUnmapped, { compose }), []);
});

test('pgid-unmapped: a bind of a host path is reported, saying who loses group access', async () => {
  const compose = plex('    volumes:\n      - /mnt/PlexStorage/media:/media\n');
  const findings = await check(pgidUnmapped, { compose, snapshot: POP_OS_SNAPSHOT });
  assert.equal(findings.length, 1);
  const [finding] = findings;
  assert.equal(covered(compose, finding!), '110');
  assert.match(said(finding), /NixOS declares `render` with gid 303, not 110/);
  assert.match(said(finding), /The container keeps gid 110 whatever NixOS declares, but it shares `\/mnt\/PlexStorage\/media` with the host, where `render` is gid 303/);
  assert.doesNotMatch(said(finding), /permission denied/);
  assert.equal(finding!.data?.['collidesWith'], null);
});

test('pgid-unmapped: device passthrough is reported; the group is the old host\'s, never guessed from the device', async () => {
  const compose = plex('    devices:\n      - /dev/dri:/dev/dri\n');
  const findings = await check(pgidUnmapped, { compose });
  assert.equal(findings.length, 1);
  assert.equal(findings[0]!.data?.['groupName'], null, 'no snapshot: no group is picked for gid 110');
  assert.doesNotMatch(said(findings[0]), /on the old host/);
  const withSnapshot = await check(pgidUnmapped, { compose, snapshot: POP_OS_SNAPSHOT });
  assert.equal(withSnapshot[0]!.data?.['groupName'], 'render', 'the snapshot says gid 110 was render');
});

test('pgid-unmapped: gid 1000 beside /dev/dri without a snapshot is not said to be render, nor forced to it', async () => {
  const compose = 'services:\n  jellyfin:\n    image: lscr.io/linuxserver/jellyfin\n    environment:\n      - PUID=1000\n      - PGID=1000\n    devices:\n      - /dev/dri:/dev/dri\n';
  const ctx = await context({ compose, nix: 'users.users.alex.isNormalUser = true;' });
  const [found] = pgidUnmapped.check(ctx);
  assert.ok(found);
  assert.doesNotMatch(said(found), /render|old host/);
  assert.equal(found.data?.['groupName'], null);
  const finding: Finding = { ...found, code: 'pgid-unmapped', severity: 'warning' };
  const outcome = composeSideFixes({ finding, nix: ctx.nix, snapshot: undefined, release: '25.05', reader: memoryHost({ [COMPOSE_FILE]: compose }), fixTarget: 'entry' });
  assert.deepEqual(outcome.fixes, []);
  assert.match(said(outcome.hints[0]), /no group name is known for gid 1000/);
});

const GATEWAY = 'services.journald.gateway.enable = true;';

test('pgid-unmapped: gid 110 held by systemd-journal-gateway (services.journald.gateway.enable) while the old host used it for render', async () => {
  const compose = plex('    volumes:\n      - /mnt/PlexStorage/media:/media\n');
  const findings = await check(pgidUnmapped, { compose, snapshot: POP_OS_SNAPSHOT, nix: GATEWAY });
  assert.equal(findings.length, 1);
  assert.match(said(findings[0]), /gid 110 is `systemd-journal-gateway`'s on NixOS/);
  assert.match(said(findings[0]), /services\.journald\.gateway\.enable = true/);
  assert.match(said(findings[0]), /UIDs and GIDs must be unique!/);
  assert.equal(findings[0]!.data?.['collidesWith'], 'systemd-journal-gateway');
  // The render fix would collide: a hint instead of `lib.mkForce 110`.
  const ctx = await context({ compose, snapshot: POP_OS_SNAPSHOT, nix: GATEWAY });
  const found = findings[0]!;
  const finding: Finding = { code: 'pgid-unmapped', severity: 'warning', file: found.file, range: found.range, message: found.message, related: found.related, data: found.data };
  const outcome = composeSideFixes({ finding, nix: ctx.nix, snapshot: ctx.snapshot, release: '25.05', reader: memoryHost({ [COMPOSE_FILE]: compose }), fixTarget: 'entry' });
  assert.deepEqual(outcome.fixes, []);
  assert.match(said(outcome.hints[0]), /NixOS declares `systemd-journal-gateway` with the static gid 110 because `services\.journald\.gateway\.enable = true`/);
});

test('pgid-unmapped: without the gateway, the render fix is offered as before', async () => {
  const compose = plex('    volumes:\n      - /mnt/PlexStorage/media:/media\n');
  const ctx = await context({ compose, snapshot: POP_OS_SNAPSHOT, nix: 'users.users.palav = { isNormalUser = true; };' });
  const [found] = pgidUnmapped.check(ctx);
  assert.ok(found);
  const finding: Finding = { code: 'pgid-unmapped', severity: 'warning', file: found.file, range: found.range, message: found.message, related: found.related, data: found.data };
  const host = memoryHost({ [COMPOSE_FILE]: compose, '/etc/nixos/configuration.nix': '{ config, lib, pkgs, ... }:\n{\nusers.users.palav = { isNormalUser = true; };\n}\n' });
  const outcome = composeSideFixes({ finding, nix: ctx.nix, snapshot: ctx.snapshot, release: '25.05', reader: host, fixTarget: 'entry' });
  assert.equal(outcome.hints.length, 0);
  assert.match(outcome.fixes[0]?.title ?? '', /users\.groups\.render\.gid = lib\.mkForce 110/);
});
