import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertOneLineError, EXAMPLE, runCli, type CliRun } from './runCli';

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

/** The user's flow: generate into the homelab, add the module to the imports, lint again. */
async function generateImportLint(snapshot: boolean): Promise<{ root: string; generate: CliRun; before: Diagnostic[]; after: Diagnostic[] }> {
  const root = join(mkdtempSync(join(tmpdir(), 'nixoshl-cli-roundtrip-')), 'homelab');
  cpSync(EXAMPLE, root, { recursive: true });
  const flags = snapshot ? ['--snapshot', 'snapshot'] : [];
  const lint = async (): Promise<Diagnostic[]> => (JSON.parse((await runCli(['lint', ...flags, '--format', 'json', '.'], { cwd: root })).stdout) as { diagnostics: Diagnostic[] }).diagnostics;
  const before = await lint();
  const generate = await runCli(['generate', ...flags, '--out', 'nixos/homelab.nix', '.'], { cwd: root });
  assert.equal(generate.status, 0, generate.stderr);
  assert.match(generate.stderr, /imports = \[ \.\/homelab\.nix \]/);
  const configuration = join(root, 'nixos', 'configuration.nix');
  writeFileSync(configuration, readFileSync(configuration, 'utf8').replace('./hardware-configuration.nix\n', './hardware-configuration.nix\n      ./homelab.nix\n'));
  return { root, generate, before, after: await lint() };
}

interface Diagnostic {
  file: string;
  code: string;
  message: string;
}

const ANSWERED = ['puid-unmapped', 'docker-not-enabled', 'gpu-without-toolkit', 'dri-without-gpu-firmware', 'docker-package-insecure', 'autostart-without-mount-deps'];

test('generate + imports, with the snapshot: no id, Docker, GPU or disk finding remains, and the module brings none', async () => {
  const { generate, before, after } = await generateImportLint(true);
  assert.ok(before.some((d) => d.code === 'pgid-unmapped') && before.some((d) => d.code === 'bind-mount-undeclared'));
  assert.deepEqual(after.filter((d) => [...ANSWERED, 'pgid-unmapped', 'bind-mount-undeclared'].includes(d.code)).map((d) => `${d.file}: ${d.code}`), []);
  assert.deepEqual(after.filter((d) => d.file === 'nixos/homelab.nix').map((d) => d.code), []);
  // What is left for a person: the GPU requests lint --fix rewrites to CDI, ports, variables.
  assert.match(generate.stderr, /to do: .*`nixos-homelab lint --fix` rewrites them to a CDI reservation/);
});

test('generate + imports, without a snapshot: nothing contradicts; only the ids and the NVIDIA choice the notes name remain', async () => {
  const { root, generate, after } = await generateImportLint(false);
  assert.deepEqual(after.filter((d) => ANSWERED.includes(d.code)).map((d) => `${d.file}: ${d.code}`), []);
  // No group is guessed for gid 110 or 1000: both are notes, and their findings stay.
  assert.match(generate.stderr, /to do: gid 110 .*has no known group name/);
  assert.match(generate.stderr, /to do: gid 1000 .*has no known group name/);
  assert.deepEqual([...new Set(after.filter((d) => d.code === 'pgid-unmapped').map((d) => /(?:PGID|gid) (\d+)/.exec(d.message)?.[1]))].sort(), ['1000', '110']);
  // hardware.nvidia.open is the user's choice: the one finding in the module, announced by a note.
  assert.match(generate.stderr, /to do: hardware\.nvidia\.open is not set/);
  assert.deepEqual(after.filter((d) => d.file === 'nixos/homelab.nix').map((d) => d.code), ['nvidia-open-unset']);
  const module = readFileSync(join(root, 'nixos', 'homelab.nix'), 'utf8');
  assert.doesNotMatch(module, /^\s*users\.groups/m);
});
