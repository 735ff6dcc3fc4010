/**
 * Issue #17, the editor half: the language server evaluates each host with the real Nix of this machine
 * (`nixosHomelab.evaluation.mode` auto, trusted workspace) on the test configurations of test/fixtures/eval (a
 * NixOS stand-in: nixpkgs cannot be fetched here), and merges what Nix says into the diagnostics. A `nix` first on
 * PATH records every call and runs the real one, so the tests can tell when Nix ran — and that it did not in an
 * untrusted workspace, with the mode off, or on a keystroke. Nix's store and the caches are temporary folders.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspTestClient, REPO, uriOf } from './lspClient';

const FIXTURES = path.join(REPO, 'test/fixtures/eval');
/** The real `nix` (the recording one execs it); undefined: Nix is not installed, the tests that need it are skipped. */
const REAL_NIX = (process.env['PATH'] ?? '').split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, 'nix')).find((file) => fs.existsSync(file));
let tmp = '';
let recordingBin = '';

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lsp-eval-'));
  recordingBin = path.join(tmp, 'bin');
  fs.mkdirSync(recordingBin);
  // Records "pid args" of every call, then becomes the real program (same pid: the test can tell it was killed).
  for (const program of ['nix', 'nix-instantiate']) {
    const real = REAL_NIX ? path.join(path.dirname(REAL_NIX), program) : program;
    fs.writeFileSync(path.join(recordingBin, program), `#!/bin/sh\necho "$$ ${program} $(echo "$*" | tr '\\n' ' ' | cut -c1-300)" >> "$NIX_CALLS"\nexec ${real} "$@"\n`, { mode: 0o755 });
  }
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Run {
  dir: string;
  client: LspTestClient;
  calls: () => { pid: number; line: string }[];
  messages: { type: number; message: string }[];
  statuses: { host: string; state: string; message?: string }[][];
}

async function start(fixture: string, settings: Record<string, unknown>, options: { files?: Record<string, string>; untrusted?: boolean; path?: string } = {}): Promise<Run> {
  const dir = fs.mkdtempSync(path.join(tmp, `${fixture}-`));
  fs.cpSync(path.join(FIXTURES, fixture), dir, { recursive: true });
  fs.cpSync(path.join(FIXTURES, 'fake-nixos'), path.join(dir, 'fake-nixos'), { recursive: true });
  for (const [name, text] of Object.entries(options.files ?? {})) fs.writeFileSync(path.join(dir, name), text);
  const log = path.join(dir, '.nix-calls');
  const env = {
    PATH: options.path ?? `${recordingBin}:${process.env['PATH'] ?? ''}`,
    NIX_CALLS: log,
    NIX_CONFIG: `store = ${path.join(tmp, 'store')}`,
    XDG_CACHE_HOME: path.join(tmp, 'xdg'),
  };
  // A cache folder of the run's own: an evaluation cached by an earlier test would not start Nix.
  const client = await LspTestClient.start(dir, settings, fs.mkdtempSync(path.join(tmp, 'cache-')), env, options.untrusted ? { untrusted: true } : {});
  const run: Run = {
    dir,
    client,
    calls: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((line) => ({ pid: Number(line.split(' ')[0]), line: line.slice(line.indexOf(' ') + 1) })) : []),
    messages: [],
    statuses: [],
  };
  client.connection.onNotification('window/showMessage', (params: { type: number; message: string }) => run.messages.push(params));
  client.connection.onNotification('nixosHomelab/evaluationStatus', (params: { hosts: { host: string; state: string; message?: string }[] }) => run.statuses.push(params.hosts));
  return run;
}

async function until(what: string, condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const codes = (diagnostics: Diagnostic[]): string[] => diagnostics.map((d) => String(d.code)).sort();
/** The evaluations of a host (not the listings of a flake's hosts, `#nixosConfigurations --apply builtins.attrNames`). */
const evaluations = (run: Run): string[] => run.calls().filter((call) => / eval .*#nixosConfigurations\./.test(call.line)).map((call) => call.line);
const save = (run: Run, file: string, text: string): void => {
  fs.writeFileSync(file, text);
  void run.client.connection.sendNotification('textDocument/didSave', { textDocument: { uri: uriOf(file) } });
};
/** Time for the server to have acted on what it was sent, when the test asserts that nothing happened. */
const settle = (ms = 1500): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** Saves a file as it is (a save is what starts an evaluation), then gives the server time to act on it. */
const saveAsIs = async (run: Run, file: string): Promise<void> => {
  save(run, file, fs.readFileSync(file, 'utf8'));
  await settle();
};
/** The genattrs-flake's compose file and configuration, opened; resolves with the compose file's first diagnostics. */
const openBoth = (run: Run): { compose: string; configuration: string; published: Promise<Diagnostic[]> } => {
  const compose = path.join(run.dir, 'stacks/plex/docker-compose.yml');
  const configuration = path.join(run.dir, 'configuration.nix');
  const published = run.client.waitForDiagnostics(compose, (d) => d.length > 0);
  run.client.open(compose);
  run.client.open(configuration);
  return { compose, configuration, published };
};

test('evaluation on: the static false findings go, the failed assertion comes with Nix\'s message; a save evaluates again, a keystroke does not', { skip: !REAL_NIX && 'nix is not installed' }, async () => {
  const run = await start('genattrs-flake', { 'evaluation.mode': 'auto' });
  const { client, dir } = run;
  try {
    const compose = path.join(dir, 'stacks/plex/docker-compose.yml');
    const configuration = path.join(dir, 'configuration.nix');
    const staticFindings = client.waitForDiagnostics(compose, (d) => d.length > 0);
    client.open(compose);
    // What the static reader guesses: it cannot follow genAttrs (palav) nor the module imported through a function.
    assert.deepEqual(codes(await staticFindings), ['bind-mount-undeclared', 'docker-not-enabled', 'puid-unmapped'].sort());

    const evaluated = await client.waitForDiagnostics(compose, (d) => !d.some((x) => x.code === 'puid-unmapped'), { acceptLatest: true, timeoutMs: 60_000 });
    assert.deepEqual(codes(evaluated), ['bind-mount-undeclared']);
    assert.match(evaluated[0]?.message ?? '', /\(evaluated\)/);
    const assertion = await client.waitForDiagnostics(configuration, (d) => d.some((x) => x.code === 'nixos-assertion'), { acceptLatest: true });
    const failed = assertion.find((d) => d.code === 'nixos-assertion');
    assert.match(failed?.message ?? '', /NixOS assertion failed: palav \(uid 1000\) must not run Docker on this test host/);
    assert.equal(failed?.range.start.line, 14, 'at the assertion in configuration.nix');
    assert.equal(evaluations(run).length, 1);
    assert.ok(run.statuses.some((hosts) => hosts.some((h) => h.host === 'nas' && h.state === 'evaluating')), 'the status said "evaluating"');
    assert.equal(run.statuses.at(-1)?.[0]?.state, 'evaluated');
    assert.deepEqual(run.messages, [], 'no notice when it worked');

    // Keystrokes: analysed again, never evaluated.
    client.open(configuration);
    const original = fs.readFileSync(configuration, 'utf8');
    client.change(configuration, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '# edited\n' }]);
    await settle();
    assert.equal(evaluations(run).length, 1, 'didChange does not evaluate');

    // A save evaluates again: Nix's new message replaces the old one.
    const changed = original.replace('must not run Docker on this test host', 'is not allowed Docker here');
    const lines = (client.textOf(configuration) ?? '').split('\n').length;
    client.change(configuration, [{ range: { start: { line: 0, character: 0 }, end: { line: lines, character: 0 } }, newText: changed }]);
    const reevaluated = client.waitForDiagnostics(configuration, (d) => d.some((x) => /is not allowed Docker here/.test(x.message)), { timeoutMs: 60_000 });
    save(run, configuration, changed);
    await reevaluated;
    assert.equal(evaluations(run).length, 2, 'the save evaluated once more');

    // A lock file change (the watcher's event) evaluates again too.
    fs.writeFileSync(path.join(dir, 'flake.lock'), '{ "nodes": { "root": {} }, "root": "root", "version": 7 }\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(path.join(dir, 'flake.lock')), type: 1 }] });
    await until('an evaluation after flake.lock changed', () => evaluations(run).length === 3);
    assert.deepEqual(run.messages, []);
  } finally {
    await client.stop();
  }
});

test('hosts only Nix finds: listed, evaluated, and their stacks checked against evaluated values only', { skip: !REAL_NIX && 'nix is not installed' }, async () => {
  const run = await start('mkhost-flake', { 'evaluation.mode': 'auto' });
  const { client, dir } = run;
  try {
    const compose = path.join(dir, 'stacks/jellyfin/docker-compose.yml');
    client.open(compose);
    const checked = await client.waitForDiagnostics(compose, (d) => d.some((x) => x.code === 'puid-unmapped'), { acceptLatest: true, timeoutMs: 60_000 });
    assert.deepEqual(codes(checked), ['bind-mount-undeclared', 'puid-unmapped']);
    assert.ok(checked.every((d) => /\(evaluated\)/.test(d.message)));
    assert.ok(run.calls().some((call) => /#nixosConfigurations --apply builtins\.attrNames/.test(call.line)), 'the flake\'s hosts were listed by Nix');
    assert.deepEqual(evaluations(run).map((line) => /#nixosConfigurations\.(\w+)/.exec(line)?.[1]).sort(), ['lab', 'media']);
    // The static analysis's notice (no host it can read) came before; the evaluation adds none: lab is left unchecked.
    assert.deepEqual(run.messages.map((m) => m.message.replace(/ in \/.*/s, '')), ['NixOS Homelab: no NixOS configuration found']);
  } finally {
    await client.stop();
  }
});

test('an untrusted workspace never starts Nix', async () => {
  const run = await start('genattrs-flake', { 'evaluation.mode': 'auto' }, { untrusted: true });
  try {
    const { compose, configuration, published } = openBoth(run);
    assert.deepEqual(codes(await published), ['bind-mount-undeclared', 'docker-not-enabled', 'puid-unmapped'].sort());
    await saveAsIs(run, configuration);
    assert.deepEqual(run.calls(), [], 'no nix process');
    assert.deepEqual(run.statuses, []);
    assert.deepEqual(run.messages, []);

    // Trust granted while running: evaluation starts.
    if (!REAL_NIX) return;
    await run.client.connection.sendNotification('nixosHomelab/workspaceTrusted', {});
    await run.client.waitForDiagnostics(compose, (d) => !d.some((x) => x.code === 'puid-unmapped'), { acceptLatest: true, timeoutMs: 60_000 });
    assert.equal(evaluations(run).length, 1);
  } finally {
    await run.client.stop();
  }
});

test('with the mode off nothing runs, not even on save', async () => {
  const run = await start('genattrs-flake', { 'evaluation.mode': 'off' });
  try {
    const { configuration, published } = openBoth(run);
    await published;
    await saveAsIs(run, configuration);
    assert.deepEqual(run.calls(), []);
    assert.deepEqual(run.statuses, []);
  } finally {
    await run.client.stop();
  }
});

test('nix absent from PATH: the same diagnostics, no notice, one log line', async () => {
  const emptyBin = path.join(tmp, 'empty-bin');
  fs.mkdirSync(emptyBin, { recursive: true });
  const run = await start('genattrs-flake', { 'evaluation.mode': 'auto' }, { path: emptyBin });
  try {
    const compose = path.join(run.dir, 'stacks/plex/docker-compose.yml');
    const published = run.client.waitForDiagnostics(compose, (d) => d.length > 0);
    run.client.open(compose);
    assert.deepEqual(codes(await published), ['bind-mount-undeclared', 'docker-not-enabled', 'puid-unmapped'].sort());
    await until('the log line', () => run.client.logs.some((line) => /`nix` is not on PATH/.test(line)), 10_000);
    const configuration = path.join(run.dir, 'configuration.nix');
    run.client.open(configuration);
    await saveAsIs(run, configuration);
    assert.equal(run.client.logs.filter((line) => /is not on PATH/.test(line)).length, 1, 'logged once');
    assert.deepEqual(run.messages, []);
    assert.deepEqual(run.statuses, []);
    assert.deepEqual(codes(run.client.diagnostics.get(uriOf(compose)) ?? []), ['bind-mount-undeclared', 'docker-not-enabled', 'puid-unmapped'].sort());
  } finally {
    await run.client.stop();
  }
});

const BUSY = '{ lib, ... }: let count = builtins.genList (x: x) 20000; busy = builtins.foldl\' (a: i: a + builtins.foldl\' (b: j: b + j) 0 count) 0 count; in { users.users.palav.uid = busy; }\n';

test('a timeout is one notice with the setting to raise; the static diagnostics stay', { skip: !REAL_NIX && 'nix is not installed' }, async () => {
  const run = await start('genattrs-flake', { 'evaluation.mode': 'auto', 'evaluation.timeout': 1 }, { files: { 'configuration.nix': BUSY } });
  try {
    const compose = path.join(run.dir, 'stacks/plex/docker-compose.yml');
    run.client.open(compose);
    await until('the notice', () => run.messages.length > 0);
    assert.equal(run.messages.length, 1);
    assert.equal(run.messages[0]?.type, 2, 'MessageType.Warning');
    assert.match(run.messages[0]?.message ?? '', /^NixOS Homelab: host nas: evaluation failed \(nix eval .*#nixosConfigurations\.nas\): it took longer than 1 s and was stopped \(raise the setting nixosHomelab\.evaluation\.timeout\); the static checks ran$/);
    assert.equal(run.statuses.at(-1)?.[0]?.state, 'failed');
    assert.ok((run.client.diagnostics.get(uriOf(compose)) ?? []).some((d) => d.code === 'docker-not-enabled'), 'the static findings stay');
    // The same failure again (a save without a change) is not shown twice.
    const configuration = path.join(run.dir, 'configuration.nix');
    run.client.open(configuration);
    save(run, configuration, BUSY);
    await until('the second evaluation', () => evaluations(run).length === 2);
    await until('its end', () => run.statuses.at(-1)?.[0]?.state === 'failed');
    assert.equal(run.messages.length, 1);
  } finally {
    await run.client.stop();
  }
});

test('a save while Nix runs cancels that evaluation (its process is killed) and evaluates the new text; no notice', { skip: !REAL_NIX && 'nix is not installed' }, async () => {
  const run = await start('genattrs-flake', { 'evaluation.mode': 'auto', 'evaluation.timeout': 120 }, { files: { 'configuration.nix': BUSY } });
  try {
    const compose = path.join(run.dir, 'stacks/plex/docker-compose.yml');
    const configuration = path.join(run.dir, 'configuration.nix');
    run.client.open(compose);
    run.client.open(configuration);
    await until('the first evaluation', () => evaluations(run).length === 1);
    // Nix has read the files (copied the flake) and is computing by now.
    await settle(2000);
    assert.equal(run.statuses.at(-1)?.[0]?.state, 'evaluating');
    const first = run.calls().find((call) => / eval .*#nixosConfigurations\./.test(call.line));
    const quick = fs.readFileSync(path.join(FIXTURES, 'genattrs-flake/configuration.nix'), 'utf8');
    const evaluated = run.client.waitForDiagnostics(configuration, (d) => d.some((x) => x.code === 'nixos-assertion'), { timeoutMs: 60_000 });
    save(run, configuration, quick);
    await evaluated;
    assert.equal(evaluations(run).length, 2);
    assert.throws(() => process.kill(first?.pid ?? 0, 0), 'the first nix was killed');
    assert.deepEqual(run.messages, [], 'a cancelled evaluation is no notice');
  } finally {
    await run.client.stop();
  }
});
