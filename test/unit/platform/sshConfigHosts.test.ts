import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeSshConfigHost, expandInclude, listSshConfigHosts } from '../../../src/platform/sshConfigHosts';

/** A throwaway home with ~/.ssh holding `files` (relative to ~/.ssh). */
function fakeHome(files: Record<string, string>): { home: string; sshDir: string } {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'nh-sshconfig-'));
  const sshDir = path.join(home, '.ssh');
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(sshDir, name)), { recursive: true });
    fs.writeFileSync(path.join(sshDir, name), text);
  }
  return { home, sshDir };
}

test('lists concrete Host aliases with their block, skipping wildcard and negated patterns', () => {
  const { home, sshDir } = fakeHome({
    config: [
      'Host *',
      '  ServerAliveInterval 30',
      'Host homelab nas',
      '  HostName 192.168.1.20',
      '  User palav',
      '  Port 2222',
      '  IdentityFile ~/.ssh/id_homelab',
      'Host *.lan !router.lan web-?',
      '  User admin',
      'Host pi',
      '  HostName=raspberrypi.local',
      '',
    ].join('\n'),
  });
  const listing = listSshConfigHosts({ home, sshDir });
  assert.deepEqual(listing.problems, []);
  assert.deepEqual(listing.hosts.map((h) => h.alias), ['homelab', 'nas', 'pi']);
  const homelab = listing.hosts[0];
  assert.equal(homelab?.hostName, '192.168.1.20');
  assert.equal(homelab?.user, 'palav');
  assert.equal(homelab?.port, '2222');
  assert.equal(homelab?.identityFile, '~/.ssh/id_homelab');
  assert.equal(homelab?.file, path.join(sshDir, 'config'));
  assert.equal(describeSshConfigHost(homelab!), 'palav@192.168.1.20:2222');
  assert.equal(describeSshConfigHost(listing.hosts[2]!), 'raspberrypi.local');
});

test('follows Include: relative to ~/.ssh, ~ paths, wildcards in file names, inside Host and Match blocks', () => {
  const { home, sshDir } = fakeHome({
    config: ['Include config.d/*.conf', 'Include ~/.ssh/extra', 'Host main', '  HostName main.lan', 'Match user root', '  Include matched'].join('\n'),
    'config.d/10-a.conf': 'Host alpha\n  HostName alpha.lan\n',
    'config.d/20-b.conf': 'Host beta\n',
    'config.d/notes.txt': 'Host ignored-not-conf\n',
    extra: 'Host gamma\n  User g\nInclude config.d/*.conf\n',
    matched: 'Host delta\n',
  });
  const listing = listSshConfigHosts({ home, sshDir });
  assert.deepEqual(listing.hosts.map((h) => h.alias), ['alpha', 'beta', 'gamma', 'main', 'delta']);
  assert.equal(listing.hosts.find((h) => h.alias === 'alpha')?.file, path.join(sshDir, 'config.d', '10-a.conf'));
});

test('an Include cycle is read once; a missing ~/.ssh/config or included file is no problem', () => {
  const { home, sshDir } = fakeHome({ config: 'Include config\nInclude does-not-exist\nHost once\n' });
  const listing = listSshConfigHosts({ home, sshDir });
  assert.deepEqual(listing.hosts.map((h) => h.alias), ['once']);
  assert.deepEqual(listing.problems, []);
  const empty = fakeHome({});
  assert.deepEqual(listSshConfigHosts({ home: empty.home, sshDir: empty.sshDir }), { hosts: [], problems: [] });
});

test('an alias declared twice is listed once, with the first block', () => {
  const { home, sshDir } = fakeHome({ config: 'Host box\n  User first\nHost box\n  User second\n' });
  const listing = listSshConfigHosts({ home, sshDir });
  assert.equal(listing.hosts.length, 1);
  assert.equal(listing.hosts[0]?.user, 'first');
});

test('expandInclude: absolute, relative and wildcard patterns', () => {
  const { home, sshDir } = fakeHome({ 'conf.d/a': '', 'conf.d/b': '', 'conf.d/.hidden': '' });
  assert.deepEqual(expandInclude('/etc/ssh/ssh_config.d/x.conf', sshDir, home), ['/etc/ssh/ssh_config.d/x.conf']);
  assert.deepEqual(expandInclude('conf.d/a', sshDir, home), [path.join(sshDir, 'conf.d', 'a')]);
  assert.deepEqual(expandInclude('~/.ssh/conf.d/*', sshDir, home), [path.join(sshDir, 'conf.d', 'a'), path.join(sshDir, 'conf.d', 'b')]);
  assert.deepEqual(expandInclude('conf.d/?', sshDir, home).length, 2);
  assert.deepEqual(expandInclude('missing.d/*', sshDir, home), []);
});
