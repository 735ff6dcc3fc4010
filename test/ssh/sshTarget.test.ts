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

test('--ssh-option is an allow-list: options acting on this machine once a session exists are refused with the reason', async () => {
  const refusedWith: [string, RegExp][] = [
    ['XAuthLocation=/tmp/evil', /XAuthLocation is refused: it names a program ssh runs on this machine/],
    ['ForwardX11=yes', /ForwardX11 is refused: X11 forwarding/],
    ['ControlPath=/tmp/ctl-%r', /ControlPath is refused: .*shared connection socket/],
    ['ControlMaster=auto', /ControlMaster is refused/],
    ['ControlPersist=yes', /ControlPersist is refused/],
    ['LocalForward=8080 localhost:80', /LocalForward is refused: it opens a port on this machine/],
    ['RemoteForward=9000 localhost:22', /RemoteForward is refused/],
    ['DynamicForward=1080', /DynamicForward is refused: it opens a SOCKS proxy/],
    ['ForwardAgent=yes', /ForwardAgent is refused: it hands your SSH agent to the host/],
    ['PermitLocalCommand=yes', /PermitLocalCommand is refused/],
    ['LocalCommand=touch /tmp/x', /LocalCommand is refused: it runs a local command/],
    ['ProxyCommand=nc %h %p', /ProxyCommand is refused: it runs a local command; use ProxyJump/],
    ['KnownHostsCommand=/bin/true', /KnownHostsCommand is refused/],
    ['HostName=elsewhere', /HostName is refused: it changes which host ssh connects to/],
    ['SendEnv=*', /SendEnv is refused/],
    ['UpdateHostKeys=yes', /UpdateHostKeys=yes is refused: it rewrites your known_hosts/],
    ['VerifyHostKeyDNS=yes', /VerifyHostKeyDNS is refused/],
    ['Tunnel=yes', /Tunnel is refused/],
    // Not in the list and with no specific reason: the general one names what is allowed.
    ['SomeFutureOption=yes', /SomeFutureOption is refused: extraction and verification need none but these options: Port, User, ProxyJump/],
  ];
  for (const [option, expected] of refusedWith) {
    assert.match(await refusedBeforeSpawn({ destination: 'homelab', sshOptions: [option] }), expected, option);
  }
  // Keys are case-insensitive, as ssh reads them.
  assert.match(await refusedBeforeSpawn({ destination: 'homelab', sshOptions: ['xauthlocation=/tmp/evil'] }), /xauthlocation is refused/);
});

test('allowed options have their values checked too', async () => {
  const refusedWith: [string, RegExp][] = [
    ['Port=0', /Port=0 is refused: Port takes a whole number from 1 to 65535/],
    ['User=-oProxyCommand=x', /starts with "-"/],
    ['IdentitiesOnly=maybe', /IdentitiesOnly takes yes or no/],
    ['AddressFamily=ipx', /AddressFamily takes any or inet or inet6/],
    ['Ciphers=aes128-ctr;id', /Ciphers takes a comma-separated list of algorithm names/],
    ['ServerAliveInterval=1e9', /ServerAliveInterval takes a whole number/],
    ['StrictHostKeyChecking=accept-new', /never trusts a host key nobody checked/],
    ['IdentityFile=/tmp/key\u001b[2J', /contains a control character: "\/tmp\/key\\u001b\[2J"/],
  ];
  for (const [option, expected] of refusedWith) {
    assert.match(await refusedBeforeSpawn({ destination: 'homelab', sshOptions: [option] }), expected, option);
  }
  const accepted = validateSshTarget({
    destination: 'homelab',
    sshOptions: [
      'Port=2222', 'User=palav', 'IdentitiesOnly=yes', 'IdentityAgent=none', 'AddressFamily=inet', 'ConnectionAttempts=2',
      'ServerAliveInterval=15', 'ServerAliveCountMax=3', 'HostKeyAlias=popos', 'UserKnownHostsFile=~/.ssh/known_hosts homelab',
      'GlobalKnownHostsFile=/dev/null', 'UpdateHostKeys=no', 'StrictHostKeyChecking=ask', 'Ciphers=-3des-cbc',
      'KexAlgorithms=+diffie-hellman-group14-sha1', 'HostKeyAlgorithms=^ssh-ed25519', 'PubkeyAcceptedAlgorithms=+ssh-rsa',
      'MACs=hmac-sha2-256', 'BatchMode=yes', 'CheckHostIP=no', 'TCPKeepAlive=yes', 'PreferredAuthentications=publickey',
    ],
  });
  assert.ok(accepted.ok, JSON.stringify(accepted));
});

test('ProxyJump values are checked hop by hop: [user@]host[:port], comma-separated, or none', async () => {
  for (const jump of ['bastion', 'palav@bastion:2222', 'a.example.org,b@[fe80::1]:22', '[::1]', 'none']) {
    assert.ok(validateSshTarget({ destination: 'homelab', sshOptions: [`ProxyJump=${jump}`] }).ok, jump);
  }
  for (const jump of ['-oProxyCommand=x', 'bastion,-J', 'a b', 'bastion:99999', 'pa;lav@bastion', 'bastion:', 'ssh://x@y', '@bastion', 'bastion,,x', 'a\tb']) {
    const message = await refusedBeforeSpawn({ destination: 'homelab', sshOptions: [`ProxyJump=${jump}`] });
    assert.match(message, /ProxyJump|control character|starts with "-"/, jump);
  }
  assert.match(
    await refusedBeforeSpawn({ destination: 'homelab', sshOptions: ['ProxyJump=good,-oProxyCommand=touch'] }),
    /ProxyJump takes none or \[user@\]host\[:port\] hops .*"-oProxyCommand=touch" is not one/,
  );
});

test('control characters in any value are shown escaped, never raw', async () => {
  for (const input of [
    { destination: 'pa\rlav@homelab' },
    { destination: 'homelab\u2028x' },
    { destination: 'homelab', user: 'a\u001b]0;x\u0007' },
    { destination: 'homelab', identityFile: '/tmp/id\r\nx' },
    { destination: 'homelab', port: '2\r2' },
    { destination: 'homelab', sshOptions: ['ProxyJump=a\rb'] },
  ]) {
    const message = await refusedBeforeSpawn(input);
    assert.doesNotMatch(message, /[\0-\x1f\x7f-\x9f\u2028\u2029]/, JSON.stringify(input));
  }
});
