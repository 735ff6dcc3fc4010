import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, parseDocument } from 'yaml';
import { expandSnippet } from './expandSnippet';

// Linting the expanded snippets with our own rules lives in snippetsLint.test.ts.

const repoRoot = join(__dirname, '..', '..');

interface SnippetDefinition {
  prefix: string | string[];
  body: string | string[];
  description: string;
  isFileTemplate?: boolean;
}

function loadSnippets(file: string): Array<[string, SnippetDefinition]> {
  const raw = JSON.parse(readFileSync(join(repoRoot, 'snippets', file), 'utf8')) as Record<string, SnippetDefinition>;
  return Object.entries(raw);
}

const nixSnippets = loadSnippets('nix.json');
const composeSnippets = loadSnippets('compose.json');

function expandOrFail(name: string, snippet: SnippetDefinition): string {
  const { text, unknownVariables } = expandSnippet(snippet.body);
  assert.deepEqual(unknownVariables, [], `${name}: unknown snippet variables (a missing \\$ escape?)`);
  return text;
}

/** Module text a snippet produces: file templates as they are, fragments inside a module's attribute set. */
function asModule(name: string, snippet: SnippetDefinition): string {
  const text = expandOrFail(name, snippet);
  if (snippet.isFileTemplate) return text + '\n';
  const body = text.split('\n').map((line) => (line === '' ? line : `  ${line}`)).join('\n');
  return `{ config, lib, pkgs, ... }:\n{\n${body}\n}\n`;
}

function nixInstantiate(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('nix-instantiate', ['--store', 'dummy://', ...args], { encoding: 'utf8' });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    assert.fail('nix-instantiate is not installed: the snippet oracle needs it (Debian: apt-get install nix-bin). This test never skips.');
  }
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('snippet files have the VS Code shape', () => {
  for (const [name, snippet] of [...nixSnippets, ...composeSnippets]) {
    const prefixes = Array.isArray(snippet.prefix) ? snippet.prefix : [snippet.prefix];
    assert.ok(prefixes.length > 0 && prefixes.every((p) => typeof p === 'string' && p.length > 0), `${name}: prefix`);
    assert.ok(typeof snippet.body === 'string' || (Array.isArray(snippet.body) && snippet.body.every((l) => typeof l === 'string')), `${name}: body`);
    assert.ok(typeof snippet.description === 'string' && snippet.description.length > 20, `${name}: description`);
  }
  assert.ok(nixSnippets.length >= 8 && composeSnippets.length >= 3);
});

test('every Nix snippet, expanded with its defaults, parses with nix-instantiate (one batched call)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nix-snippets-'));
  try {
    const files = nixSnippets.map(([name, snippet], index) => {
      const file = join(dir, `snippet${index}.nix`);
      writeFileSync(file, asModule(name, snippet));
      return { name, file };
    });
    const result = nixInstantiate(['--parse', ...files.map((f) => f.file)]);
    const culprit = files.find((f) => result.stderr.includes(f.file));
    assert.equal(result.status, 0, `nix-instantiate --parse failed${culprit ? ` on snippet "${culprit.name}"` : ''}:\n${result.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Evaluates every fragment snippet as a module against small stubs and returns the attribute sets, by name. */
function evaluateSnippets(): Record<string, Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'nix-snippets-eval-'));
  try {
    const entries = nixSnippets.map(([name, snippet], index) => {
      const file = join(dir, `snippet${index}.nix`);
      writeFileSync(file, asModule(name, snippet));
      return `  ${JSON.stringify(name)} = import ${file} args;`;
    });
    // lib.mkForce is stubbed with the shape the module system gives it, so the test sees what was forced.
    const expression = [
      'let',
      '  lib = { mkForce = content: { _type = "override"; priority = 50; inherit content; }; };',
      '  pkgs = builtins.listToAttrs (map (name: { inherit name; value = "/nix/store/stub-${name}"; })',
      '    [ "docker" "docker-compose" "findutils" "intel-media-driver" "intel-vaapi-driver" ]);',
      '  args = { config = { }; inherit lib pkgs; };',
      'in {',
      ...entries,
      '}',
    ].join('\n');
    const result = nixInstantiate(['--eval', '--strict', '--json', '-E', expression]);
    assert.equal(result.status, 0, `evaluating the snippets failed:\n${result.stderr}`);
    return JSON.parse(result.stdout) as Record<string, Record<string, unknown>>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('Nix snippets evaluate to the settings SPEC §3 asks for', () => {
  const modules = evaluateSnippets();
  const get = (name: string, path: string): unknown =>
    path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], modules[name]);

  // uid/gid parity and the forced render gid
  assert.equal(get('Homelab user with fixed uid/gid', 'users.users.palav.uid'), 1000);
  assert.equal(get('Homelab user with fixed uid/gid', 'users.users.palav.group'), 'palav');
  assert.equal(get('Homelab user with fixed uid/gid', 'users.groups.palav.gid'), 1000);
  assert.deepEqual(get('Homelab user with fixed uid/gid', 'users.groups.render.gid'), { _type: 'override', priority: 50, content: 110 });
  assert.deepEqual(get('Homelab user with fixed uid/gid', 'users.users.palav.extraGroups'), ['wheel', 'video', 'render', 'docker']);

  assert.deepEqual(get('Intel graphics (VA-API)', 'hardware.graphics.extraPackages'), ['/nix/store/stub-intel-media-driver', '/nix/store/stub-intel-vaapi-driver']);
  assert.equal(get('AMD graphics (VA-API)', 'hardware.graphics.enable'), true);

  const nvidia = 'NVIDIA driver and container toolkit';
  assert.deepEqual(get(nvidia, 'services.xserver.videoDrivers'), ['nvidia']);
  assert.equal(get(nvidia, 'hardware.nvidia.open'), true);
  assert.equal(get(nvidia, 'hardware.nvidia.modesetting.enable'), true);
  assert.equal(get(nvidia, 'hardware.nvidia-container-toolkit.enable'), true);
  assert.equal(get(nvidia, 'hardware.graphics.enable'), true);

  const docker = 'Docker with log rotation';
  assert.deepEqual(get(docker, 'virtualisation.docker.daemon.settings.log-opts'), { 'max-size': '10m', 'max-file': '3' });
  assert.equal(get(docker, 'virtualisation.docker.daemon.settings.log-driver'), 'json-file');
  assert.deepEqual(get(docker, 'environment.systemPackages'), ['/nix/store/stub-docker-compose']);
  assert.deepEqual(get(docker, 'users.users.palav.extraGroups'), ['docker']);

  const disk = get('Data disk by UUID', 'fileSystems./mnt/data');
  assert.deepEqual(disk, { device: '/dev/disk/by-uuid/UUID', fsType: 'ext4', options: ['nofail', 'noatime'] });

  const unit = get('Compose stacks autostart service', 'systemd.services.compose-stacks') as Record<string, unknown>;
  assert.deepEqual(unit.wants, ['network-online.target']);
  assert.deepEqual(unit.after, ['network-online.target', 'docker.service']);
  assert.deepEqual(unit.requires, ['docker.service']);
  assert.deepEqual(unit.unitConfig, { RequiresMountsFor: ['/mnt/data/stacks'] });
  assert.deepEqual(unit.path, ['/nix/store/stub-docker', '/nix/store/stub-findutils']);
  assert.deepEqual(unit.serviceConfig, { Type: 'oneshot', RemainAfterExit: true });
  const script = unit.script as string;
  assert.match(script, /^find \/mnt\/data\/stacks .* -print0 \|$/m);
  assert.match(script, /while IFS= read -r -d '' f; do/, "bash receives read -d '' (NUL-separated names)");
  assert.match(script, /docker compose -f "\$f" up -d \|\| echo "failed: \$f"/);
  assert.doesNotMatch(script, /^#!/m, 'no shebang: NixOS wraps the script itself');
});

test('every compose snippet, expanded with its defaults, is a YAML map without errors', () => {
  for (const [name, snippet] of composeSnippets) {
    const text = expandOrFail(name, snippet);
    const document = parseDocument(text);
    assert.deepEqual(document.errors.map((e) => e.message), [], `${name}:\n${text}`);
    const value: unknown = document.toJS();
    assert.ok(value !== null && typeof value === 'object' && !Array.isArray(value), `${name} is not a map`);
  }
});

test('compose snippets carry the settings NixOS needs', () => {
  const expanded = Object.fromEntries(composeSnippets.map(([name, snippet]) => [name, parseYaml(expandOrFail(name, snippet)) as Record<string, unknown>]));
  const service = expanded['linuxserver.io service']?.jellyfin as Record<string, unknown>;
  assert.equal(service.image, 'lscr.io/linuxserver/jellyfin:latest');
  assert.deepEqual(service.environment, ['PUID=1000', 'PGID=100', 'TZ=Etc/UTC']);
  assert.deepEqual(service.devices, ['/dev/dri:/dev/dri']);
  assert.deepEqual(service.volumes, ['/mnt/data/config/jellyfin:/config']);
  assert.deepEqual(expanded['/dev/dri passthrough'], { devices: ['/dev/dri:/dev/dri'], group_add: ['303'] });
  assert.deepEqual(expanded['NVIDIA GPU by CDI'], {
    deploy: { resources: { reservations: { devices: [{ driver: 'cdi', device_ids: ['nvidia.com/gpu=all'], capabilities: ['gpu'] }] } } },
  });
});
