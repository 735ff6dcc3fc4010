import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSshd, type SshdHarness } from '../ssh/sshdHarness';
import { assertOneLineError, EXAMPLE, runCli } from './runCli';

const sshd = useSshd();

function sshArgs(h: SshdHarness, knownHosts?: string): string[] {
  return [
    '--ssh', `${h.user}@127.0.0.1`,
    '--port', String(h.port),
    '--identity', h.clientKey,
    ...h.sshOptions(knownHosts).flatMap((option) => ['--ssh-option', option]),
  ];
}

test('verify against a real (non-NixOS) host reports failures and unknowns as JSON and exits 1', async () => {
  const h = await sshd();
  const run = await runCli(['verify', ...sshArgs(h), '--snapshot', 'snapshot', '--format', 'json'], { cwd: EXAMPLE });
  assert.equal(run.status, 1, run.stderr);
  const report = JSON.parse(run.stdout) as { version: number; host: string; checks: { id: string; status: string; detail: string; fix?: string }[] };
  assert.equal(report.version, 1);
  assert.equal(report.host, `${h.user}@127.0.0.1`);
  const byId = new Map(report.checks.map((c) => [c.id, c]));
  for (const check of report.checks) {
    assert.ok(['pass', 'fail', 'unknown'].includes(check.status));
    assert.equal(typeof check.detail, 'string');
  }
  // The expectation comes from the workspace: render gid 110, palav 1000, both data disks, the autostart unit.
  for (const id of ['os-is-nixos', 'render-node-gid', 'docker-active', 'autostart-unit', 'mount:/mnt/PlexStorage', 'mount:/mnt/MediaArchive', 'user:palav', 'group:110', 'group:1000']) {
    assert.ok(byId.has(id), `${id} missing: ${[...byId.keys()].join(', ')}`);
  }
  assert.equal(byId.get('os-is-nixos')?.status, 'fail');
  assert.ok(report.checks.some((c) => c.status !== 'pass'));
});

test('verify prints a text table by default', async () => {
  const h = await sshd();
  const run = await runCli(['verify', ...sshArgs(h), '--snapshot', 'snapshot'], { cwd: EXAMPLE });
  assert.equal(run.status, 1, run.stderr);
  assert.match(run.stdout, /^Verify nixoshl-test@127\.0\.0\.1\n/);
  assert.match(run.stdout, /\d+ passed, \d+ failed, \d+ unknown\.\n$/);
});

test('verify refuses a host key nobody checked (exit 2, one line)', async () => {
  const h = await sshd();
  const run = await runCli(['verify', ...sshArgs(h, h.emptyKnownHosts), '--snapshot', 'snapshot'], { cwd: EXAMPLE });
  assertOneLineError(run, /ssh does not know the host key/);
});

test('verify needs --ssh and a known format', async () => {
  assertOneLineError(await runCli(['verify'], { cwd: EXAMPLE }), /verify: --ssh \[USER@\]HOST is required/);
  assertOneLineError(await runCli(['verify', '--ssh', 'host', '--format', 'sarif'], { cwd: EXAMPLE }), /--format must be one of text, json/);
});
