import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findingsOf } from './nixRuleFixture';
import { said } from '../said';

const TOOLKIT = '{\n  hardware.nvidia-container-toolkit.enable = true;\n}\n';

test('toolkit-without-nvidia-driver: the assertion exists from 24.11; before, the driver is simply not loaded', () => {
  const [current] = findingsOf(TOOLKIT, 'toolkit-without-nvidia-driver', { release: '25.05' });
  assert.match(said(current), /asserts "`nvidia-container-toolkit` requires nvidia drivers".*evaluation fails/);
  assert.match(said(current), /suppressNvidiaDriverAssertion/);
  const [old] = findingsOf(TOOLKIT, 'toolkit-without-nvidia-driver', { release: '24.05' });
  assert.doesNotMatch(said(old), /evaluation fails|suppressNvidiaDriverAssertion/);
  assert.match(said(old), /does not load the NVIDIA kernel driver/);
  // suppressNvidiaDriverAssertion exists from 25.05 only: on 24.11 it does not silence anything.
  const suppressed = '{ hardware.nvidia-container-toolkit = { enable = true; suppressNvidiaDriverAssertion = true; }; }';
  assert.equal(findingsOf(suppressed, 'toolkit-without-nvidia-driver', { release: '25.05' }).length, 0);
  assert.equal(findingsOf(suppressed, 'toolkit-without-nvidia-driver', { release: '24.11' }).length, 1);
});
