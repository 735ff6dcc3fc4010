import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildVerifyScript, parseSections } from '../../../../src/core/verify';
import { mountUnitName } from '../../../../src/core/verify/mountChecks';
import { homelabExpectation } from './fixtures';

test('the script runs every read-only command of the expectation, values single-quoted', () => {
  const result = buildVerifyScript(homelabExpectation());
  assert.ok(result.ok);
  const script = result.script;
  for (const expected of [
    'section uname uname -s',
    'section os-release cat /etc/os-release',
    "section render-nodes stat -c '%a %g %G %n' /dev/dri/renderD*",
    'section docker systemctl is-active docker.service',
    "systemctl show -p LoadState,ActiveState,SubState,Result,ExecMainStatus,ExecMainStartTimestamp 'homelab-autostart.service'",
    "journalctl -u 'homelab-autostart.service' -b -n 20 --no-pager",
    'section findmnt findmnt -J -o TARGET,SOURCE,FSTYPE,UUID,OPTIONS',
    "section 'passwd:palav' getent passwd 'palav'",
    'section group:110 getent group 110',
    'section group:100 getent group 100',
  ]) {
    assert.ok(script.includes(expected), `script contains: ${expected}`);
  }
  const commands = script.split('\n').filter((line) => !line.trimStart().startsWith('#'));
  assert.ok(commands.every((line) => !/\bsudo\b|\brm\b|\bmv\b|>\s*\//.test(line)), 'nothing that writes or escalates');
});

test('optional sections are left out', () => {
  const result = buildVerifyScript({ users: [], groups: [], mounts: [] });
  assert.ok(result.ok);
  assert.doesNotMatch(result.script, /render-nodes|findmnt|journalctl|getent/);
});

test('unsafe values are refused with a message naming them', () => {
  const bad = buildVerifyScript({
    renderGid: -1,
    users: [{ name: 'palav; rm -rf ~', uid: 1000 }, { name: "a'b" }],
    groups: [{ gid: 1.5 }, { name: '$(id)', gid: 10 }],
    mounts: [{ mountpoint: 'mnt/data' }, { mountpoint: '/mnt/a\nb' }, { mountpoint: '/mnt/x', uuid: 'abc def' }],
    autostartUnit: 'homelab autostart.service',
  });
  assert.equal(bad.ok, false);
  if (bad.ok) return;
  assert.equal(bad.problems.length, 9, bad.problems.join('\n'));
  assert.ok(bad.problems.some((p) => p.includes('"palav; rm -rf ~"')));
  assert.ok(bad.problems.some((p) => p.includes('"$(id)"')));
  assert.ok(bad.problems.some((p) => p.includes('"homelab autostart.service"')));
});

test('parseSections ignores banners, accepts CRLF, and keeps a cut-off section without rc', () => {
  const output = [
    'Last login: Sat Mar  1 10:00:00 2025',
    '===NIXOS-HOMELAB-BEGIN uname===',
    'Linux',
    '===NIXOS-HOMELAB-END uname rc=0===',
    '===NIXOS-HOMELAB-BEGIN docker===',
    'inactive',
    '===NIXOS-HOMELAB-END docker rc=3===',
    '===NIXOS-HOMELAB-BEGIN findmnt===',
    '{ "filesystems": [',
  ].join('\r\n');
  const sections = parseSections(output);
  assert.deepEqual(sections.get('uname'), { name: 'uname', body: 'Linux', rc: 0 });
  assert.deepEqual(sections.get('docker'), { name: 'docker', body: 'inactive', rc: 3 });
  assert.deepEqual(sections.get('findmnt'), { name: 'findmnt', body: '{ "filesystems": [' });
  assert.equal(sections.size, 3);
});

test('mountUnitName escapes like systemd-escape --path', () => {
  assert.equal(mountUnitName('/mnt/PlexStorage'), 'mnt-PlexStorage.mount');
  assert.equal(mountUnitName('/mnt/my-disk/'), 'mnt-my\\x2ddisk.mount');
  assert.equal(mountUnitName('/srv/Media Files'), 'srv-Media\\x20Files.mount');
  assert.equal(mountUnitName('/'), '-.mount');
});
