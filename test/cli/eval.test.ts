/**
 * `lint --eval` through the bundled CLI (build with `node esbuild.js` first) and the real Nix of this machine, on the
 * test configurations of test/fixtures/eval (a NixOS stand-in: nixpkgs cannot be fetched here). Nix's store and the
 * caches are temporary folders (NIX_CONFIG="store = <tmp>", XDG_CACHE_HOME): nothing is written to /nix/store or ~.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { CLI, REPO } from './runCli';

const FIXTURES = path.join(REPO, 'test/fixtures/eval');
let tmp = '';

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-eval-'));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function workspace(fixture: string, files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(tmp, `${fixture}-`));
  fs.cpSync(path.join(FIXTURES, fixture), dir, { recursive: true });
  fs.cpSync(path.join(FIXTURES, 'fake-nixos'), path.join(dir, 'fake-nixos'), { recursive: true });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

function lint(cwd: string, args: string[], env: Record<string, string> = {}): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'lint', ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', NIX_CONFIG: `store = ${path.join(tmp, 'store')}`, XDG_CACHE_HOME: path.join(tmp, 'xdg'), ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ status: code ?? 1, stdout, stderr });
    });
  });
}

const codes = (stdout: string): string[] => [...stdout.matchAll(/^(\S+:\d+:\d+)\s+\S+\s.*\[([\w-]+)\]/gm)].map((match) => `${match[1]} ${match[2]}`);

test('a user made by genAttrs: lint --eval reports what Nix evaluates and none of the static guesses', async () => {
  const dir = workspace('genattrs-flake');
  const plain = await lint(dir, []);
  assert.deepEqual(codes(plain.stdout), [
    'configuration.nix:6:15 nix-import-unreadable',
    'stacks/plex/docker-compose.yml:1:1 docker-not-enabled',
    'stacks/plex/docker-compose.yml:5:14 puid-unmapped',
    'stacks/plex/docker-compose.yml:8:9 bind-mount-undeclared',
  ]);
  assert.doesNotMatch(plain.stdout, /evaluated/, 'off unless asked');

  const evaluated = await lint(dir, ['--eval']);
  assert.equal(evaluated.status, 1, evaluated.stderr);
  assert.deepEqual(codes(evaluated.stdout), ['configuration.nix:15:3 nixos-assertion', 'configuration.nix:18:3 nixos-warning', 'stacks/plex/docker-compose.yml:8:9 bind-mount-undeclared']);
  assert.match(evaluated.stdout, /error +NixOS assertion failed: palav \(uid 1000\) must not run Docker on this test host  \[nixos-assertion\]\n +  = `nixos-rebuild` stops here/);
  assert.match(evaluated.stdout, /warning +NixOS warning: the test host is not a real NixOS/);
  assert.match(evaluated.stdout, /no NixOS mount covers it \(evaluated\) +\[bind-mount-undeclared\]/);
  assert.match(evaluated.stdout, new RegExp(`notice: host nas: values evaluated by Nix \\(nix eval ${dir}#nixosConfigurations\\.nas, \\d+\\.\\d s\\)\\n`));

  const again = await lint(dir, ['--eval', '--format', 'json']);
  const report = JSON.parse(again.stdout) as { diagnostics: { code: string }[]; notices: string[] };
  assert.deepEqual(report.notices, [`host nas: values evaluated by Nix (nix eval ${dir}#nixosConfigurations.nas, cached)`]);
  assert.deepEqual(report.diagnostics.map((d) => d.code), ['nixos-assertion', 'nixos-warning', 'bind-mount-undeclared']);

  const off = await lint(dir, ['--eval', '--no-eval']);
  assert.equal(off.stdout, plain.stdout, '--no-eval wins');
});

test('a classic configuration, nixpkgs found through --eval-include', async () => {
  const dir = workspace('classic');
  const run = await lint(dir, ['--eval', '--eval-include', `nixpkgs=${path.join(dir, 'nixpkgs')}`, '--format', 'json']);
  const report = JSON.parse(run.stdout) as { diagnostics: { code: string; message: string }[]; notices: string[] };
  assert.match(report.notices[0] ?? '', /^host classic-\w+: values evaluated by Nix \(nix-instantiate --eval '<nixpkgs\/nixos>' --arg configuration .*configuration\.nix, \d/);
  assert.deepEqual(report.diagnostics.map((d) => d.code), [], 'palav (genAttrs) has uid 1000, /srv/media is mounted, Docker is on');
});

test('with nix absent nothing changes but one notice, and only when evaluation was asked for', async () => {
  const dir = workspace('genattrs-flake');
  const noNix = { PATH: path.join(tmp, 'empty-bin') };
  const plain = await lint(dir, []);
  const withoutNix = await lint(dir, [], noNix);
  assert.equal(withoutNix.stdout, plain.stdout);
  const asked = await lint(dir, ['--eval'], noNix);
  assert.equal(asked.status, plain.status);
  assert.equal(asked.stderr, '');
  const expected = plain.stdout.replace(/\n(⚠|✖)/, '\nnotice: host nas: not evaluated — `nix` is not on PATH (not found); install Nix or leave out --eval. The static checks ran\n\n$1');
  assert.equal(asked.stdout, expected);
});

test('a failed evaluation is one notice with Nix\'s message; the static checks still run', async () => {
  const dir = workspace('genattrs-flake', { 'configuration.nix': '{ lib, ... }: {\n  users.users.palav.uid = 1000;\n  virtualisation.docker.enable = true;\n  networking.hostName = builtins.abort "half-written";\n  imports = [ ./missing.nix ];\n}\n' });
  const run = await lint(dir, ['--eval', '--format', 'json']);
  const report = JSON.parse(run.stdout) as { diagnostics: { code: string }[]; notices: string[] };
  assert.equal(report.notices.length, 1);
  assert.match(report.notices[0] ?? '', /^host nas: evaluation failed \(nix eval .*\): `error: .*missing\.nix.*`; the static checks ran$/);
  assert.ok(report.diagnostics.some((d) => d.code === 'nix-import-unreadable'), 'the static findings are still reported');
});

test('the time limit and flag errors', async () => {
  const busy = '{ lib, ... }: let count = builtins.genList (x: x) 20000; busy = builtins.foldl\' (a: i: a + builtins.foldl\' (b: j: b + j) 0 count) 0 count; in { users.users.palav.uid = busy; }\n';
  const dir = workspace('genattrs-flake', { 'configuration.nix': busy });
  const started = Date.now();
  const run = await lint(dir, ['--eval', '--eval-timeout', '1']);
  assert.ok(Date.now() - started < 20_000);
  assert.match(run.stdout, /notice: host nas: evaluation failed .*took longer than 1 s and was stopped \(raise it with --eval-timeout SECONDS\); the static checks ran/);
  const bad = await lint(dir, ['--eval', '--eval-timeout', 'soon']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--eval-timeout takes a number of seconds \(got "soon"\)/);
});

test('units made by mapAttrs\': lint --eval places the stack on the host whose evaluated unit starts it and reads the unit\'s variables', async () => {
  const dir = workspace('units-flake');
  const plain = await lint(dir, ['--format', 'json']);
  const before = JSON.parse(plain.stdout) as { diagnostics: { code: string; file: string; message: string }[] };
  assert.deepEqual(
    before.diagnostics.filter((d) => d.file.startsWith('stacks/')).map((d) => `${d.code} ${d.message.split(' ')[0]}`),
    ['host-unknown Host', 'unresolved-variable DB_PASSWORD', 'unresolved-variable IMMICH_TZ'],
    'the static reader cannot follow mapAttrs\': no unit starts the stack',
  );

  const evaluated = await lint(dir, ['--eval', '--format', 'json']);
  const after = JSON.parse(evaluated.stdout) as { diagnostics: { code: string; file: string }[]; notices: string[] };
  assert.deepEqual(after.diagnostics.filter((d) => d.file.startsWith('stacks/')), [], 'placed on nas by its evaluated unit; DB_PASSWORD from its EnvironmentFile, IMMICH_TZ from its environment');
  assert.deepEqual(after.notices.map((notice) => notice.replace(/\(nix eval .*\)/, '(…)')), ['host nas: values evaluated by Nix (…)', 'host backup: values evaluated by Nix (…)']);
});

test('hosts only Nix finds (a function over a list): listed, evaluated and checked against evaluated values only', async () => {
  const dir = workspace('mkhost-flake');
  const plain = await lint(dir, ['--format', 'json']);
  const before = JSON.parse(plain.stdout) as { diagnostics: unknown[]; notices: string[] };
  assert.deepEqual(before.diagnostics, [], 'no host: the stack is checked on its own');
  assert.match(before.notices.join('\n'), /no NixOS configuration found/);

  const evaluated = await lint(dir, ['--eval', '--format', 'json']);
  const after = JSON.parse(evaluated.stdout) as { diagnostics: { code: string; message: string; fixable: boolean; host?: { name: string; entry: string } }[]; notices: string[] };
  assert.ok(after.diagnostics.every((d) => !d.fixable), 'no module of the host was read: nothing to write a fix into');
  assert.deepEqual(
    after.diagnostics.map((d) => `${d.code} ${d.host?.name} ${d.message}`),
    ['puid-unmapped media PUID 1001 of service helper: no NixOS user has uid 1001 (evaluated)', 'bind-mount-undeclared media Bind mount /srv/media of service helper: no NixOS mount covers it (evaluated)'],
    'PUID 1000 is the evaluated jellyfin; Docker is enabled by Nix; the undeclared-looking secret is not judged on an empty static model',
  );
  assert.deepEqual(after.notices.map((notice) => notice.replace(/\(nix eval [^)]*\)/, '(…)')), [
    `hosts of ${dir} that only Nix finds (nixosConfigurations), checked against their evaluated values only: lab, media`,
    'host lab (found by Nix): values evaluated by Nix (…); not checked, since these failed to evaluate and no module of it was read: virtualisation.docker.enable, virtualisation.docker.package.version',
    'host media (found by Nix): values evaluated by Nix (…)',
  ]);
});
