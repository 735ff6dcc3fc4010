import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLocal } from '../../src/platform/ssh';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('runLocal runs the script with sh and returns output and exit status', async () => {
  const result = await runLocal('echo "$((2 + 3))"\necho oops >&2\nexit 4\n');
  assert.deepEqual(result, { ok: true, stdout: '5\n', stderr: 'oops\n', exitCode: 4 });
});

test('runLocal timeout kills the whole process group, not just sh', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nixoshl-local-'));
  const pidFile = join(dir, 'sleep.pid');
  try {
    const started = Date.now();
    // A background child keeps stdout open: unless it dies too, the run would wait the full 30 s.
    const result = await runLocal(`sleep 30 &\necho $! > ${pidFile}\nwait\n`, { timeoutMs: 1_000 });
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.error.kind, 'timeout');
    // Far below the 30 s the sleep would hold the pipe open; generous for a loaded machine.
    assert.ok(Date.now() - started < 12_000);
    assert.ok(existsSync(pidFile));
    const sleepPid = Number(readFileSync(pidFile, 'utf8').trim());
    // SIGTERM reaches the group at once; allow a moment for the kernel to reap it.
    const deadline = Date.now() + 5_000;
    while (isRunning(sleepPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(isRunning(sleepPid), false, 'the background sleep was killed');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('runLocal cancellation is prompt', async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 200);
  const started = Date.now();
  const result = await runLocal('sleep 30\n', { signal: controller.signal });
  assert.equal(result.ok, false);
  if (!result.ok) assert.equal(result.error.kind, 'cancelled');
  assert.ok(Date.now() - started < 8_000);
});
