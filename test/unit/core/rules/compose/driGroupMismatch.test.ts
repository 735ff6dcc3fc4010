import assert from 'node:assert/strict';
import { test } from 'node:test';
import { driGroupMismatch } from '../../../../../src/core/rules/compose/driGroupMismatch';
import { renderNodeAccess } from '../../../../../src/core/rules/compose/driRenderNodeAccess';
import { check, context, covered, POP_OS_SNAPSHOT } from './fixture';
import { said } from '../said';

const jellyfin = `services:
  jellyfin:
    image: jellyfin/jellyfin
    user: "1000:1000"
    devices:
      - /dev/dri/renderD128:/dev/dri/renderD128
`;
const udev = (rules: string): string => `services.udev.extraRules = ''\n${rules}\n'';`;
const RESTRICT = udev('  SUBSYSTEM=="drm", KERNEL=="renderD*", GROUP="render", MODE="0660"');

test('dri-group-mismatch: quiet on NixOS defaults, where render nodes are 0666 (systemd group-render-mode)', async () => {
  assert.deepEqual(await check(driGroupMismatch, { compose: jellyfin }), []);
  assert.deepEqual(await check(driGroupMismatch, { compose: jellyfin, nix: 'users.groups.render.gid = lib.mkForce 110;', snapshot: POP_OS_SNAPSHOT }), []);
  // A rule that keeps the node world-accessible, or that is about other nodes, changes nothing.
  assert.deepEqual(await check(driGroupMismatch, { compose: jellyfin, nix: udev('  KERNEL=="renderD*", MODE="0666", GROUP="video"') }), []);
  assert.deepEqual(await check(driGroupMismatch, { compose: jellyfin, nix: udev('  SUBSYSTEM=="drm", KERNEL!="renderD*", MODE="0660"') }), []);
  assert.deepEqual(await check(driGroupMismatch, { compose: jellyfin, nix: udev('  KERNEL=="ttyUSB0", MODE="0600"') }), []);
});

test('dri-group-mismatch: a udev rule restricting the mode; the gid follows the group the rule names and a forced gid', async () => {
  const findings = await check(driGroupMismatch, { compose: jellyfin, nix: RESTRICT });
  assert.equal(findings.length, 1);
  assert.equal(covered(jellyfin, findings[0]!), '/dev/dri/renderD128:/dev/dri/renderD128');
  assert.match(said(findings[0]), /mode 0660 \(group `render`\)/);
  assert.match(said(findings[0]), /None of the container's groups \(1000\) is 303/);
  assert.equal(findings[0]!.data?.['renderGid'], 303);
  assert.match(findings[0]!.related[0]!.message, /mode 0660/);

  const forced = await check(driGroupMismatch, { compose: jellyfin, nix: `${RESTRICT}\nusers.groups.render.gid = lib.mkForce 110;`, snapshot: POP_OS_SNAPSHOT });
  assert.equal(forced[0]?.data?.['renderGid'], 110);
  const video = await check(driGroupMismatch, { compose: jellyfin, nix: udev('  KERNEL=="renderD*", GROUP="video", MODE="0660"') });
  assert.equal(video[0]?.data?.['renderGid'], 26);
  assert.match(said(video[0]), /members of `video` \(gid 26\)/);
});

test('dri-group-mismatch: a mode without group access leaves nothing a group_add could fix', async () => {
  const findings = await check(driGroupMismatch, { compose: jellyfin, nix: udev('  KERNEL=="renderD*", MODE="0600"') });
  assert.equal(findings.length, 1);
  assert.match(said(findings[0]), /only root can open it/);
  assert.equal(findings[0]!.data?.['renderGid'], undefined);
});

test('dri-group-mismatch: quiet for linuxserver images, root, the right group_add, or a named group', async () => {
  const lsio = 'services:\n  plex:\n    image: lscr.io/linuxserver/plex\n    user: "1000:1000"\n    devices: [/dev/dri:/dev/dri]\n';
  assert.deepEqual(await check(driGroupMismatch, { compose: lsio, nix: RESTRICT }), []);
  const noUser = 'services:\n  a:\n    image: x\n    devices: [/dev/dri:/dev/dri]\n';
  assert.deepEqual(await check(driGroupMismatch, { compose: noUser, nix: RESTRICT }), []);
  assert.deepEqual(await check(driGroupMismatch, { compose: `${jellyfin}    group_add:\n      - "303"\n`, nix: RESTRICT }), []);
  assert.deepEqual(await check(driGroupMismatch, { compose: `${jellyfin}    group_add:\n      - render\n`, nix: RESTRICT }), []);
});

test('renderNodeAccess: later rules win, := locks, interpolated text is not read', async () => {
  const access = async (rules: string) => renderNodeAccess((await context({ compose: 'services: {}\n', nix: udev(rules) })).nix);
  assert.equal(await access('  KERNEL=="card*", MODE="0600"'), undefined);
  assert.equal((await access('  KERNEL=="renderD*", MODE="0660"\n  KERNEL=="renderD*", MODE="0666"'))?.mode, 0o666);
  assert.equal((await access('  KERNEL=="renderD*", MODE:="0660"\n  KERNEL=="renderD*", MODE="0666"'))?.mode, 0o660);
  assert.equal((await access('  # KERNEL=="renderD*", MODE="0600"\n  SUBSYSTEM=="drm", KERNEL=="card[0-9]*|renderD*", \\\n    GROUP="video", MODE="0660"'))?.group, 'video');
  const interpolated = (await context({ compose: 'services: {}\n', nix: 'services.udev.extraRules = \'\'\n  KERNEL=="renderD*", GROUP="\${config.x}", MODE="0660"\n\'\';' })).nix;
  assert.equal(renderNodeAccess(interpolated), undefined);
});
