import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { userInfo } from 'node:os';
import { buildExtractionScript, extractionCommands } from '../../../../src/core/host/commands';
import { parseExtractionOutput } from '../../../../src/core/host/extractionOutput';
import { shellQuote, validateGid, validateUserName } from '../../../../src/core/host/shellArguments';
import { loadSnapshotFromFiles } from '../../../../src/core/host/loadSnapshot';

const me = userInfo().username;
const myGid = userInfo().gid;

function runLocally(script: string): string {
  const result = spawnSync('sh', ['-s'], { input: script, encoding: 'utf8', timeout: 20_000 });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

test('round trip: the script run by sh gives id-<me>.txt equal to `id <me>`', () => {
  const stdout = runLocally(buildExtractionScript({ users: [me], gids: [myGid, 4_000_000_000] }));
  const { files, gaps, kernel } = parseExtractionOutput(stdout);
  assert.equal(files.get(`id-${me}.txt`), execFileSync('id', [me], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } }));
  assert.equal(kernel, 'Linux');
  assert.match(files.get(`group-${myGid}.txt`) ?? '', new RegExp(`^[^:]+:[^:]*:${myGid}:`));
  assert.ok(gaps.some((gap) => gap.command === 'getent group 4000000000' && /no group with gid 4000000000/.test(gap.reason)));
  assert.ok(files.has('os-release.txt'));
  // Whatever this machine lacks (lspci, /dev/dri) is a gap, never a file with an error message in it.
  for (const name of ['gpu.txt', 'dri.txt', 'lsblk.txt', 'fstab.txt']) {
    const command = extractionCommands({ users: [], gids: [] }).find((c) => c.fileName === name)?.display;
    assert.ok(files.has(name) !== gaps.some((gap) => gap.command === command), `${name}: exactly one of file or gap`);
  }
  const { snapshot } = loadSnapshotFromFiles(files, 'local', gaps);
  assert.equal(snapshot.users[0]?.name, me);
  assert.equal(snapshot.source, 'local');
});

test('the script only reads: no sudo, no redirection into files, no temp files', () => {
  const script = buildExtractionScript({ users: ['palav'], gids: [110] });
  const code = script.split('\n').filter((line) => !line.startsWith('#')).join('\n');
  assert.doesNotMatch(code, /\bsudo\b|\bmktemp\b|\btee\b|\brm\b|\bmv\b|\bcp\b|\bdd\b/);
  for (const redirect of code.matchAll(/(\d?)>+\s*([^\s;]+)/g)) {
    assert.ok(['/dev/null', '&1'].includes(redirect[2] ?? ''), `unexpected redirection ${redirect[0]}`);
  }
  assert.match(script, /nh_section id-palav id 'palav'/);
  assert.match(script, /getent group '110'/);
  assert.match(script, /if command -v lspci >\/dev\/null 2>&1; then nh_section gpu lspci -nn; else nh_missing gpu lspci; fi/);
});

test('parseExtractionOutput: rc=127 marker, failures, truncated output, gpu filtering', () => {
  const stdout = [
    '===NIXOS-HOMELAB-BEGIN uname===', 'Linux', '', '===NIXOS-HOMELAB-END uname rc=0===',
    '===NIXOS-HOMELAB-BEGIN hostname===', 'pop-os', '', '===NIXOS-HOMELAB-END hostname rc=0===',
    '===NIXOS-HOMELAB-BEGIN os-release===', 'ID=pop', '', '===NIXOS-HOMELAB-END os-release rc=0===',
    '===NIXOS-HOMELAB-BEGIN lsblk===', 'NAME FSTYPE UUID MOUNTPOINT', 'sda', '', '===NIXOS-HOMELAB-END lsblk rc=0===',
    '===NIXOS-HOMELAB-BEGIN lsblk-json===', 'lsblk: invalid option -- \'J\'', '', '===NIXOS-HOMELAB-END lsblk-json rc=1===',
    '===NIXOS-HOMELAB-BEGIN fstab===', '', '===NIXOS-HOMELAB-END fstab rc=0===',
    '===NIXOS-HOMELAB-BEGIN id-plex===', "id: 'plex': no such user", '', '===NIXOS-HOMELAB-END id-plex rc=1===',
    '===NIXOS-HOMELAB-BEGIN dri===', "ls: cannot access '/dev/dri': No such file or directory", '', '===NIXOS-HOMELAB-END dri rc=2===',
    '===NIXOS-HOMELAB-BEGIN gpu===',
    '00:02.0 VGA compatible controller [0300]: Intel Corporation AlderLake-S GT1 [8086:4680] (rev 0c)',
    '00:14.0 USB controller [0c03]: Intel Corporation Alder Lake-S PCH USB 3.2 [8086:7ae0] (rev 11)',
  ].join('\n');
  const { files, gaps, kernel, hostname } = parseExtractionOutput(stdout);
  assert.equal(kernel, 'Linux');
  assert.equal(hostname, 'pop-os');
  assert.equal(files.get('os-release.txt'), 'ID=pop\n');
  assert.equal(files.get('lsblk.txt'), 'NAME FSTYPE UUID MOUNTPOINT\nsda\n');
  assert.equal(files.get('fstab.txt'), '', 'an empty fstab is a file, not a gap');
  assert.deepEqual(gaps, [
    { command: 'lsblk -J -o NAME,FSTYPE,UUID,PARTUUID,LABEL,MOUNTPOINT', reason: "lsblk: invalid option -- 'J' (exit status 1)" },
    { command: 'id plex', reason: "id: 'plex': no such user (exit status 1)" },
    { command: 'ls -ln /dev/dri', reason: "ls: cannot access '/dev/dri': No such file or directory (exit status 2)" },
    { command: 'lspci -nn', reason: 'the output ended before this command finished (connection lost?)' },
  ]);
  const missing = parseExtractionOutput('===NIXOS-HOMELAB-BEGIN gpu===\nlspci: command not found\n\n===NIXOS-HOMELAB-END gpu rc=127===\n');
  assert.equal(missing.gaps[0]?.command, 'lspci -nn');
  assert.match(missing.gaps[0]?.reason ?? '', /lspci: command not found/);
  assert.ok(missing.gaps.some((gap) => gap.command === 'cat /etc/fstab' && /did not run/.test(gap.reason)));
  const gpuOnly = parseExtractionOutput(`===NIXOS-HOMELAB-BEGIN gpu===\n${stdout.split('\n').slice(-2).join('\n')}\n\n===NIXOS-HOMELAB-END gpu rc=0===\n`);
  assert.equal(gpuOnly.files.get('gpu.txt'), '00:02.0 VGA compatible controller [0300]: Intel Corporation AlderLake-S GT1 [8086:4680] (rev 0c)\n');
});

test('a missing lspci becomes an rc=127 gap when the script runs', () => {
  // Whether or not this machine has lspci, ask the script to look for a program that surely does not exist.
  const script = buildExtractionScript({ users: [], gids: [] }).replace('command -v lspci', 'command -v nh-no-such-lspci');
  const { gaps } = parseExtractionOutput(runLocally(script));
  assert.deepEqual(gaps.find((gap) => gap.command === 'lspci -nn'), { command: 'lspci -nn', reason: 'lspci: command not found (install it on the host to fill this in)' });
});

test('injection attempts are refused before they reach the script', () => {
  for (const name of ['palav; rm -rf ~', '$(reboot)', '`reboot`', "palav'", 'Palav', '-palav', '', 'a'.repeat(33), 'palav\nreboot']) {
    assert.equal(validateUserName(name).ok, false, JSON.stringify(name));
    assert.throws(() => buildExtractionScript({ users: [name], gids: [] }), RangeError);
  }
  for (const gid of ['110; ls', '$(id)', '-1', '1e3', '0x6e', '', '4294967295'] as const) assert.equal(validateGid(gid).ok, false, gid);
  for (const gid of [-1, 1.5, 2 ** 32 - 1, Number.NaN]) {
    assert.equal(validateGid(gid).ok, false, String(gid));
    assert.throws(() => buildExtractionScript({ users: [], gids: [gid] }), RangeError);
  }
  assert.deepEqual(validateGid('110'), { ok: true, value: 110 });
  assert.deepEqual(validateGid(2 ** 32 - 2), { ok: true, value: 4294967294 });
  assert.deepEqual(validateUserName('svc-plex'), { ok: true, value: 'svc-plex' });
  assert.deepEqual(validateUserName('machine$'), { ok: true, value: 'machine$' });
  assert.equal(shellQuote("it's"), `'it'\\''s'`);
});
