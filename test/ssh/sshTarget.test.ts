import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSshArgs, notLinuxError, runOverSsh, validateSshTarget, type SshTargetInput } from '../../src/platform/ssh';

/** Runs the input through runOverSsh with a binary that must never be started, and returns the error. */
async function refusedBeforeSpawn(input: SshTargetInput): Promise<string> {
  let spawned = false;
  const result = await runOverSsh(input, 'true\n', { sshBinary: '/nonexistent/ssh', onSpawn: () => (spawned = true) });
  assert.equal(spawned, false, 'nothing was spawned');
  assert.equal(result.ok, false);
  if (result.ok) return '';
  assert.equal(result.error.kind, 'invalid-input', result.error.message);
  return result.error.message;
}

test('shell metacharacters in the host are refused before spawning', async () => {
  const message = await refusedBeforeSpawn({ destination: 'palav; rm -rf ~' });
  assert.match(message, /SSH host "palav; rm -rf ~" is not valid/);
  for (const host of ['host$(id)', 'host`id`', 'a b', 'host|cat', "ho'st", 'host\nother', '']) {
    await refusedBeforeSpawn({ destination: host });
  }
});

test('shell metacharacters in the user are refused, in the destination and as --user', async () => {
  assert.match(await refusedBeforeSpawn({ destination: 'palav; rm -rf ~@homelab' }), /SSH user "palav; rm -rf ~"/);
  assert.match(await refusedBeforeSpawn({ destination: 'homelab', user: 'palav; rm -rf ~' }), /SSH user "palav; rm -rf ~"/);
  await refusedBeforeSpawn({ destination: '-oProxyCommand=x@homelab' });
});

test('a host that ssh would read as an option is refused', async () => {
  const message = await refusedBeforeSpawn({ destination: '-oProxyCommand=touch /tmp/pwned' });
  assert.match(message, /starts with "-", so ssh would read it as an option/);
});

test('options that accept unknown host keys or run local commands are refused', async () => {
  for (const option of ['StrictHostKeyChecking=no', 'stricthostkeychecking=accept-new', 'StrictHostKeyChecking=off']) {
    const message = await refusedBeforeSpawn({ destination: 'homelab', sshOptions: [option] });
    assert.match(message, /never trusts a host key nobody checked.*ssh USER@HOST/);
  }
  for (const option of ['ProxyCommand=nc %h %p', 'LocalCommand=touch /tmp/x', 'PermitLocalCommand=yes', 'KnownHostsCommand=/bin/true', 'BatchMode=no']) {
    const message = await refusedBeforeSpawn({ destination: 'homelab', sshOptions: [option] });
    assert.match(message, /is refused/);
  }
  assert.match(await refusedBeforeSpawn({ destination: 'homelab', sshOptions: ['-oProxyCommand=x'] }), /KEY=VALUE/);
  assert.match(await refusedBeforeSpawn({ destination: 'homelab', sshOptions: ['Port'] }), /KEY=VALUE/);
  assert.match(await refusedBeforeSpawn({ destination: 'homelab', sshOptions: ['User=a\nProxyCommand=x'] }), /control character/);
});

test('ports outside 1..65535 and missing identity files are refused with the value named', async () => {
  for (const port of [0, 65536, 'abc', '22; id', -1]) {
    assert.match(await refusedBeforeSpawn({ destination: 'homelab', port }), /must be a number from 1 to 65535/);
  }
  assert.match(
    await refusedBeforeSpawn({ destination: 'homelab', identityFile: '/nonexistent/id_ed25519' }),
    /identity file "\/nonexistent\/id_ed25519" does not exist.*--identity/,
  );
});

test('valid targets: user@host, aliases, IPv4, bracketed IPv6, identity, safe options', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nixoshl-target-'));
  try {
    const key = join(dir, 'id_ed25519');
    writeFileSync(key, 'not really a key');
    const result = validateSshTarget({
      destination: 'palav@[fe80::1%eth0]',
      port: '2222',
      identityFile: key,
      sshOptions: ['UserKnownHostsFile=~/.ssh/known_hosts_homelab', 'StrictHostKeyChecking=yes', 'ConnectTimeout=3', 'ProxyJump=bastion'],
    });
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(buildSshArgs(result.target), [
      '-T',
      '-o', 'BatchMode=yes',
      '-o', 'StrictHostKeyChecking=yes',
      '-o', 'ConnectTimeout=3',
      '-o', 'LogLevel=ERROR',
      '-p', '2222',
      '-i', key,
      '-l', 'palav',
      '-o', 'UserKnownHostsFile=~/.ssh/known_hosts_homelab',
      '-o', 'StrictHostKeyChecking=yes',
      '-o', 'ProxyJump=bastion',
      '--', 'fe80::1%eth0', 'sh', '-s',
    ]);
    assert.equal(result.target.display, 'palav@fe80::1%eth0');
    for (const destination of ['homelab', 'my-server.lan', '192.168.1.10', 'popos_old', 'root@10.0.0.2']) {
      assert.ok(validateSshTarget({ destination }).ok, destination);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('notLinuxError accepts Linux and explains anything else', () => {
  assert.equal(notLinuxError('Linux\n', 'homelab'), undefined);
  const darwin = notLinuxError('Darwin\n', 'mac');
  assert.equal(darwin?.kind, 'not-linux');
  assert.match(darwin?.message ?? '', /mac is not a Linux host \("uname -s" printed "Darwin"\)/);
  assert.match(notLinuxError('', 'x')?.message ?? '', /printed nothing/);
});
