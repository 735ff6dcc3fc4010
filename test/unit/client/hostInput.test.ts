import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatHostInput, parseHostInput } from '../../../src/client/migration/hostInput';

test('parses [user@]host[:port], IPv6 with and without brackets', () => {
  assert.deepEqual(parseHostInput(' homelab '), { destination: 'homelab' });
  assert.deepEqual(parseHostInput('palav@192.168.1.20'), { destination: 'palav@192.168.1.20' });
  assert.deepEqual(parseHostInput('palav@192.168.1.20:2222'), { destination: 'palav@192.168.1.20', port: '2222' });
  assert.deepEqual(parseHostInput('fe80::1'), { destination: 'fe80::1' });
  assert.deepEqual(parseHostInput('root@[fe80::1]:2222'), { destination: 'root@[fe80::1]', port: '2222' });
  assert.deepEqual(parseHostInput('nas:abc'), { destination: 'nas', port: 'abc' });
});

test('formatHostInput is the inverse of parseHostInput', () => {
  for (const text of ['homelab', 'palav@192.168.1.20:2222', 'root@[fe80::1]:2222', 'fe80::1']) {
    assert.equal(formatHostInput(parseHostInput(text)), text);
  }
  assert.equal(formatHostInput({ destination: 'fe80::1', port: '2200' }), '[fe80::1]:2200');
  assert.equal(formatHostInput({ destination: 'nas', port: '22' }), 'nas');
});
