import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { assertOneLineError, EXAMPLE, REPO, runCli } from './runCli';

const EXAMPLE_ARGS = ['lint', 'examples/pop-os-homelab', '--snapshot', 'examples/pop-os-homelab/snapshot'];
const EXPECTED_RULES = [
  'docker-not-enabled',
  'puid-unmapped',
  'pgid-unmapped',
  'gpu-without-toolkit',
  'gpu-request-not-cdi',
  'bind-mount-undeclared',
  'published-port-bypasses-firewall',
  'unresolved-variable',
];

test('lint on the example homelab exits 1 and reports the migration problems by rule id', async () => {
  const run = await runCli(EXAMPLE_ARGS);
  assert.equal(run.status, 1, run.stderr);
  for (const rule of EXPECTED_RULES) assert.ok(run.stdout.includes(rule), `${rule} missing from:\n${run.stdout}`);
  // nixos-generate-config's hardware-configuration.nix installs the GPU firmware, and NixOS leaves render nodes 0666:
  // Plex's and Jellyfin's /dev/dri need nothing more from this configuration.
  assert.doesNotMatch(run.stdout, /\[dri-/);
  assert.equal(run.stderr, '');
});

test('lint --format json prints one versioned object with LSP positions and cwd-relative files', async () => {
  const run = await runCli([...EXAMPLE_ARGS, '--format', 'json']);
  assert.equal(run.status, 1, run.stderr);
  const report = JSON.parse(run.stdout) as { version: number; diagnostics: Record<string, unknown>[] };
  assert.equal(report.version, 1);
  assert.ok(report.diagnostics.length > 0);
  for (const diagnostic of report.diagnostics) {
    // `host` (what it was checked against), `related` (its other locations) and `explanation` (what the one-line
    // headline in `message` leaves out) are present when there are some.
    assert.deepEqual(Object.keys(diagnostic).filter((key) => key !== 'host' && key !== 'related' && key !== 'explanation').sort(), ['code', 'file', 'fixable', 'message', 'range', 'severity']);
    assert.ok((diagnostic['message'] as string).length <= 120 && !(diagnostic['message'] as string).includes('`'), String(diagnostic['message']));
    assert.equal(typeof diagnostic['explanation'], 'string', String(diagnostic['message']));
    if (diagnostic['code'] !== 'compose-parse-error' && diagnostic['code'] !== 'unresolved-variable' && diagnostic['code'] !== 'published-port-bypasses-firewall') {
      assert.deepEqual(diagnostic['host'], { name: 'nixos', entry: 'examples/pop-os-homelab/nixos/configuration.nix' }, String(diagnostic['code']));
    }
    assert.ok(['error', 'warning', 'information', 'hint'].includes(diagnostic['severity'] as string));
    assert.equal(typeof diagnostic['fixable'], 'boolean');
    assert.match(diagnostic['file'] as string, /^examples\/pop-os-homelab\//);
    const range = diagnostic['range'] as { start: { line: number; character: number }; end: { line: number; character: number } };
    for (const position of [range.start, range.end]) {
      assert.ok(Number.isInteger(position.line) && position.line >= 0 && Number.isInteger(position.character) && position.character >= 0);
    }
  }
  const codes = new Set(report.diagnostics.map((d) => d['code']));
  for (const rule of EXPECTED_RULES) assert.ok(codes.has(rule), rule);
  // PGID=110 of plex: line 9 (0-based 8) of docker/plex/docker-compose.yml, pointing at "110".
  const pgid = report.diagnostics.find((d) => d['code'] === 'pgid-unmapped' && (d['file'] as string).endsWith('plex/docker-compose.yml'));
  assert.deepEqual(pgid?.['range'], { start: { line: 8, character: 13 }, end: { line: 8, character: 16 } });
});

test('lint exits 0 when no error-severity finding remains, run from inside a folder', async () => {
  const run = await runCli(['lint', 'docker/sonarr', '--snapshot', 'snapshot', '--nix', 'nixos/configuration.nix', '--format', 'json'], { cwd: EXAMPLE });
  const report = JSON.parse(run.stdout) as { diagnostics: { severity: string; file: string }[] };
  assert.equal(run.status, report.diagnostics.some((d) => d.severity === 'error') ? 1 : 0);
  assert.ok(report.diagnostics.every((d) => d.file.startsWith('docker/sonarr/') || d.file.startsWith('nixos/')));
});

test('usage errors exit 2 with one line on stderr', async () => {
  assertOneLineError(await runCli(['lint', '--format', 'xml']), /--format must be one of text, json, sarif/);
  assertOneLineError(await runCli(['lint', '--no-such-flag']), /lint: Unknown option '--no-such-flag'/);
  assertOneLineError(await runCli(['lint', 'no/such/folder']), /no such file or folder/);
  assertOneLineError(await runCli(['lint', '--release', 'latest']), /--release must look like 24\.11/);
  assertOneLineError(await runCli(['frobnicate']), /unknown command "frobnicate"/);
  const bare = await runCli([]);
  assert.equal(bare.status, 2);
  assert.match(bare.stdout, /nixos-homelab generate/);
  assert.match(bare.stdout, /nixos-homelab extract/);
  assert.match(bare.stdout, /nixos-homelab verify/);
});

test('lint on a folder with neither compose files nor a NixOS configuration exits 2 and says what it looked for', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'nixos-homelab-empty-'));
  try {
    writeFileSync(join(empty, 'README.md'), '# notes\n');
    const text = await runCli(['lint', empty]);
    assert.equal(text.status, 2, text.stdout);
    assert.equal(text.stdout, '', 'no "no problems found" on stdout');
    assert.match(text.stderr, /found no compose file .* and no NixOS configuration .* in /);

    const json = await runCli(['lint', empty, '--format', 'json']);
    assert.equal(json.status, 2);
    const report = JSON.parse(json.stdout) as { version: number; diagnostics: unknown[]; notices: string[] };
    assert.deepEqual(report.diagnostics, []);
    assert.equal(report.notices.length, 1);
    assert.match(report.notices[0] ?? '', /found no compose file/);

    // A flake whose hosts are built by functions: found, but no module listed by path — the notice says so.
    writeFileSync(join(empty, 'flake.nix'), '{ outputs = { self, nixpkgs }: { nixosConfigurations = nixpkgs.lib.mapAttrs (n: v: v) {}; }; }\n');
    const flake = await runCli(['lint', empty]);
    assert.equal(flake.status, 2);
    assert.match(flake.stderr, /a flake\.nix was found, but it lists no module by path \(name the host's entry module with --nix FILE\)/);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});

test('lint on a compose-only folder is not "nothing found": the stacks are checked', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'nixos-homelab-compose-only-'));
  try {
    writeFileSync(join(folder, 'compose.yaml'), 'services:\n  web:\n    image: nginx\n');
    const run = await runCli(['lint', folder, '--format', 'json']);
    assert.notEqual(run.status, 2, run.stderr);
    // Checked, with the one notice that nothing was compared with a NixOS host (issue #15).
    const notices = (JSON.parse(run.stdout) as { notices?: string[] }).notices ?? [];
    assert.equal(notices.length, 1);
    assert.match(notices[0] ?? '', /^no NixOS configuration found in .*: the compose files were checked on their own/);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('lint --host: every stack is checked against the named host (by name or entry module); text groups by host; an unknown name is a usage error', async () => {
  const fixture = join(REPO, 'test', 'fixtures', 'real-shapes', 'flake-mkhost-mapattrs');
  const byName = await runCli(['lint', '.', '--host', 'edge', '--format', 'json'], { cwd: fixture });
  assert.equal(byName.status, 1, byName.stderr);
  const report = JSON.parse(byName.stdout) as { diagnostics: { code: string; file: string; host?: { name: string; entry: string } }[] };
  const docker = report.diagnostics.filter((d) => d.code === 'docker-not-enabled').map((d) => `${d.file} ${d.host?.name} ${d.host?.entry}`).sort();
  assert.deepEqual(docker, ['stacks/immich/compose.yaml edge hosts/edge/default.nix', 'stacks/uptime-kuma/compose.yaml edge hosts/edge/default.nix']);
  const byPath = await runCli(['lint', '.', '--host', 'hosts/edge/default.nix', '--format', 'json'], { cwd: fixture });
  assert.equal(byPath.stdout, byName.stdout);
  const unknown = await runCli(['lint', '.', '--host', 'toaster'], { cwd: fixture });
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /--host toaster: no such host; the hosts found are (nas|edge) .*hosts\/nas\/default\.nix/);
  // With --fix, an unknown host stops the run before anything is written.
  const copy = join(mkdtempSync(join(tmpdir(), 'nixos-homelab-host-fix-')), 'repo');
  cpSync(fixture, copy, { recursive: true });
  const before = readFileSync(join(copy, 'hosts', 'edge', 'default.nix'), 'utf8');
  const fixing = await runCli(['lint', '.', '--host', 'toaster', '--fix'], { cwd: copy });
  assert.equal(fixing.status, 2, fixing.stdout);
  assert.doesNotMatch(fixing.stdout, /fixed|changed/i);
  assert.equal(readFileSync(join(copy, 'hosts', 'edge', 'default.nix'), 'utf8'), before);
  rmSync(dirname(copy), { recursive: true, force: true });
  const sarif = JSON.parse((await runCli(['lint', '.', '--host', 'media', '--format', 'sarif'], { cwd: join(REPO, 'test', 'fixtures', 'real-shapes', 'colmena-hive') })).stdout) as { runs: { results: unknown[] }[] };
  assert.deepEqual(sarif.runs[0]?.results, []);
});

test('lint text output groups findings by the host they were checked against; JSON and SARIF carry the host', async () => {
  const root = mkdtempSync(join(tmpdir(), 'nixos-homelab-hosts-'));
  const write = (name: string, text: string): void => {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  };
  write('hosts/nas/configuration.nix', '{ networking.hostName = "nas"; }\n');
  write('hosts/nas/stacks/plex/compose.yaml', 'services:\n  plex:\n    image: plex\n');
  write('hosts/pi/configuration.nix', '{ networking.hostName = "pi"; }\n');
  write('hosts/pi/stacks/dns/compose.yaml', 'services:\n  dns:\n    image: adguard\n');
  const text = await runCli(['lint', '.'], { cwd: root });
  const lines = text.stdout.split('\n');
  const nas = lines.indexOf('host nas (hosts/nas/configuration.nix)');
  const pi = lines.indexOf('host pi (hosts/pi/configuration.nix)');
  assert.ok(nas >= 0 && pi > nas, text.stdout);
  assert.match(lines.slice(nas, pi).join('\n'), /hosts\/nas\/stacks\/plex\/compose\.yaml.*docker-not-enabled/);
  assert.match(lines.slice(pi).join('\n'), /hosts\/pi\/stacks\/dns\/compose\.yaml.*docker-not-enabled/);
  const sarif = JSON.parse((await runCli(['lint', '.', '--format', 'sarif'], { cwd: root })).stdout) as { runs: { results: { properties?: { host: string; hostEntry: string }; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
  const hosts = (sarif.runs[0]?.results ?? []).map((result) => `${result.locations[0]?.physicalLocation.artifactLocation.uri} ${result.properties?.host} ${result.properties?.hostEntry}`).sort();
  assert.deepEqual(hosts, ['hosts/nas/stacks/plex/compose.yaml nas hosts/nas/configuration.nix', 'hosts/pi/stacks/dns/compose.yaml pi hosts/pi/configuration.nix']);
});

test('lint reports the syntax errors of a .nix file no configuration imports, and only its syntax errors', async () => {
  const root = mkdtempSync(join(tmpdir(), 'nixos-homelab-unimported-'));
  const write = (name: string, text: string): void => {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  };
  write('configuration.nix', '{ virtualisation.docker.enable = true; }\n');
  // Not imported by anything: a module being written, left half-typed.
  write('modules/media.nix', '{ config, ... }:\n{\n  users.users.plex.uid = ;\n}\n');
  // Not imported either, but well-formed: nothing to say about it.
  write('modules/backup.nix', '{ services.restic.backups = { }; }\n');
  const run = await runCli(['lint', '.', '--format', 'json'], { cwd: root });
  const report = JSON.parse(run.stdout) as { diagnostics: { code: string; file: string; range: { start: { line: number } } }[] };
  const nixErrors = report.diagnostics.filter((diagnostic) => diagnostic.code === 'nix-parse-error');
  assert.ok(nixErrors.length > 0, run.stdout);
  for (const error of nixErrors) {
    assert.equal(error.file, 'modules/media.nix');
    assert.equal(error.range.start.line, 2);
  }
  assert.equal(run.status, 1, run.stdout);
  rmSync(root, { recursive: true, force: true });
});
