/**
 * The shared extraction and verify calls (`extractHostSnapshot`, `verifyHost`) the CLI and the editor's commands
 * both use, against the real sshd: progress steps, the snapshot equal to this machine's own commands, cancellation
 * killing ssh, and the typed error of a refused host key.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { idFileName, groupFileName, validateSnapshot } from '../../src/core/host';
import type { VerifyExpectation } from '../../src/core/verify';
import { extractHostSnapshot } from '../../src/platform/hostExtraction';
import { verifyHost } from '../../src/platform/hostVerify';
import { validateSshTarget, type SshTarget } from '../../src/platform/ssh';
import { useSshd, type SshdHarness } from './sshdHarness';

const sshd = useSshd();

function target(h: SshdHarness, knownHosts?: string): SshTarget {
  const checked = validateSshTarget({ destination: `${h.user}@127.0.0.1`, port: h.port, identityFile: h.clientKey, sshOptions: h.sshOptions(knownHosts) });
  assert.ok(checked.ok, JSON.stringify(checked));
  return checked.target;
}

test('extractHostSnapshot over ssh: steps in script order, id/getent files equal the local commands, a valid snapshot.json', async () => {
  const h = await sshd();
  const uid = Number(execFileSync('id', ['-u', h.user], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', h.user], { encoding: 'utf8' }).trim());
  const steps: string[] = [];
  const result = await extractHostSnapshot({ target: target(h), users: ['root'], gids: [gid], uids: [uid], onStep: (step) => steps.push(step), timeoutMs: 30_000, now: new Date('2025-03-08T09:12:00Z') });
  assert.ok(result.ok, JSON.stringify(result));
  assert.equal(result.where, `${h.user}@127.0.0.1`);
  assert.deepEqual(steps.slice(0, 6), ['uname -s', 'uname -n', 'cat /etc/os-release', 'lsblk -f -o NAME,FSTYPE,UUID,MOUNTPOINT', 'lsblk -J -o NAME,FSTYPE,UUID,PARTUUID,LABEL,MOUNTPOINT', 'cat /etc/fstab']);
  for (const step of ['id root', `getent group ${gid}`, 'ls -ln /dev/dri', 'lspci -nn', `getent passwd ${uid}`]) assert.ok(steps.includes(step), `${step} in ${steps.join(' | ')}`);

  assert.equal(result.files.get(idFileName('root')), execFileSync('id', ['root'], { encoding: 'utf8' }));
  assert.equal(result.files.get(idFileName(h.user)), execFileSync('id', [h.user], { encoding: 'utf8' }), 'the uid was resolved to its name');
  assert.equal(result.files.get(groupFileName(gid)), execFileSync('getent', ['group', String(gid)], { encoding: 'utf8' }));
  const json = validateSnapshot(JSON.parse(result.files.get('snapshot.json') ?? '{}'));
  assert.ok(json.ok);
  assert.equal(json.snapshot.source, 'ssh');
  assert.equal(json.snapshot.takenAt, '2025-03-08T09:12:00.000Z');
  assert.ok(json.snapshot.users.some((user) => user.name === h.user && user.uid === uid));
  assert.deepEqual(json.snapshot, result.snapshot);
});

test('extractHostSnapshot locally gives the same id and group files as over ssh', async () => {
  const h = await sshd();
  const [remote, local] = await Promise.all([
    extractHostSnapshot({ target: target(h), users: ['root'], gids: [0] }),
    extractHostSnapshot({ users: ['root'], gids: [0] }),
  ]);
  assert.ok(remote.ok && local.ok);
  assert.equal(local.where, 'this machine');
  assert.equal(local.snapshot.source, 'local');
  for (const name of [idFileName('root'), groupFileName(0), 'os-release.txt']) assert.equal(local.files.get(name), remote.files.get(name), name);
});

test('cancelling from a progress step kills ssh: a cancelled error, no snapshot', async () => {
  const h = await sshd();
  const abort = new AbortController();
  const result = await extractHostSnapshot({ target: target(h), users: [], gids: [], signal: abort.signal, onStep: () => abort.abort() });
  assert.equal(result.ok, false);
  assert.equal(result.ok ? '' : result.error.kind, 'cancelled');
  assert.match(result.ok ? '' : result.error.message, /was cancelled/);
});

test('an unknown host key is the typed error with advice, for extraction and verify alike', async () => {
  const h = await sshd();
  const strange = target(h, h.emptyKnownHosts);
  const extracted = await extractHostSnapshot({ target: strange, users: [], gids: [] });
  assert.equal(extracted.ok ? '' : extracted.error.kind, 'host-key-unknown');
  const verified = await verifyHost(strange, { users: [], groups: [], mounts: [] });
  assert.equal(verified.ok ? '' : verified.error.kind, 'host-key-unknown');
  assert.match(verified.ok ? '' : verified.error.message, /Connect once with "ssh -p \d+ .*nixoshl-test@127\.0\.0\.1"/);
});

test('verifyHost over ssh: a report with a row per expectation (this Debian machine fails os-is-nixos)', async () => {
  const h = await sshd();
  const expectation: VerifyExpectation = { users: [{ name: 'root', uid: 0 }], groups: [{ name: 'root', gid: 0 }], mounts: [{ mountpoint: '/' }] };
  const result = await verifyHost(target(h), expectation, { timeoutMs: 30_000 });
  assert.ok(result.ok, JSON.stringify(result));
  const status = Object.fromEntries(result.report.checks.map((c) => [c.id, c.status]));
  assert.equal(status['os-is-nixos'], 'fail');
  assert.equal(status['user:root'], 'pass');
  assert.equal(status['group:0'], 'pass');
  assert.equal(status['mount:/'], 'pass');
  assert.equal(result.report.host, `${h.user}@127.0.0.1`);
});

test('verifyHost refuses an expectation that cannot be checked safely before connecting', async () => {
  const h = await sshd();
  const result = await verifyHost(target(h), { users: [{ name: 'palav; rm -rf ~', uid: 1000 }], groups: [], mounts: [] });
  assert.equal(result.ok ? '' : result.error.kind, 'invalid-expectation');
});
