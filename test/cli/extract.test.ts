import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateSnapshot } from '../../src/core/host';
import { assertOneLineError, EXAMPLE, runCli } from './runCli';

const me = spawnSync('id', ['-un'], { encoding: 'utf8' }).stdout.trim();
const myUid = Number(spawnSync('id', ['-u'], { encoding: 'utf8' }).stdout.trim());

test('extract --local writes the raw files and a valid snapshot.json, then refuses to overwrite without --force', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nixoshl-cli-extract-'));
  const run = await runCli(['extract', '--local', '--user', me, '--gid', '0', '--out', 'snap'], { cwd: dir });
  assert.equal(run.status, 0, run.stderr);
  const files = readdirSync(join(dir, 'snap'));
  for (const name of [`id-${me}.txt`, 'group-0.txt', 'fstab.txt', 'os-release.txt', 'snapshot.json']) assert.ok(files.includes(name), `${name} missing: ${files.join(', ')}`);
  assert.match(readFileSync(join(dir, 'snap', `id-${me}.txt`), 'utf8'), new RegExp(`^uid=${myUid}\\(${me}\\)`));
  const validation = validateSnapshot(JSON.parse(readFileSync(join(dir, 'snap', 'snapshot.json'), 'utf8')));
  assert.ok(validation.ok, validation.ok ? '' : validation.message);
  if (validation.ok) {
    assert.equal(validation.snapshot.source, 'local');
    assert.deepEqual(validation.snapshot.users.map((u) => u.name), [me]);
    assert.ok(validation.snapshot.takenAt);
  }
  assert.match(run.stdout, /Snapshot of .* written to snap\//);
  assert.match(run.stdout, new RegExp(`users: +${me} \\(uid ${myUid}`));

  const again = await runCli(['extract', '--local', '--user', me, '--out', 'snap'], { cwd: dir });
  assertOneLineError(again, /already holds a snapshot; pass --force/);

  const forced = await runCli(['extract', '--local', '--user', me, '--out', 'snap', '--force'], { cwd: dir });
  assert.equal(forced.status, 0, forced.stderr);
  const backups = readdirSync(dir).filter((name) => name.startsWith('snap.bak-'));
  assert.equal(backups.length, 1, readdirSync(dir).join(', '));
  assert.ok(existsSync(join(dir, backups[0] ?? '', 'snapshot.json')), 'the previous snapshot is kept whole');
  assert.ok(!readdirSync(dir).some((name) => name.includes('.tmp-')), 'no temporary folder left behind');
});

test('extract without --user/--gid looks up the PUID/PGID values of the compose files under the current folder', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nixoshl-cli-derive-'));
  cpSync(join(EXAMPLE, 'docker'), join(dir, 'docker'), { recursive: true });
  const run = await runCli(['extract', '--local'], { cwd: dir });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stderr, /uid 1000; gids 110, 1000/);
  const snapshot = JSON.parse(readFileSync(join(dir, '.nixos-homelab/snapshot/snapshot.json'), 'utf8')) as { users: { uid: number }[]; gaps: { command: string }[] };
  // uid 1000 either exists here (then its id file is written) or is recorded as a gap: never silently dropped.
  assert.ok(snapshot.users.some((u) => u.uid === 1000) || snapshot.gaps.some((g) => g.command === 'getent passwd 1000'));
});

test('extract refuses unsafe or contradictory input before running anything', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nixoshl-cli-refuse-'));
  assertOneLineError(await runCli(['extract', '--ssh', 'a;b'], { cwd: dir }), /The SSH host "a;b" is not valid/);
  assertOneLineError(await runCli(['extract', '--ssh=-oProxyCommand=x'], { cwd: dir }), /starts with "-", so ssh would read it as an option/);
  assertOneLineError(await runCli(['extract', '--local', '--user', 'palav; rm -rf ~'], { cwd: dir }), /--user "palav; rm -rf ~" is not a valid user name/);
  assertOneLineError(await runCli(['extract', '--local', '--gid', '110; ls'], { cwd: dir }), /--gid "110; ls" is not a group id/);
  assertOneLineError(await runCli(['extract'], { cwd: dir }), /--ssh \[USER@\]HOST or --local/);
  assertOneLineError(await runCli(['extract', '--local', '--ssh', 'host'], { cwd: dir }), /either --ssh .* or --local, not both/);
  assertOneLineError(await runCli(['extract', '--ssh', 'host', '--ssh-option', 'StrictHostKeyChecking=no'], { cwd: dir }), /never trusts a host key/);
  assert.deepEqual(readdirSync(dir), [], 'nothing was written');
});

test('--user and --gid with a CR, LF or escape sequence are refused with the value shown escaped, never raw', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nixoshl-cli-control-'));
  const user = await runCli(['extract', '--local', '--user', 'pa\rlav\nnext'], { cwd: dir });
  assertOneLineError(user, /extract: --user "pa\\rlav\\nnext" contains a control character/);
  const gid = await runCli(['extract', '--local', '--gid', '1\r10'], { cwd: dir });
  assertOneLineError(gid, /extract: --gid "1\\r10" contains a control character/);
  const escape = await runCli(['extract', '--local', '--user', 'palav\u001b[2J'], { cwd: dir });
  assertOneLineError(escape, /--user "palav\\u001b\[2J"/);
  for (const run of [user, gid, escape]) assert.doesNotMatch(run.stderr.trimEnd(), /[\r\u001b]/);
});

test('--ssh-option refuses options that act on this machine, and checks ProxyJump, before connecting', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nixoshl-cli-sshopt-'));
  assertOneLineError(await runCli(['extract', '--ssh', 'host', '--ssh-option', 'XAuthLocation=/tmp/x'], { cwd: dir }), /XAuthLocation is refused: it names a program ssh runs on this machine/);
  assertOneLineError(await runCli(['extract', '--ssh', 'host', '--ssh-option', 'ControlPath=/tmp/c'], { cwd: dir }), /ControlPath is refused/);
  assertOneLineError(await runCli(['extract', '--ssh', 'host', '--ssh-option', 'LocalForward=8080 localhost:80'], { cwd: dir }), /LocalForward is refused: it opens a port on this machine/);
  assertOneLineError(await runCli(['extract', '--ssh', 'host', '--ssh-option', 'ForwardAgent=yes'], { cwd: dir }), /ForwardAgent is refused/);
  assertOneLineError(await runCli(['extract', '--ssh', 'host', '--ssh-option', 'ProxyJump=-oProxyCommand=x'], { cwd: dir }), /ProxyJump/);
  assertOneLineError(await runCli(['verify', '--ssh', 'host', '--ssh-option', 'PermitLocalCommand=yes'], { cwd: dir }), /PermitLocalCommand is refused/);
  assertOneLineError(await runCli(['extract', '--ssh', 'host', '--ssh-option', 'ProxyJump=a\rb'], { cwd: dir }), /control character: "a\\rb"/);
});
