import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initNixParser } from '../../../../../src/core/nix/syntax';
import { assertAllParse, ENTRY, findingsOf, fixesFor, fixOnce, lintNix, rangeText, fixChecker } from './nixRuleFixture';
import { said } from '../said';

before(async () => {
  await initNixParser();
});

const { fixedText, results: fixed } = fixChecker();

test('reserved-gid-conflict: a plain gid for render conflicts; the range is the value', () => {
  const text = '{ config, pkgs, ... }:\n{\n  users.groups.render.gid = 110;\n}\n';
  const [finding, ...rest] = findingsOf(text, 'reserved-gid-conflict');
  assert.ok(finding);
  assert.equal(rest.length, 0);
  assert.equal(finding.severity, 'error');
  assert.equal(rangeText(text, finding.range), '110');
  assert.match(said(finding), /conflicts with NixOS's own gid 303/);
  assert.match(said(finding), /lib\.mkForce 110/);
});

test('reserved-gid-conflict: mkDefault is reported as ignored; mkForce, the NixOS value and own groups are fine', () => {
  const defaulted = findingsOf('{ lib, ... }: { users.groups.video.gid = lib.mkDefault 44; }', 'reserved-gid-conflict');
  assert.equal(defaulted.length, 1);
  assert.match(said(defaulted[0]), /silently ignored/);
  assert.equal(rangeText('{ lib, ... }: { users.groups.video.gid = lib.mkDefault 44; }', defaulted[0]!.range), 'lib.mkDefault 44');

  assert.equal(findingsOf('{ lib, ... }: { users.groups.render.gid = lib.mkForce 110; }', 'reserved-gid-conflict').length, 0);
  assert.equal(findingsOf('{ users.groups.render.gid = 303; }', 'reserved-gid-conflict').length, 0);
  assert.equal(findingsOf('{ users.groups.media.gid = 110; }', 'reserved-gid-conflict').length, 0);
  // A forced definition elsewhere wins over the plain one: no conflict.
  assert.equal(findingsOf('{ lib, ... }: { imports = [ { users.groups.render.gid = lib.mkForce 110; } ]; users.groups.render.gid = 110; }', 'reserved-gid-conflict').length, 0);
});

test('reserved-gid-conflict: nested form, extraGroups, and docker only when Docker is enabled', () => {
  assert.equal(findingsOf('{ users = { groups.render = { gid = 110; }; }; }', 'reserved-gid-conflict').length, 1);
  assert.equal(findingsOf('{ users.extraGroups.audio.gid = 63; }', 'reserved-gid-conflict').length, 1);
  assert.equal(findingsOf('{ users.groups.docker.gid = 998; }', 'reserved-gid-conflict').length, 0);
  assert.equal(findingsOf('{ virtualisation.docker.enable = true; users.groups.docker.gid = 998; }', 'reserved-gid-conflict').length, 1);
});

test('reserved-gid-conflict fix: lib.mkForce around the value, lib added to the arguments', () => {
  assert.equal(
    fixedText('{ config, pkgs, ... }:\n{\n  users.groups.render.gid = 110;\n}\n', 'reserved-gid-conflict'),
    '{ config, lib, pkgs, ... }:\n{\n  users.groups.render.gid = lib.mkForce 110;\n}\n',
  );
  assert.equal(
    fixedText('{ lib, ... }:\n{\n  users.groups.render = {\n    gid = lib.mkDefault 110;\n  };\n}\n', 'reserved-gid-conflict'),
    '{ lib, ... }:\n{\n  users.groups.render = {\n    gid = lib.mkForce 110;\n  };\n}\n',
  );
  assert.equal(
    fixedText('{\n  users.groups.render.gid = 110;\n}\n', 'reserved-gid-conflict'),
    '{ lib, ... }:\n{\n  users.groups.render.gid = lib.mkForce 110;\n}\n',
  );
  assert.equal(
    fixedText('{ config, lib, ... }:\nlet renderGid = 110; in\n{\n  users.groups.render.gid = renderGid;\n}\n', 'reserved-gid-conflict'),
    '{ config, lib, ... }:\nlet renderGid = 110; in\n{\n  users.groups.render.gid = lib.mkForce renderGid;\n}\n',
  );
});

test('reserved-gid-conflict fix edits the imported file that holds the definition', () => {
  const files = {
    '/etc/nixos/configuration.nix': '{ ... }:\n{\n  imports = [ ./groups.nix ];\n}\n',
    '/etc/nixos/groups.nix': '{ pkgs, ... }:\n{\n  users.groups.render.gid = 110;\n}\n',
  };
  const result = fixOnce(files, 'reserved-gid-conflict');
  assert.equal(result['/etc/nixos/configuration.nix'], files['/etc/nixos/configuration.nix']);
  assert.equal(result['/etc/nixos/groups.nix'], '{ lib, pkgs, ... }:\n{\n  users.groups.render.gid = lib.mkForce 110;\n}\n');
  assert.equal(lintNix(result).findings.filter((f) => f.code === 'reserved-gid-conflict').length, 0);
});

test('no fix is offered against a file that changed since the analysis', () => {
  const { findings, nix, files } = lintNix('{\n  users.groups.render.gid = 110;\n}\n');
  const finding = findings.find((f) => f.code === 'reserved-gid-conflict');
  assert.ok(finding);
  assert.equal(fixesFor(finding, nix, files).length, 1);
  assert.deepEqual(fixesFor(finding, nix, { [ENTRY]: '{\n  # edited\n  users.groups.render.gid = 110;\n}\n' }), []);
});

test('duplicate-id: two users with one uid, each pointing at the other', () => {
  const text = '{\n  users.users.alice = { isNormalUser = true; uid = 1000; };\n  users.users.bob.uid = 1000;\n  users.users.carol.uid = 1001;\n}\n';
  const findings = findingsOf(text, 'duplicate-id');
  assert.equal(findings.length, 2);
  const [alice, bob] = findings;
  assert.equal(alice?.severity, 'error');
  assert.equal(rangeText(text, alice!.range), '1000');
  assert.equal(alice!.range.start.line, 1);
  assert.equal(bob!.range.start.line, 2);
  assert.match(said(alice), /uid 1000 of user `alice` is also the uid of user `bob`/);
  assert.equal(alice!.related[0]?.location.range.start.line, 2);
  assert.equal(bob!.related[0]?.location.range.start.line, 1);
});

test('duplicate-id: groups, NixOS defaults included; nothing for distinct ids or with enforceIdUniqueness off', () => {
  const clash = findingsOf('{ users.groups.media.gid = 303; }', 'duplicate-id');
  assert.equal(clash.length, 1, 'media 303 clashes with render 303 declared by NixOS');
  assert.match(said(clash[0]), /group `render` \(declared by NixOS, static id/);
  assert.match(said(clash[0]), /UIDs and GIDs must be unique!/);
  assert.equal(clash[0]?.related.length, 0);
  // render forced to 110: 303 is free again, but 110 is now render's.
  assert.equal(findingsOf('{ lib, ... }: { users.groups.render.gid = lib.mkForce 110; users.groups.media.gid = 303; }', 'duplicate-id').length, 0);
  assert.equal(findingsOf('{ lib, ... }: { users.groups.render.gid = lib.mkForce 110; users.groups.media.gid = 110; }', 'duplicate-id').length, 2);
  assert.equal(findingsOf('{ users.groups.media.gid = 2000; users.groups.backup.gid = 2001; }', 'duplicate-id').length, 0);
  assert.equal(findingsOf('{ users.enforceIdUniqueness = false; users.groups.media.gid = 303; }', 'duplicate-id').length, 0);
  // docker's 131 counts only when Docker is enabled.
  assert.equal(findingsOf('{ users.groups.media.gid = 131; }', 'duplicate-id').length, 0);
  assert.equal(findingsOf('{ virtualisation.docker.enable = true; users.groups.media.gid = 131; }', 'duplicate-id').length, 1);
});

test('every fixed text parses (one nix-instantiate call)', () => {
  assert.ok(fixed.length >= 4);
  assertAllParse(fixed);
});
