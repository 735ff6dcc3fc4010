import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertOneLineError, EXAMPLE, runCli } from './runCli';

test('generate prints the module on stdout and the imports hint on stderr', async () => {
  const run = await runCli(['generate', '--snapshot', 'snapshot', '--stacks-root', '/home/palav'], { cwd: EXAMPLE });
  assert.equal(run.status, 0, run.stderr);
  assert.ok(run.stdout.includes('{ config, lib, pkgs, ... }:'));
  assert.match(run.stdout, /users\.groups\.render\.gid = lib\.mkForce 110;/);
  assert.match(run.stdout, /"\/home\/palav\/docker\/plex"/);
  assert.match(run.stderr, /imports/);
  assert.ok(!run.stdout.includes('nixos-homelab: '), 'messages never mix into the module text');
});

test('generate --out writes the file, refuses to overwrite it, and replaces it with --force', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nixoshl-cli-generate-'));
  const out = join(dir, 'homelab.nix');
  const first = await runCli(['generate', EXAMPLE, '--snapshot', join(EXAMPLE, 'snapshot'), '--out', out]);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stderr, /wrote .*homelab\.nix\. Add it to your configuration .*imports = \[ .*homelab\.nix \];/);
  const generated = readFileSync(out, 'utf8');
  assert.match(generated, /systemd\.services\.homelab-autostart = \{/);

  writeFileSync(out, '# mine\n');
  const refused = await runCli(['generate', EXAMPLE, '--out', out]);
  assertOneLineError(refused, /homelab\.nix already exists; pass --force to replace it/);
  assert.equal(readFileSync(out, 'utf8'), '# mine\n');

  const forced = await runCli(['generate', EXAMPLE, '--snapshot', join(EXAMPLE, 'snapshot'), '--out', out, '--force']);
  assert.equal(forced.status, 0, forced.stderr);
  assert.equal(readFileSync(out, 'utf8'), generated, 'same inputs, same bytes');
  assert.deepEqual(readdirSync(dir), ['homelab.nix'], 'no temporary file left behind');
});

test('generate usage errors exit 2 with one line', async () => {
  assertOneLineError(await runCli(['generate', EXAMPLE, '--stacks-root', 'relative/dir']), /--stacks-root must be an absolute path/);
  assertOneLineError(await runCli(['generate', EXAMPLE, '--snapshot', '/no/such/snapshot']), /--snapshot .*no such folder/);
  const empty = mkdtempSync(join(tmpdir(), 'nixoshl-cli-empty-'));
  assertOneLineError(await runCli(['generate', empty]), /no compose files found/);
});
