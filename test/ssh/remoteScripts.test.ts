/**
 * The two real scripts (extraction and verify) over the real sshd, as `extract --ssh` and `verify --ssh` run
 * them. The "remote" is this Debian machine, so the remote answers can be compared with local commands.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { buildExtractionScript, groupFileName, idFileName, parseExtractionOutput } from '../../src/core/host';
import { buildVerifyScript, evaluateVerify, formatVerifyText, type VerifyExpectation } from '../../src/core/verify';
import { runLocal, runOverSsh, type SshTargetInput } from '../../src/platform/ssh';
import { useSshd, type SshdHarness } from './sshdHarness';

const sshd = useSshd();

function target(h: SshdHarness): SshTargetInput {
  return { destination: `${h.user}@127.0.0.1`, port: h.port, identityFile: h.clientKey, sshOptions: h.sshOptions() };
}

function localGroupLine(gid: number): string {
  return execFileSync('getent', ['group', String(gid)], { encoding: 'utf8' });
}

test('extraction over ssh: id-<user>.txt and group-<gid>.txt equal the local id and getent output', async () => {
  const h = await sshd();
  const testUserGid = Number(execFileSync('id', ['-g', h.user], { encoding: 'utf8' }).trim());
  const script = buildExtractionScript({ users: [h.user, 'root'], gids: [testUserGid, 0, 4242] });
  const result = await runOverSsh(target(h), script, { timeoutMs: 30_000 });
  assert.ok(result.ok, JSON.stringify(result));
  assert.equal(result.exitCode, 0);

  const extraction = parseExtractionOutput(result.stdout);
  assert.equal(extraction.kernel, 'Linux');
  assert.equal(extraction.files.get(idFileName(h.user)), execFileSync('id', [h.user], { encoding: 'utf8' }));
  assert.equal(extraction.files.get(idFileName('root')), execFileSync('id', ['root'], { encoding: 'utf8' }));
  assert.equal(extraction.files.get(groupFileName(testUserGid)), localGroupLine(testUserGid));
  assert.equal(extraction.files.get(groupFileName(0)), localGroupLine(0));
  // A gid nobody has (checked locally first) becomes a gap, not a file.
  assert.notEqual(spawnSync('getent', ['group', '4242']).status, 0, 'precondition: gid 4242 is unused here');
  assert.equal(extraction.files.has(groupFileName(4242)), false);
  assert.ok(extraction.gaps.some((gap) => gap.command.includes('4242')), JSON.stringify(extraction.gaps));
  assert.equal(extraction.files.get('os-release.txt'), execFileSync('cat', ['/etc/os-release'], { encoding: 'utf8' }));
});

test('extraction over ssh and with runLocal give the same files for the same user', async () => {
  const h = await sshd();
  const script = buildExtractionScript({ users: ['root'], gids: [0] });
  const [remote, local] = await Promise.all([runOverSsh(target(h), script), runLocal(script)]);
  assert.ok(remote.ok && local.ok);
  const remoteFiles = parseExtractionOutput(remote.stdout).files;
  const localFiles = parseExtractionOutput(local.stdout).files;
  for (const name of [idFileName('root'), groupFileName(0), 'os-release.txt', 'fstab.txt']) {
    assert.equal(remoteFiles.get(name), localFiles.get(name), name);
  }
});

test('verify over ssh against this Debian machine gives a full report without crashing', async () => {
  const h = await sshd();
  const uid = Number(execFileSync('id', ['-u', h.user], { encoding: 'utf8' }).trim());
  const expect: VerifyExpectation = {
    renderGid: 110,
    users: [{ name: h.user, uid }, { name: 'root', uid: 1000 }, { name: 'nixoshl-absent' }],
    groups: [{ name: 'root', gid: 0 }, { name: 'render', gid: 4242 }],
    mounts: [{ mountpoint: '/' }, { mountpoint: '/mnt/nixoshl-PlexStorage' }],
    autostartUnit: 'homelab-autostart.service',
  };
  const built = buildVerifyScript(expect);
  assert.ok(built.ok);
  const result = await runOverSsh(target(h), built.script, { timeoutMs: 30_000 });
  assert.ok(result.ok, JSON.stringify(result));
  const report = evaluateVerify(result.stdout, expect, `${h.user}@127.0.0.1`);
  const status = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));

  assert.deepEqual(Object.keys(status), [
    'os-is-nixos',
    'render-node-gid',
    'docker-active',
    'autostart-unit',
    'mount:/',
    'mount:/mnt/nixoshl-PlexStorage',
    `user:${h.user}`,
    'user:root',
    'user:nixoshl-absent',
    'group:0',
    'group:4242',
  ]);
  assert.equal(status['os-is-nixos'], 'fail');
  assert.match(report.checks[0]?.detail ?? '', /Debian/);
  // No GPU in this VM: the render node is missing (a fail with advice), never an exception.
  assert.notEqual(status['render-node-gid'], 'pass');
  const render = report.checks.find((c) => c.id === 'render-node-gid');
  if (render?.status === 'fail') assert.match(render.fix ?? '', /kernel driver .*not from hardware\.graphics/);
  // With or without a running systemd these cannot pass here: no docker, no homelab unit.
  assert.ok(['fail', 'unknown'].includes(status['docker-active'] ?? ''), status['docker-active']);
  assert.ok(['fail', 'unknown'].includes(status['autostart-unit'] ?? ''), status['autostart-unit']);
  assert.equal(status['mount:/'], 'pass');
  assert.equal(status['mount:/mnt/nixoshl-PlexStorage'], 'fail');
  assert.equal(status[`user:${h.user}`], 'pass');
  assert.equal(status['user:root'], 'fail', 'root has uid 0, not 1000');
  assert.equal(status['user:nixoshl-absent'], 'fail');
  assert.equal(status['group:0'], 'pass');
  assert.equal(status['group:4242'], 'fail');
  for (const c of report.checks) {
    assert.ok(c.detail.length > 0, `${c.id} has a detail`);
    if (c.status === 'fail') assert.ok(c.fix, `${c.id} says what to do`);
  }
  const text = formatVerifyText(report);
  assert.match(text, /^Verify nixoshl-test@127\.0\.0\.1$/m);
  assert.match(text, /passed, \d+ failed, \d+ unknown\.\n$/);
});
