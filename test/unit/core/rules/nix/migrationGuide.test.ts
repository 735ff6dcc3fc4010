import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initNixParser } from '../../../../../src/core/nix/syntax';
import { applyFix, assertAllParse, fixesFor, lintNix, rangeText, type Files } from './nixRuleFixture';

before(async () => {
  await initNixParser();
});

const DIR = path.resolve(__dirname, '../../../../fixtures/migration-guide');
const ENTRY = path.join(DIR, 'configuration.nix');

function fixtureFiles(): Files {
  return {
    [ENTRY]: fs.readFileSync(ENTRY, 'utf8'),
    [path.join(DIR, 'hardware-configuration.nix')]: fs.readFileSync(path.join(DIR, 'hardware-configuration.nix'), 'utf8'),
  };
}

test('the migration guide configuration: each classic mistake reported once, with its rule id', () => {
  const files = fixtureFiles();
  const { findings } = lintNix(files, { release: '25.05' });
  const text = files[ENTRY] as string;
  const summary = findings.map((finding) => [finding.code, finding.severity, rangeText(text, finding.range)]);
  assert.deepEqual(summary, [
    ['reserved-gid-conflict', 'error', '110'],
    ['opengl-renamed', 'error', 'hardware.opengl'],
    ['docker-enable-nvidia-deprecated', 'warning', 'virtualisation.docker.enableNvidia'],
    ['network-online-not-wanted', 'warning', '"network-online.target"'],
    ['print0-read-without-nul', 'error', 'read'],
    ['script-shebang-ignored', 'information', '#!/bin/bash'],
    ['log-opts-not-strings', 'error', '3'],
  ]);
  assert.ok(findings.every((finding) => finding.file === ENTRY));
});

test('on 24.05 the opengl block is still right, and enableNvidia is only deprecated from 24.05', () => {
  const codes = lintNix(fixtureFiles(), { release: '24.05' }).findings.map((finding) => finding.code);
  assert.equal(codes.includes('opengl-renamed'), false);
  assert.equal(codes.includes('docker-enable-nvidia-deprecated'), true);
  assert.equal(lintNix(fixtureFiles(), { release: '23.11' }).findings.some((finding) => finding.code === 'docker-enable-nvidia-deprecated'), false);
});

test('applying every preferred fix (re-analysing in between) gives a module that parses and lints clean', () => {
  let files = fixtureFiles();
  const applied: string[] = [];
  for (let round = 0; round < 20; round++) {
    const { findings, nix } = lintNix(files, { release: '25.05' });
    const fixable = findings.map((finding) => ({ finding, fix: fixesFor(finding, nix, files).find((fix) => fix.preferred) })).find((entry) => entry.fix);
    if (!fixable?.fix) break;
    files = applyFix(files, fixable.fix);
    applied.push(fixable.finding.code);
  }
  assert.deepEqual([...applied].sort(), [
    'docker-enable-nvidia-deprecated', 'log-opts-not-strings', 'network-online-not-wanted', 'opengl-renamed',
    'print0-read-without-nul', 'reserved-gid-conflict', 'script-shebang-ignored',
  ]);
  assert.deepEqual(lintNix(files, { release: '25.05' }).findings.map((finding) => finding.code), []);
  const text = files[ENTRY] as string;
  assert.match(text, /^\{ config, lib, pkgs, \.\.\. \}:$/m);
  assert.match(text, /users\.groups\.render\.gid = lib\.mkForce 110;/);
  assert.match(text, /hardware\.graphics = \{\n    enable = true;\n    enable32Bit = true;\n  \};/);
  assert.match(text, /hardware\.nvidia-container-toolkit\.enable = true;/);
  // (The header comment names the mistakes; the code below it must not contain them any more.)
  assert.doesNotMatch(text.slice(text.indexOf('{ config')), /enableNvidia|driSupport|#!\/bin\/bash|opengl/);
  assert.match(text, /max-file = "3";/);
  assert.match(text, /after = \[ "docker\.service" "network-online\.target" \];\n    wants = \[ "network-online\.target" \];/);
  assert.match(text, /read -r -d ''' f; do/);
  assertAllParse(Object.values(files));
});
