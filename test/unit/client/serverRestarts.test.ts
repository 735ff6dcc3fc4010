import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_RESTARTS, RESTART_WINDOW_MS, RestartPolicy } from '../../../src/client/serverRestarts';

test('a crashed server is restarted MAX_RESTARTS times within the window, with a notice that says so and where the log is', () => {
  let now = 1_000_000;
  const policy = new RestartPolicy('Output ▸ NixOS Homelab', () => now);
  for (let crash = 1; crash <= MAX_RESTARTS; crash++) {
    const decision = policy.crashed();
    assert.equal(decision.restart, true);
    assert.equal(decision.crashes, crash);
    assert.match(decision.notice, new RegExp(`stopped unexpectedly and was restarted \\(${crash} of ${MAX_RESTARTS} restarts allowed in 3 minutes\\)\\. The log is in Output ▸ NixOS Homelab\\.`));
    now += 1000;
  }
  const last = policy.crashed();
  assert.equal(last.restart, false);
  assert.match(last.notice, /was not restarted again: diagnostics are off\. The log is in Output ▸ NixOS Homelab; "NixOS Homelab: Restart Language Server" starts it again\./);
});

test('crashes older than the window no longer count', () => {
  let now = 0;
  const policy = new RestartPolicy('the log', () => now);
  for (let crash = 0; crash < MAX_RESTARTS; crash++) policy.crashed();
  now += RESTART_WINDOW_MS;
  const decision = policy.crashed();
  assert.deepEqual([decision.restart, decision.crashes], [true, 1]);
});
