/**
 * The evaluation runner against the real Nix on this machine (Debian's nix-bin, 2.8), on configurations written for
 * the tests: nixpkgs cannot be fetched here, so `test/fixtures/eval/fake-nixos` stands in for `lib.nixosSystem` and
 * `<nixpkgs/nixos>`. Nix's store is a temporary folder (`NIX_CONFIG="store = <tmp>"`, a local store rooted there:
 * a flake's source is copied into `<tmp>/nix/store`, never into /nix/store), and so is its cache (XDG_CACHE_HOME).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { okOf } from '../../../src/core/evaluation/schema';
import type { EvaluationTarget } from '../../../src/core/evaluation/target';
import { evaluateHost, listFlakeHosts, type NixEvalOptions } from '../../../src/platform/nixEval';

const FIXTURES = path.resolve(__dirname, '../../fixtures/eval');
let tmp = '';
const saved = { NIX_CONFIG: process.env['NIX_CONFIG'], XDG_CACHE_HOME: process.env['XDG_CACHE_HOME'], PATH: process.env['PATH'] };

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nixeval-'));
  process.env['NIX_CONFIG'] = `store = ${path.join(tmp, 'store')}`;
  process.env['XDG_CACHE_HOME'] = path.join(tmp, 'xdg');
});
after(() => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A copy of a fixture folder with the NixOS stand-in beside its flake.nix; files given are added or replaced. */
function workspace(fixture: string, files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(tmp, `${fixture}-`));
  fs.cpSync(path.join(FIXTURES, fixture), dir, { recursive: true });
  fs.cpSync(path.join(FIXTURES, 'fake-nixos'), path.join(dir, 'fake-nixos'), { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const options = (more: Partial<NixEvalOptions> = {}): NixEvalOptions => ({ timeoutMs: 60_000, allowFetch: false, includes: [], cacheDir: undefined, ...more });
const flake = (dir: string): EvaluationTarget => ({ kind: 'flake', host: 'nas', flakeDir: dir });

test('a flake host: the projection of what Nix evaluates, with the files that define it', async () => {
  const dir = workspace('genattrs-flake');
  const outcome = await evaluateHost(flake(dir), options());
  assert.equal(outcome.kind, 'evaluated', JSON.stringify(outcome));
  if (outcome.kind !== 'evaluated') return;
  const { projection, workspaceFile, command } = outcome.evaluation;
  assert.equal(command, `nix eval ${dir}#nixosConfigurations.nas`);
  assert.deepEqual(okOf(projection.users)?.['palav'], { ok: { uid: 1000, group: '', extraGroups: ['render'], isNormalUser: true } });
  const files = okOf(projection.userFiles)?.['palav'] ?? [];
  assert.deepEqual(files.map(workspaceFile), [path.join(dir, 'configuration.nix')], 'the store copy maps back to the workspace');
  const docker = projection.options.find((option) => option.path.join('.') === 'virtualisation.docker.enable');
  assert.deepEqual(docker?.value, { ok: true });
  assert.deepEqual(okOf(projection.assertions), ['palav (uid 1000) must not run Docker on this test host']);
  assert.deepEqual(okOf(projection.warnings), ['the test host is not a real NixOS']);
  assert.equal(okOf(projection.release), '24.11');
  assert.ok(fs.existsSync(path.join(tmp, 'store', 'nix', 'store')), 'the flake went into the temporary store');
});

test('a classic configuration through -I nixpkgs=…', async () => {
  const dir = workspace('classic');
  const outcome = await evaluateHost({ kind: 'classic', host: 'classic', entry: path.join(dir, 'configuration.nix') }, options({ includes: [`nixpkgs=${path.join(dir, 'nixpkgs')}`] }));
  assert.equal(outcome.kind, 'evaluated', JSON.stringify(outcome));
  if (outcome.kind !== 'evaluated') return;
  assert.equal(okOf(okOf(outcome.evaluation.projection.fileSystems)?.['/srv/media'] ?? { failed: true })?.fsType, 'ext4');
  assert.equal(okOf(outcome.evaluation.projection.users)?.['palav'] !== undefined, true);
});

test('a classic configuration without nixpkgs on the search path is one notice saying how to give it', async () => {
  const dir = workspace('classic');
  const outcome = await evaluateHost({ kind: 'classic', host: 'classic', entry: path.join(dir, 'configuration.nix') }, options({ includes: ['nixpkgs=/nonexistent-nixpkgs'] }));
  assert.equal(outcome.kind, 'failed');
  if (outcome.kind === 'failed') assert.match(outcome.notice, /host classic: evaluation failed .*error: .*nixpkgs.*the static checks ran/s);
});

test('one option that throws loses that part only; the rest is projected', async () => {
  const dir = workspace('genattrs-flake', { 'configuration.nix': '{ lib, ... }: {\n  users.users.palav.uid = 1000;\n  users.groups.media.gid = throw "conflicting definition values";\n  virtualisation.docker.enable = true;\n}\n' });
  const outcome = await evaluateHost(flake(dir), options());
  assert.equal(outcome.kind, 'evaluated', JSON.stringify(outcome));
  if (outcome.kind !== 'evaluated') return;
  assert.deepEqual(okOf(outcome.evaluation.projection.groups)?.['media'], { failed: true });
  assert.equal(okOf(okOf(outcome.evaluation.projection.users)?.['palav'] ?? { failed: true })?.uid, 1000);
});

for (const [name, text, expected] of [
  ['a syntax error', '{ users.users.palav.uid = ; }\n', /error: syntax error/],
  ['a throw outside any part', '{ lib, ... }: throw "the host is broken"\n', /the host is broken/],
  ['infinite recursion', '{ config, ... }: { users = config.users; }\n', /infinite recursion/],
] as const) {
  test(`${name}: one notice with Nix's own message`, async () => {
    const dir = workspace('genattrs-flake', { 'configuration.nix': text });
    const outcome = await evaluateHost(flake(dir), options());
    assert.equal(outcome.kind, 'failed', JSON.stringify(outcome));
    if (outcome.kind !== 'failed') return;
    assert.match(outcome.notice, expected);
    assert.match(outcome.notice, /^host nas: evaluation failed \(nix eval .*#nixosConfigurations\.nas\): `error: /);
    assert.doesNotMatch(outcome.notice, /nixbld|warning:/, 'the warnings before the error are left out');
  });
}

test('an evaluation past the time limit is stopped and says how to raise it', async () => {
  const dir = workspace('genattrs-flake', { 'configuration.nix': '{ lib, ... }: let count = builtins.genList (x: x) 20000; busy = builtins.foldl\' (a: i: a + builtins.foldl\' (b: j: b + j) 0 count) 0 count; in { users.users.palav.uid = busy; }\n' });
  const started = Date.now();
  const outcome = await evaluateHost(flake(dir), options({ timeoutMs: 1500 }));
  assert.ok(Date.now() - started < 15_000);
  assert.equal(outcome.kind, 'failed');
  if (outcome.kind === 'failed') assert.match(outcome.notice, /took longer than 2 s and was stopped \(raise it with --eval-timeout SECONDS\)/);
});

test('a flake input that is not in the store is not fetched: one notice that says how to fetch it', async () => {
  const lock = { nodes: { nixpkgs: { locked: { lastModified: 1700000000, narHash: 'sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', owner: 'NixOS', repo: 'nixpkgs', rev: '0123456789abcdef0123456789abcdef01234567', type: 'github' }, original: { owner: 'NixOS', ref: 'nixos-24.11', repo: 'nixpkgs', type: 'github' } }, root: { inputs: { nixpkgs: 'nixpkgs' } } }, root: 'root', version: 7 };
  const dir = workspace('genattrs-flake', {
    'flake.nix': '{\n  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";\n  outputs = { self, nixpkgs }: { nixosConfigurations.nas = nixpkgs.lib.nixosSystem { modules = [ ./configuration.nix ]; }; };\n}\n',
    'flake.lock': JSON.stringify(lock),
  });
  const started = Date.now();
  const outcome = await evaluateHost(flake(dir), options());
  assert.ok(Date.now() - started < 20_000, 'refused at once, no download retries');
  assert.equal(outcome.kind, 'failed');
  if (outcome.kind === 'failed') {
    assert.match(outcome.notice, /unable to download/);
    assert.match(outcome.notice, new RegExp(`fetching is off: fetch the inputs once with \`nix flake archive ${dir}\`.*or run again with --eval-fetch`));
  }
});

test('nix not on PATH: one notice, nothing else', async () => {
  const dir = workspace('genattrs-flake');
  process.env['PATH'] = path.join(tmp, 'empty-bin');
  try {
    const outcome = await evaluateHost(flake(dir), options());
    assert.deepEqual(outcome, { kind: 'failed', host: 'nas', notice: 'host nas: not evaluated — `nix` is not on PATH (not found); install Nix or leave out --eval. The static checks ran' });
  } finally {
    process.env['PATH'] = saved.PATH;
  }
});

test('results are cached by host and the files: the second run reads the cache, an edit evaluates again', async () => {
  const dir = workspace('genattrs-flake');
  const cacheDir = path.join(tmp, 'cache');
  const first = await evaluateHost(flake(dir), options({ cacheDir }));
  assert.equal(first.kind === 'evaluated' && first.cached, false);
  assert.equal(fs.readdirSync(path.join(cacheDir, 'evaluations')).filter((file) => file.endsWith('.json')).length, 1);
  const second = await evaluateHost(flake(dir), options({ cacheDir }));
  assert.equal(second.kind === 'evaluated' && second.cached, true);
  fs.appendFileSync(path.join(dir, 'modules', 'docker.nix'), '# edited\n');
  const third = await evaluateHost(flake(dir), options({ cacheDir }));
  assert.equal(third.kind === 'evaluated' && third.cached, false);
  fs.writeFileSync(path.join(dir, 'flake.lock'), '{"nodes":{"root":{}},"root":"root","version":7}\n');
  const fourth = await evaluateHost(flake(dir), options({ cacheDir }));
  assert.equal(fourth.kind === 'evaluated' && fourth.cached, false, 'a lock change evaluates again');
});

test('hosts from Nix: the names of nixosConfigurations and of a Colmena hive; an output the flake lacks lists nothing', async () => {
  const listing = { timeoutMs: 60_000, allowFetch: false };
  const dir = workspace('mkhost-flake');
  assert.deepEqual(await listFlakeHosts(dir, listing), { names: { nixosConfigurations: ['lab', 'media'], colmena: [] }, cached: false }, 'lab is listed though its configuration throws: only names are evaluated');

  const hive = workspace('mkhost-flake', {
    'flake.nix': '{ outputs = { self }: { colmena = { meta = { nixpkgs = throw "not read"; }; defaults = { }; nas = { }; backup = { }; }; }; }\n',
  });
  assert.deepEqual(await listFlakeHosts(hive, listing), { names: { nixosConfigurations: [], colmena: ['backup', 'nas'] }, cached: false });
  const built = workspace('mkhost-flake', {
    'flake.nix': '{ outputs = { self }: { colmenaHive = { nodes = { nas = throw "not read"; }; }; colmena = throw "not read either"; }; }\n',
  });
  assert.deepEqual(await listFlakeHosts(built, listing), { names: { nixosConfigurations: [], colmena: ['nas'] }, cached: false }, 'colmenaHive first: colmena is then not evaluated');

  const broken = workspace('mkhost-flake', { 'flake.nix': '{ outputs = { self }: { nixosConfigurations = throw "no hosts today"; }; }\n' });
  const failed = await listFlakeHosts(broken, listing);
  assert.ok('notice' in failed && /no hosts today/.test(failed.notice), JSON.stringify(failed));
});

test('a listing of hosts is cached like an evaluation: read again while the files are the same, never when it failed', async () => {
  const cacheDir = path.join(tmp, 'listing-cache');
  const listing = { timeoutMs: 60_000, allowFetch: false, cacheDir };
  const dir = workspace('mkhost-flake');
  const names = { nixosConfigurations: ['lab', 'media'], colmena: [] };
  assert.deepEqual(await listFlakeHosts(dir, listing), { names, cached: false });
  assert.deepEqual(await listFlakeHosts(dir, listing), { names, cached: true });
  fs.appendFileSync(path.join(dir, 'flake.nix'), '# edited\n');
  assert.deepEqual(await listFlakeHosts(dir, listing), { names, cached: false }, 'an edit lists again');
  fs.writeFileSync(path.join(dir, 'flake.nix'), '{ outputs = { self }: { nixosConfigurations = throw "not today"; }; }\n');
  const failed = await listFlakeHosts(dir, listing);
  assert.ok('notice' in failed && /not today/.test(failed.notice), JSON.stringify(failed));
  assert.ok('notice' in (await listFlakeHosts(dir, listing)), 'a failed listing is not kept: Nix is asked again');
});
