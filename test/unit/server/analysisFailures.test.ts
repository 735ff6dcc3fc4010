import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnalysisFailures, failureSignature } from '../../../src/server/analysisFailures';

function overflow(depth = 0): number {
  return overflow(depth + 1) + 1;
}
function stackOverflow(): unknown {
  try {
    overflow();
  } catch (error) {
    return error;
  }
  throw new Error('no overflow');
}

test('the same exception thrown again is one failure, whatever the stack depth below the frame that threw', () => {
  assert.equal(failureSignature(stackOverflow()), failureSignature(stackOverflow()));
  assert.notEqual(failureSignature(new Error('a')), failureSignature(new Error('b')));
  assert.notEqual(failureSignature(new TypeError('a')), failureSignature(new RangeError('a')));
  assert.equal(failureSignature('text'), 'thrown string: text');
});

test('a root failing the same way is logged once; a success forgets it, a different failure is logged', () => {
  const lines: string[] = [];
  const failures = new AnalysisFailures({ info: (line) => lines.push(line), error: (line) => lines.push(line) });
  const error = new Error('boom');
  for (let i = 0; i < 5; i++) failures.failed('/home', error);
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /Analysis of \/home failed \(logged once while it keeps failing the same way/);
  assert.equal(failures.hasFailed('/home'), true);
  failures.failed('/other', error);
  assert.equal(lines.length, 2, 'per root');
  failures.failed('/home', new Error('another'));
  assert.equal(lines.length, 3);
  failures.succeeded('/home');
  assert.equal(failures.hasFailed('/home'), false);
  failures.failed('/home', new Error('another'));
  assert.equal(lines.length, 4, 'after a success the same failure is news again');
});
