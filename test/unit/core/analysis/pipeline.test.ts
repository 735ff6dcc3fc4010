import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { DiskFileSource } from '../../../../src/core/analysis/fileSource';
import { initNixParser } from '../../../../src/core/nix';
import { analyseWorkspace } from '../../../../src/core/analysis/pipeline';
import { nixpkgsBranch } from '../../../../src/core/analysis/release';
import { sameFinding } from '../../../../src/core/analysis/findings';
import type { Finding } from '../../../../src/core/types';
import { DEFAULT_SETTINGS } from '../../../../src/core/settings';

function tempTree(files: Record<string, string | Buffer>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nhl-ws-'));
  for (const [name, content] of Object.entries(files)) {
    const full = path.join(root, name);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
  }
  return root;
}

async function lint(root: string, extra: Partial<Parameters<typeof analyseWorkspace>[0]> = {}) {
  await initNixParser();
  return analyseWorkspace({ roots: [root], settings: DEFAULT_SETTINGS, ...extra }, new DiskFileSource());
}

const PLEX = 'services:\n  plex:\n    image: lscr.io/linuxserver/plex\n    environment:\n      - PUID=1000\n    volumes:\n      - ./config:/config\n';
const CONFIG = '{ config, pkgs, ... }:\n{\n  users.users.palav.isNormalUser = true;\n}\n';

test('bad inputs each give a finding and the rest of the workspace is still checked', async () => {
  const root = tempTree({
    'nixos/configuration.nix': CONFIG,
    'good/docker-compose.yml': PLEX,
    'broken/docker-compose.yml': 'services:\n  a:\n    image: x\n  b: [\n',
    'list/compose.yaml': '- a\n- b\n',
    'empty/compose.yaml': '',
    'binary/compose.yaml': Buffer.from([0x00, 0x01, 0x02, 0xff, 0x00]),
    'huge/compose.yaml': `services:\n${'#'.repeat(10 * 1024 * 1024)}\n`,
  });
  fs.symlinkSync(root, path.join(root, 'loop'));
  fs.symlinkSync(path.join(root, 'missing-target.yml'), path.join(root, 'good', 'compose.override.yml'));
  execFileSync('mkfifo', [path.join(root, 'fifo-compose'), '-m', '600']);
  fs.mkdirSync(path.join(root, 'fifo'));
  fs.renameSync(path.join(root, 'fifo-compose'), path.join(root, 'fifo', 'compose.yml'));

  const analysis = await lint(root);
  const byDir = (dir: string) => analysis.findings.filter((f) => f.file.startsWith(path.join(root, dir) + path.sep));
  assert.ok(byDir('good').some((f) => f.code === 'puid-unmapped'), 'the intact stack is still checked');
  for (const dir of ['broken', 'list', 'binary', 'huge']) {
    const problems = byDir(dir).filter((f) => f.code === 'compose-parse-error');
    assert.ok(problems.length > 0, `${dir}: a compose-parse-error`);
    for (const problem of problems) assert.doesNotMatch(problem.message, /at .*\(.*:\d+:\d+\)/, 'no stack trace');
  }
  assert.match(byDir('huge')[0]!.message, /MB/);
  // The symlink loop is followed once: each stack is reported once.
  const goodFindings = analysis.findings.filter((f) => f.code === 'puid-unmapped');
  assert.equal(goodFindings.length, 1);
});

test('a half-typed compose file still yields the findings of its intact services', async () => {
  const root = tempTree({
    'nixos/configuration.nix': CONFIG,
    'plex/docker-compose.yml': `${PLEX}  broken:\n    image: [unclosed\n`,
  });
  const analysis = await lint(root);
  assert.ok(analysis.findings.some((f) => f.code === 'compose-parse-error'));
  assert.ok(analysis.findings.some((f) => f.code === 'puid-unmapped'));
});

test('a half-typed configuration.nix keeps the definitions of its intact parts', async () => {
  const root = tempTree({
    'nixos/configuration.nix': '{ config, pkgs, ... }:\n{\n  users.users.palav.uid = 1000;\n  virtualisation.docker.enable = ;\n',
    'plex/docker-compose.yml': PLEX,
  });
  const analysis = await lint(root);
  assert.ok(analysis.findings.some((f) => f.code === 'nix-parse-error'));
  assert.ok(!analysis.findings.some((f) => f.code === 'puid-unmapped'), 'uid 1000 is still read');
});

test('release: --release, then flake.lock nixpkgs branch, then the newest known', async () => {
  const lock = JSON.stringify({ nodes: { root: { inputs: { nixpkgs: 'nixpkgs' } }, nixpkgs: { original: { owner: 'NixOS', repo: 'nixpkgs', ref: 'nixos-24.05', type: 'github' } } }, root: 'root', version: 7 });
  assert.equal(nixpkgsBranch(lock), 'nixos-24.05');
  const root = tempTree({ 'flake.lock': lock, 'configuration.nix': CONFIG });
  assert.equal((await lint(root)).release, '24.05');
  assert.equal((await lint(root, { release: '24.11' })).release, '24.11');
  const plain = tempTree({ 'configuration.nix': CONFIG });
  assert.equal((await lint(plain)).release, '25.11');
});

test('entry modules from flake.nix when there is no configuration.nix; rules setting turns a rule off', async () => {
  const root = tempTree({
    'flake.nix': '{\n  outputs = { nixpkgs, ... }: {\n    nixosConfigurations.nas = nixpkgs.lib.nixosSystem {\n      modules = [ ./hosts/nas.nix ];\n    };\n  };\n}\n',
    'hosts/nas.nix': '{ ... }:\n{\n  users.users.palav.uid = 1000;\n}\n',
    'plex/docker-compose.yml': PLEX,
  });
  const analysis = await lint(root);
  assert.equal(analysis.configurations[0]?.entry, path.join(root, 'hosts/nas.nix'));
  assert.ok(!analysis.findings.some((f) => f.code === 'puid-unmapped'));
  const off = await lint(root, { settings: { ...DEFAULT_SETTINGS, rules: { 'docker-not-enabled': 'off' } } });
  assert.ok(!off.findings.some((f) => f.code === 'docker-not-enabled'));
  assert.ok((await lint(root)).findings.some((f) => f.code === 'docker-not-enabled'));
});

test('sameFinding: equal in everything a finding says, data and related information included', () => {
  const finding: Finding = {
    code: 'bind-mount-undeclared',
    severity: 'warning',
    file: '/lab/docker/plex/compose.yaml',
    range: { start: { line: 3, character: 6 }, end: { line: 3, character: 30 } },
    message: 'Bind mount …',
    related: [{ location: { file: '/lab/nixos/configuration.nix', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }, message: 'missing here' }],
    data: { mountpoint: '/mnt/PlexStorage', uuid: null, options: ['defaults', 'nofail'] },
  };
  const copy = (): Finding => JSON.parse(JSON.stringify(finding)) as Finding;
  assert.ok(sameFinding(finding, copy()));
  const changes: ((f: Finding) => void)[] = [
    (f) => (f.message += '!'),
    (f) => (f.range.end.character = 31),
    (f) => (f.severity = 'error'),
    (f) => (f.related[0]!.location.range.start.line = 1),
    (f) => (f.related = []),
    (f) => (f.data = { ...f.data, options: ['defaults'] }),
    (f) => (f.data = { ...f.data, uuid: 'abc' }),
    (f) => (f.data = { ...f.data, extra: null }),
    (f) => delete f.data,
  ];
  for (const change of changes) {
    const other = copy();
    change(other);
    assert.equal(sameFinding(finding, other), false, change.toString());
    assert.equal(sameFinding(other, finding), false, change.toString());
  }
});
