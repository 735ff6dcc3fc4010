import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkRemoteIsLinux, runOverSsh, validateSshTarget, type SshRunOptions, type SshTargetInput } from '../../src/platform/ssh';
import { useSshd, type SshdHarness } from './sshdHarness';

const sshd = useSshd();

function target(h: SshdHarness, overrides: Partial<SshTargetInput> = {}): SshTargetInput {
  return {
    destination: `${h.user}@127.0.0.1`,
    port: h.port,
    identityFile: h.clientKey,
    sshOptions: h.sshOptions(),
    ...overrides,
  };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('runs a script through the real sshd and returns stdout and the exit status', async () => {
  const h = await sshd();
  const result = await runOverSsh(target(h), 'id -un\nprintf "a b\\n%s\\n" "$((6 * 7))"\necho to-stderr >&2\nexit 3\n');
  assert.equal(result.ok, true, JSON.stringify(result));
  if (!result.ok) return;
  assert.equal(result.stdout, `${h.user}\na b\n42\n`);
  assert.match(result.stderr, /to-stderr/);
  assert.equal(result.exitCode, 3);
});

test('a large script and a large output pass through intact', async () => {
  const h = await sshd();
  const lines = Array.from({ length: 5000 }, (_, i) => `echo line-${i}`).join('\n');
  const result = await runOverSsh(target(h), `${lines}\n`);
  assert.ok(result.ok, JSON.stringify(result));
  const out = result.stdout.trimEnd().split('\n');
  assert.equal(out.length, 5000);
  assert.equal(out[4999], 'line-4999');
});

test('output beyond the cap stops the run with output-too-large', async () => {
  const h = await sshd();
  const result = await runOverSsh(target(h), 'i=0; while [ $i -lt 20000 ]; do echo 0123456789abcdef; i=$((i+1)); done\n', {
    maxOutputBytes: 10_000,
  });
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.equal(result.error.kind, 'output-too-large');
});

test('a closed port is classified as unreachable', async () => {
  const h = await sshd();
  // The harness's sshd listens only on h.port; port 1 on loopback has no listener.
  const result = await runOverSsh(target(h, { port: 1 }), 'true\n');
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.equal(result.error.kind, 'unreachable');
  assert.match(result.error.message, /refused the connection.*--port/);
  assert.match(result.error.detail ?? '', /Connection refused/);
});

test('a host name that does not resolve is classified as unreachable', async () => {
  const h = await sshd();
  const result = await runOverSsh(target(h, { destination: 'nixoshl-no-such-host.invalid' }), 'true\n', { timeoutMs: 20_000 });
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.equal(result.error.kind, 'unreachable');
  assert.match(result.error.message, /could not be resolved/);
});

test('a key the server does not accept is classified as an auth failure', async () => {
  const h = await sshd();
  const result = await runOverSsh(target(h, { identityFile: h.strangerKey }), 'true\n');
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.equal(result.error.kind, 'auth-failed');
  assert.match(result.error.message, /ssh-copy-id/);
  assert.match(result.error.message, /--identity/);
  assert.match(result.error.detail ?? '', /Permission denied \(publickey\)/);
});

test('an unknown host key is refused, and nothing is added to known_hosts', async () => {
  const h = await sshd();
  const result = await runOverSsh(target(h, { sshOptions: h.sshOptions(h.emptyKnownHosts) }), 'touch /tmp/should-not-run\n');
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.equal(result.error.kind, 'host-key-unknown');
  assert.match(result.error.message, /Connect once with "ssh -p \d+ -i \S+ -o UserKnownHostsFile=\S+ nixoshl-test@127\.0\.0\.1"/);
  assert.equal(readFileSync(h.emptyKnownHosts, 'utf8'), '');
});

test('a changed host key is refused with advice to remove the old key', async () => {
  const h = await sshd();
  const before = readFileSync(h.wrongKnownHosts, 'utf8');
  const result = await runOverSsh(target(h, { sshOptions: h.sshOptions(h.wrongKnownHosts) }), 'true\n');
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.equal(result.error.kind, 'host-key-changed');
  assert.ok(
    result.error.message.includes(`ssh-keygen -f ${h.wrongKnownHosts} -R '[127.0.0.1]:${h.port}'`),
    result.error.message,
  );
  assert.doesNotMatch(result.error.detail ?? '', /\r/);
  assert.equal(readFileSync(h.wrongKnownHosts, 'utf8'), before);
});

test('our timeout kills ssh when the remote script hangs', async () => {
  const h = await sshd();
  const pidFile = join(h.sharedDir, 'timeout.pid');
  let sshPid = 0;
  const started = Date.now();
  const result = await runOverSsh(target(h), `echo $$ > ${pidFile}\nexec sleep 30\n`, {
    timeoutMs: 2_000,
    onSpawn: (pid) => (sshPid = pid),
  });
  const elapsed = Date.now() - started;
  try {
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.error.kind, 'timeout');
    assert.match(result.error.message, /within 2 s/);
    // Far below the remote's 30 s; generous because the test machine may be loaded.
    assert.ok(elapsed >= 1_900 && elapsed < 12_000, `took ${elapsed} ms`);
    assert.ok(sshPid > 0);
    assert.equal(isRunning(sshPid), false, 'the ssh process is gone');
  } finally {
    // The remote `sleep` is not ours to leave behind: sshd does not signal a session without a terminal.
    if (existsSync(pidFile)) {
      const remotePid = Number(readFileSync(pidFile, 'utf8').trim());
      if (remotePid > 0 && isRunning(remotePid)) process.kill(remotePid, 'SIGKILL');
    }
  }
});

test('an AbortSignal cancels a running ssh', async () => {
  const h = await sshd();
  const pidFile = join(h.sharedDir, 'cancel.pid');
  const controller = new AbortController();
  let sshPid = 0;
  const options: SshRunOptions = { signal: controller.signal, onSpawn: (pid) => (sshPid = pid) };
  const pending = runOverSsh(target(h), `echo $$ > ${pidFile}\necho started\nexec sleep 30\n`, options);
  // Cancel once the remote side is really running, not while ssh is still connecting.
  const deadline = Date.now() + 10_000;
  while (!existsSync(pidFile) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  const cancelledAt = Date.now();
  controller.abort();
  const result = await pending;
  try {
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.error.kind, 'cancelled');
    assert.ok(Date.now() - cancelledAt < 5_000, 'cancel is prompt');
    assert.equal(isRunning(sshPid), false);
  } finally {
    const remotePid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : 0;
    if (remotePid > 0 && isRunning(remotePid)) process.kill(remotePid, 'SIGKILL');
  }
});

test('an already aborted signal spawns nothing', async () => {
  const h = await sshd();
  let spawned = false;
  const result = await runOverSsh(target(h), 'true\n', { signal: AbortSignal.abort(), onSpawn: () => (spawned = true) });
  assert.equal(result.ok, false);
  if (!result.ok) assert.equal(result.error.kind, 'cancelled');
  assert.equal(spawned, false);
});

test('checkRemoteIsLinux accepts the loopback host', async () => {
  const h = await sshd();
  const validated = validateSshTarget(target(h));
  assert.ok(validated.ok);
  assert.deepEqual(await checkRemoteIsLinux(validated.target), { ok: true });
});

test('a missing ssh binary is reported as ssh-missing', async () => {
  const h = await sshd();
  const result = await runOverSsh(target(h), 'true\n', { sshBinary: '/nonexistent/bin/ssh' });
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.equal(result.error.kind, 'ssh-missing');
  assert.match(result.error.message, /OpenSSH client "\/nonexistent\/bin\/ssh" was not found/);
});

test('allowed options reach the real ssh and sshd: ProxyJump=none, keep-alives, algorithms, address family', async () => {
  const h = await sshd();
  const options = [
    ...h.sshOptions(),
    'ProxyJump=none',
    'AddressFamily=inet',
    'ConnectionAttempts=1',
    'ServerAliveInterval=5',
    'ServerAliveCountMax=2',
    'HostKeyAlgorithms=+ssh-ed25519',
    'StrictHostKeyChecking=yes',
    'PreferredAuthentications=publickey',
  ];
  const result = await runOverSsh(target(h, { sshOptions: options }), 'echo via-allowed-options\n');
  assert.ok(result.ok, result.ok ? '' : `${result.error.message}\n${result.error.detail ?? ''}`);
  assert.equal(result.stdout, 'via-allowed-options\n');
});

test('a ProxyJump hop that ssh would read as an option never reaches ssh, next to a valid hop', async () => {
  const h = await sshd();
  const jump = `${h.user}@127.0.0.1:${h.port}`;
  const refused = await runOverSsh(target(h, { sshOptions: [...h.sshOptions(), `ProxyJump=${jump},-oProxyCommand=touch /tmp/nixoshl-pwned`] }), 'true\n', {
    onSpawn: () => assert.fail('ssh must not be started'),
  });
  assert.equal(refused.ok, false);
  assert.match(refused.ok ? '' : refused.error.message, /ProxyJump takes none or \[user@\]host\[:port\] hops/);
  assert.ok(!existsSync('/tmp/nixoshl-pwned'));
});
