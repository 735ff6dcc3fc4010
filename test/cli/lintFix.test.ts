/**
 * `lint --fix` end to end through the bundled CLI (build first: `node esbuild.js`), on a temp copy of
 * examples/pop-os-homelab: what remains needs human input, the Nix result parses and evaluates to the intended
 * values, a second run changes nothing, and refused writes change nothing at all.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { runLintFix } from '../../src/cli/lintFix';
import { DiskFileSource, type FileSource } from '../../src/core/analysis/fileSource';
import { initNixParser } from '../../src/core/nix';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { attrAt, evalModule, parseNixFiles } from '../oracle/nixOracle';
import { readTree } from '../unit/core/fixes/workspaceFixture';
import { assertOneLineError, EXAMPLE, runCli } from './runCli';

const STUBS = path.resolve(__dirname, '../oracle/fixStubs');
const copies: string[] = [];
after(() => {
  for (const dir of copies) {
    fs.chmodSync(dir, 0o755);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

function copyExample(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nixos-homelab-lintfix-'));
  copies.push(dir);
  fs.cpSync(EXAMPLE, dir, { recursive: true });
  return dir;
}

const fixArgs = (dir: string): string[] => ['lint', '--fix', '--snapshot', path.join(dir, 'snapshot'), dir];

/** Human input needed: unset variables. */
// Binding a published port to 127.0.0.1 is offered in the editor but never applied by --fix: LAN access is the user's call.
const NEEDS_HUMAN = (diagnostic: { code: string; message: string }): boolean =>
  diagnostic.code === 'unresolved-variable' ||
  diagnostic.code === 'published-port-bypasses-firewall';

test('lint --fix on the example: only findings needing a human remain; Nix parses and evaluates; a second run changes nothing', async () => {
  const dir = copyExample();
  const first = await runCli(fixArgs(dir), { cwd: dir });
  assert.equal(first.stderr, '');
  assert.equal(first.status, 0, first.stdout);
  assert.match(first.stdout, /^nixos\/configuration\.nix: .*\+users\.users\.palav\.uid.*\+users\.groups\.render\.gid \(mkForce 110\)/m);
  // NixOS's render nodes are 0666 (systemd's group-render-mode; the example restricts nothing): Jellyfin needs no group_add.
  assert.doesNotMatch(first.stdout, /group_add/);
  assert.match(first.stdout, /^Projects\/ai-agent\/compose\.yaml: .*- driver: cdi/m);

  const report = await runCli(['lint', '--format', 'json', '--snapshot', path.join(dir, 'snapshot'), dir], { cwd: dir });
  const { diagnostics } = JSON.parse(report.stdout) as { diagnostics: { code: string; message: string; fixable: boolean }[] };
  assert.deepEqual(diagnostics.filter((d) => !NEEDS_HUMAN(d)).map((d) => `${d.code}: ${d.message}`), []);
  assert.ok(diagnostics.length >= 3 && diagnostics.every((d) => !d.fixable), 'what remains is reported, none of it fixable');

  const config = path.join(dir, 'nixos/configuration.nix');
  const verdicts = parseNixFiles([config, path.join(dir, 'nixos/hardware-configuration.nix')]);
  assert.deepEqual([...verdicts.values()].filter((v) => !v.ok), []);
  const evaluated = evalModule(config, STUBS);
  if (!evaluated.ok) assert.fail(evaluated.error);
  assert.deepEqual(attrAt(evaluated.value, ['users', 'groups', 'render', 'gid']), { _type: 'override', priority: 50, content: 110 });
  assert.equal(attrAt(evaluated.value, ['users', 'users', 'palav', 'uid']), 1000);
  assert.ok((attrAt(evaluated.value, ['fileSystems', '/mnt/PlexStorage', 'options']) as string[]).includes('nofail'));
  assert.ok((attrAt(evaluated.value, ['fileSystems', '/mnt/MediaArchive', 'options']) as string[]).includes('subvol=@media'));
  assert.equal(fs.readFileSync(path.join(dir, 'nixos/hardware-configuration.nix'), 'utf8'), fs.readFileSync(path.join(EXAMPLE, 'nixos/hardware-configuration.nix'), 'utf8'));

  const before = readTree(dir);
  const second = await runCli(fixArgs(dir), { cwd: dir });
  assert.equal(second.status, 0);
  assert.doesNotMatch(second.stdout, /^[\w/.-]+: /m, 'no file summary the second time');
  assert.deepEqual(readTree(dir), before, 'a second --fix changes nothing');
});

test('lint --fix --format json keeps stdout one JSON document (the fix report goes to stderr)', async () => {
  const dir = copyExample();
  const run = await runCli([...fixArgs(dir), '--format', 'json'], { cwd: dir });
  assert.equal(run.status, 0, run.stderr);
  assert.equal((JSON.parse(run.stdout) as { version: number }).version, 1);
  assert.match(run.stderr, /nixos\/configuration\.nix: /);
});

test('a read-only target: exit 2 with one line, nothing written anywhere', async () => {
  const dir = copyExample();
  const config = path.join(dir, 'nixos/configuration.nix');
  fs.chmodSync(config, 0o444);
  const before = readTree(dir);
  const run = await runCli(fixArgs(dir), { cwd: dir });
  assertOneLineError(run, /configuration\.nix is read-only/);
  assert.deepEqual(readTree(dir), before);
  fs.chmodSync(config, 0o644);
});

test('a Nix file that does not parse: its fixes are refused with a hint, it is not written', async () => {
  const dir = copyExample();
  const config = path.join(dir, 'nixos/configuration.nix');
  const broken = fs.readFileSync(config, 'utf8').replace('isNormalUser = true;', 'isNormalUser = true');
  fs.writeFileSync(config, broken);
  const run = await runCli(fixArgs(dir), { cwd: dir });
  assert.equal(run.status, 1);
  assert.match(run.stdout, /hint \[[a-z-]+\]: .*configuration\.nix has a Nix syntax error at line \d+/);
  assert.equal(fs.readFileSync(config, 'utf8'), broken);
});

test('without a snapshot, data disks get a hint to run extract instead of a guessed UUID', async () => {
  const dir = copyExample();
  fs.rmSync(path.join(dir, 'snapshot'), { recursive: true });
  const run = await runCli(['lint', '--fix', dir], { cwd: dir });
  assert.match(run.stdout, /hint \[bind-mount-undeclared\]: \/mnt\/PlexStorage\/[^:]*: if it is on a separate disk, run `nixos-homelab extract`/);
  assert.doesNotMatch(fs.readFileSync(path.join(dir, 'nixos/configuration.nix'), 'utf8'), /fileSystems\."\/mnt/);
});

test('a file changed on disk after the analysis: refused (exit 2), nothing written', async () => {
  await initNixParser();
  const dir = copyExample();
  const config = path.join(dir, 'nixos/configuration.nix');
  const analysed = fs.readFileSync(config, 'utf8');
  // The analysis sees the old text; meanwhile the user saved a change.
  const disk = new DiskFileSource();
  const host: FileSource = { readText: (file) => (file === config ? analysed : disk.readText(file)), exists: (file) => disk.exists(file), listDir: (dir) => disk.listDir(dir), readFailure: (file) => disk.readFailure(file) };
  fs.writeFileSync(config, `${analysed}\n# edited meanwhile\n`);
  const before = readTree(dir);
  assert.throws(() => runLintFix({ roots: [dir], snapshotDir: path.join(dir, 'snapshot'), settings: DEFAULT_SETTINGS }, host, dir), /configuration\.nix changed on disk since analysis/);
  assert.deepEqual(readTree(dir), before);
});

/** A workspace `ws/` whose configuration imports a module from `outside/`, next to it, with two fixable findings there. */
function workspaceWithOutsideImport(): { root: string; outsideModule: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nixos-homelab-outside-'));
  copies.push(root);
  fs.mkdirSync(path.join(root, 'outside'));
  fs.mkdirSync(path.join(root, 'ws/nixos'), { recursive: true });
  fs.mkdirSync(path.join(root, 'ws/docker/app'), { recursive: true });
  const outsideModule = path.join(root, 'outside/users.nix');
  fs.writeFileSync(
    outsideModule,
    '{ ... }:\n{\n  users.users.palav = {\n    isNormalUser = true;\n    extraGroups = [ "wheel" ];\n  };\n  users.groups.render.gid = 110;\n  virtualisation.docker.daemon.settings.log-opts.max-file = 3;\n}\n',
  );
  fs.writeFileSync(path.join(root, 'ws/nixos/configuration.nix'), '{ config, lib, pkgs, ... }:\n{\n  imports = [ ../../outside/users.nix ];\n  virtualisation.docker.enable = true;\n}\n');
  fs.writeFileSync(path.join(root, 'ws/docker/app/compose.yaml'), 'services:\n  app:\n    image: busybox\n');
  return { root, outsideModule };
}

test('lint --fix leaves a module outside the folders given alone and says which file and how to allow it', async () => {
  const { root, outsideModule } = workspaceWithOutsideImport();
  const before = fs.readFileSync(outsideModule, 'utf8');
  const run = await runCli(['lint', '--fix', 'ws'], { cwd: root });
  assert.equal(fs.readFileSync(outsideModule, 'utf8'), before, 'the module outside is not edited');
  assert.match(run.stdout, /^not changed: outside\/users\.nix is outside the folder given \(ws\); it would get: .*mkForce 110.*\. Run again with --fix-outside to allow editing it$/m);
  assert.equal(run.status, 1, 'its findings remain');
  assert.match(run.stdout, /outside\/users\.nix:\d+:\d+ +error .*\[reserved-gid-conflict\]/);

  const allowed = await runCli(['lint', '--fix', '--fix-outside', 'ws'], { cwd: root });
  assert.equal(allowed.status, 0, allowed.stdout + allowed.stderr);
  assert.match(allowed.stdout, /^outside\/users\.nix: .*users\.groups\.render\.gid = lib\.mkForce 110/m);
  assert.match(allowed.stdout, /^changed outside the folder given \(ws\) \(--fix-outside\): outside\/users\.nix$/m);
  const after = fs.readFileSync(outsideModule, 'utf8');
  assert.match(after, /users\.groups\.render\.gid = lib\.mkForce 110;/);
  assert.match(after, /max-file = "3";/);
});

test('--fix-outside without --fix is a usage error', async () => {
  const { root } = workspaceWithOutsideImport();
  assertOneLineError(await runCli(['lint', '--fix-outside', 'ws'], { cwd: root }), /--fix-outside needs --fix/);
});

test('lint --fix writes through a configuration.nix that links into a dotfiles repository, keeping the link and the mode', async () => {
  const dir = copyExample();
  const config = path.join(dir, 'nixos/configuration.nix');
  const dotfiles = fs.mkdtempSync(path.join(os.tmpdir(), 'nixos-homelab-dotfiles-'));
  copies.push(dotfiles);
  const real = path.join(dotfiles, 'configuration.nix');
  fs.copyFileSync(config, real);
  fs.chmodSync(real, 0o640);
  fs.rmSync(config);
  fs.symlinkSync(real, config);
  const before = fs.readFileSync(real, 'utf8');

  const run = await runCli(fixArgs(dir), { cwd: dir });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /^nixos\/configuration\.nix \(through the link, to .*configuration\.nix\): .*\+users\.users\.palav\.uid/m);
  assert.ok(fs.lstatSync(config).isSymbolicLink(), 'the link is still a link');
  assert.equal(fs.readlinkSync(config), real);
  const after = fs.readFileSync(real, 'utf8');
  assert.notEqual(after, before, 'the real file has the fixed text');
  assert.match(after, /uid = 1000;/);
  assert.equal(fs.statSync(real).mode & 0o777, 0o640);
  assert.deepEqual(fs.readdirSync(dotfiles), ['configuration.nix'], 'no temporary file left next to the target');
});

test('generate --out onto a link to nothing is refused with the link and what to do', async () => {
  const dir = copyExample();
  const out = path.join(dir, 'homelab.nix');
  fs.symlinkSync(path.join(dir, 'missing', 'homelab.nix'), out);
  const run = await runCli(['generate', '--snapshot', path.join(dir, 'snapshot'), '--out', out, '--force', dir], { cwd: dir });
  assertOneLineError(run, /homelab\.nix is a symbolic link to .*missing\/homelab\.nix, which does not exist; nothing written/);
  assert.ok(fs.lstatSync(out).isSymbolicLink());
});

test('files with lone CR line endings: every diagnostic range lies within its line, as LSP counts lines', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nixos-homelab-cr-'));
  copies.push(root);
  fs.mkdirSync(path.join(root, 'stack'));
  fs.writeFileSync(path.join(root, 'stack/docker-compose.yml'), 'services:\r  plex:\r    image: plex\r    environment:\r      - PUID=1000\r    devices:\r      - /dev/dri:/dev/dri\r');
  fs.writeFileSync(
    path.join(root, 'configuration.nix'),
    "{ config, lib, pkgs, ... }:\r{\r  virtualisation.docker.daemon.settings.log-opts.max-file = 3;\r  systemd.services.foo = {\r    after = [ \"network-online.target\" ];\r    script = ''\r      find . -print0 | while read f; do echo \"$f\"; done\r    '';\r  };\r  users.groups.render.gid = 110;\r}\r",
  );
  const run = await runCli(['lint', '--format', 'json', '.'], { cwd: root });
  const { diagnostics } = JSON.parse(run.stdout) as { diagnostics: { file: string; code: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }[] };
  assert.ok(diagnostics.some((d) => d.file === 'configuration.nix' && d.code === 'log-opts-not-strings'), run.stdout);
  // Compose reads a lone CR as a line break (YAML 1.2 §5.4): the file parses and its service is checked.
  assert.ok(!diagnostics.some((d) => d.code === 'compose-parse-error'), run.stdout);
  assert.ok(diagnostics.some((d) => d.file === 'stack/docker-compose.yml' && d.code === 'puid-unmapped' && d.range.start.line === 4), run.stdout);
  for (const diagnostic of diagnostics) {
    const lines = fs.readFileSync(path.join(root, diagnostic.file), 'utf8').split(/\r\n|\r|\n/);
    for (const end of [diagnostic.range.start, diagnostic.range.end]) {
      assert.ok(end.line < lines.length && end.character <= (lines[end.line] ?? '').length, `${diagnostic.file} ${diagnostic.code} ${JSON.stringify(diagnostic.range)}`);
    }
  }
  const logOpts = diagnostics.find((d) => d.code === 'log-opts-not-strings');
  assert.deepEqual(logOpts?.range, { start: { line: 2, character: 60 }, end: { line: 2, character: 61 } });
});
