import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Diagnostic, DocumentLink, Hover, Location } from 'vscode-languageserver-protocol';
import { copyExample, LspTestClient, uriOf } from './lspClient';

const codes = (diagnostics: Diagnostic[]): string[] => diagnostics.map((d) => String(d.code));
const settings = { snapshotPath: 'snapshot' };

async function withServer(run: (client: LspTestClient, root: string) => Promise<void>): Promise<void> {
  const root = copyExample();
  const client = await LspTestClient.start(root, settings);
  try {
    await run(client, root);
    assert.ok(client.alive, 'the server must still run');
  } finally {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

test('didOpen publishes the compose findings with rule ids, exact ranges, docs links, related information and data', async () => {
  await withServer(async (client, root) => {
    const plex = path.join(root, 'docker', 'plex', 'docker-compose.yml');
    const opened = client.waitForDiagnostics(plex, (d) => d.length > 0 && (d[0]?.data as { version: number | null })?.version === 1);
    client.open(plex);
    const diagnostics = await opened;
    for (const code of ['puid-unmapped', 'pgid-unmapped', 'docker-not-enabled', 'bind-mount-undeclared']) {
      assert.ok(codes(diagnostics).includes(code), `${code} in ${codes(diagnostics).join(', ')}`);
    }
    // The example's hardware-configuration.nix installs GPU firmware and NixOS's render nodes are 0666: no /dev/dri finding.
    assert.ok(!codes(diagnostics).some((code) => code.startsWith('dri-')), codes(diagnostics).join(', '));
    const pgid = diagnostics.find((d) => d.code === 'pgid-unmapped');
    // `      - PGID=110` on line 9 (0-based 8): the range covers `110`.
    assert.deepEqual(pgid?.range, { start: { line: 8, character: 13 }, end: { line: 8, character: 16 } });
    assert.equal(pgid?.source, 'nixos-homelab');
    assert.equal(pgid?.severity, 2, 'a warning: the container keeps its gid, host users lose access');
    assert.equal(pgid?.codeDescription?.href, 'https://github.com/nixos-homelab/nixos-homelab/blob/main/docs/rules/pgid-unmapped.md');
    assert.match(pgid?.relatedInformation?.[0]?.location.uri ?? '', /configuration\.nix$/);
    // Data stays small: the server finds the finding again from code and range; `host` names the host it was checked
    // against (the example's one configuration, a host named after its folder).
    assert.deepEqual(pgid?.data, { version: 1, fixable: true, host: { name: 'nixos', entry: path.join(root, 'nixos', 'configuration.nix') } });
    const docker = diagnostics.find((d) => d.code === 'docker-not-enabled');
    assert.deepEqual(docker?.range.start, { line: 1, character: 0 });
  });
});

test('the first analysis publishes every compose file of the workspace, opened or not, and the summary counts them', async () => {
  await withServer(async (client, root) => {
    const immich = path.join(root, 'docker', 'immich', 'docker-compose.yml');
    const diagnostics = await client.waitForDiagnostics(immich, (d) => d.length > 0, { acceptLatest: true });
    assert.ok(codes(diagnostics).includes('gpu-request-not-cdi'));
    assert.equal((diagnostics[0]?.data as { version: unknown }).version, null, 'not open: no version');
    type Summary = { counts: Record<string, number>; fixable: number; files: number; ready: boolean };
    // A stack is published as soon as its findings are final, ahead of the rest of the workspace: its diagnostics
    // do not mean the first analysis is done. Until it is, the summary says ready: false; then the server sends it.
    const ready = new Promise<Summary>((resolve) => {
      client.connection.onNotification('nixosHomelab/workspaceSummaryChanged', (changed: Summary) => {
        if (changed.ready) resolve(changed);
      });
    });
    const asked = await client.connection.sendRequest<Summary>('nixosHomelab/workspaceSummary');
    const summary = asked.ready ? asked : await ready;
    assert.equal(summary.ready, true);
    assert.equal(summary.files, 5);
    // At least docker-not-enabled in each of the five stacks (the /dev/dri stacks have no error: firmware and render nodes are fine).
    assert.ok(summary.counts['error']! >= 5, JSON.stringify(summary));
    assert.ok(summary.fixable > 0);
  });
});

test('an edit that fixes a finding re-publishes without it; other findings keep their place', async () => {
  await withServer(async (client, root) => {
    const plex = path.join(root, 'docker', 'plex', 'docker-compose.yml');
    client.open(plex);
    await client.waitForDiagnostics(plex, (d) => codes(d).includes('pgid-unmapped') && (d[0]?.data as { version: number }).version === 1);
    // PGID=110 → PGID=100: `users` (gid 100) is declared by NixOS itself.
    client.change(plex, [{ range: { start: { line: 8, character: 13 }, end: { line: 8, character: 16 } }, newText: '100' }]);
    const after = await client.waitForDiagnostics(plex, (d) => (d[0]?.data as { version: number } | undefined)?.version === 2);
    assert.ok(!codes(after).includes('pgid-unmapped'), codes(after).join(', '));
    assert.ok(codes(after).includes('puid-unmapped'));
  });
});

test('changing the open configuration.nix re-publishes the compose files checked against it', async () => {
  await withServer(async (client, root) => {
    const plex = path.join(root, 'docker', 'plex', 'docker-compose.yml');
    const jellyfin = path.join(root, 'docker', 'jellyfin', 'compose.yaml');
    const configuration = path.join(root, 'nixos', 'configuration.nix');
    client.open(plex);
    await client.waitForDiagnostics(plex, (d) => codes(d).includes('docker-not-enabled'), { acceptLatest: true });
    await client.waitForDiagnostics(jellyfin, (d) => codes(d).includes('docker-not-enabled'), { acceptLatest: true });
    client.open(configuration);
    const text = client.textOf(configuration)!;
    const line = text.split('\n').findIndex((l) => l.includes('services.openssh.enable'));
    const plexAfter = client.waitForDiagnostics(plex, (d) => !codes(d).includes('docker-not-enabled'));
    const jellyfinAfter = client.waitForDiagnostics(jellyfin, (d) => !codes(d).includes('docker-not-enabled'));
    client.change(configuration, [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: '  virtualisation.docker.enable = true;\n' }]);
    assert.ok(codes(await plexAfter).includes('pgid-unmapped'), 'the other findings stay');
    await jellyfinAfter;
    // Unsaved: the disk still has the old text, the open buffer wins.
    assert.ok(!fs.readFileSync(configuration, 'utf8').includes('virtualisation.docker'));
  });
});

test('a syntax error in the open configuration.nix is published on the Nix file', async () => {
  await withServer(async (client, root) => {
    const configuration = path.join(root, 'nixos', 'configuration.nix');
    client.open(configuration);
    const line = client.textOf(configuration)!.split('\n').findIndex((l) => l.includes('services.openssh.enable'));
    const broken = client.waitForDiagnostics(configuration, (d) => codes(d).includes('nix-parse-error'));
    client.change(configuration, [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: '  foo.bar = ;\n' }]);
    const diagnostics = await broken;
    assert.equal(diagnostics.find((d) => d.code === 'nix-parse-error')?.range.start.line, line);
  });
});

test('a watched .env change on disk re-publishes the stack that reads it', async () => {
  await withServer(async (client, root) => {
    const immich = path.join(root, 'docker', 'immich', 'docker-compose.yml');
    const env = path.join(root, 'docker', 'immich', '.env');
    const before = await client.waitForDiagnostics(immich, (d) => d.length > 0, { acceptLatest: true });
    assert.ok(!codes(before).includes('unresolved-variable'));
    fs.writeFileSync(env, fs.readFileSync(env, 'utf8').replace(/^DB_PASSWORD=.*\n/m, ''));
    const after = client.waitForDiagnostics(immich, (d) => codes(d).includes('unresolved-variable'));
    void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(env), type: 2 }] });
    const diagnostics = await after;
    assert.match(diagnostics.find((d) => d.code === 'unresolved-variable')?.message ?? '', /DB_PASSWORD/);
  });
});

test('hover says what a PUID/PGID maps to on NixOS, and definition jumps to the declaration', async () => {
  await withServer(async (client, root) => {
    const plex = path.join(root, 'docker', 'plex', 'docker-compose.yml');
    const configuration = path.join(root, 'nixos', 'configuration.nix');
    client.open(plex);
    await client.waitForDiagnostics(plex, (d) => d.length > 0, { acceptLatest: true });
    const textDocument = { uri: uriOf(plex) };
    const pgidHover = await client.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument, position: { line: 8, character: 14 } });
    const pgidText = (pgidHover?.contents as { value: string }).value;
    assert.match(pgidText, /PGID 110\*\* → no NixOS group has gid 110/);
    assert.match(pgidText, /old host gid 110 is `render`/);
    const deviceHover = await client.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument, position: { line: 12, character: 10 } });
    assert.match((deviceHover?.contents as { value: string }).value, /graphics is not enabled/);

    // Declare the uid in the open configuration: hover and definition follow the unsaved text.
    client.open(configuration);
    const line = client.textOf(configuration)!.split('\n').findIndex((l) => l.includes('services.openssh.enable'));
    const updated = client.waitForDiagnostics(plex, (d) => !codes(d).includes('puid-unmapped'));
    client.change(configuration, [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: '  users.users.palav.uid = 1000;\n' }]);
    await updated;
    const puidHover = await client.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument, position: { line: 7, character: 14 } });
    assert.match((puidHover?.contents as { value: string }).value, new RegExp(`PUID 1000\\*\\* → \`users.users.palav.uid = 1000\` \\(configuration.nix:${line + 1}\\)`));
    const definition = await client.connection.sendRequest<Location[] | null>('textDocument/definition', { textDocument, position: { line: 7, character: 14 } });
    assert.equal(definition?.[0]?.uri, uriOf(configuration));
    assert.equal(definition?.[0]?.range.start.line, line);
  });
});

test('env_file paths are document links to the files', async () => {
  await withServer(async (client, root) => {
    const immich = path.join(root, 'docker', 'immich', 'docker-compose.yml');
    client.open(immich);
    const links = await client.connection.sendRequest<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri: uriOf(immich) } });
    assert.equal(links.length, 2);
    assert.equal(links[0]?.target, uriOf(path.join(root, 'docker', 'immich', '.env')));
    assert.deepEqual(links[0]?.range, { start: { line: 11, character: 8 }, end: { line: 11, character: 12 } });
  });
});

test('a failing request costs one answer, never the server', async () => {
  await withServer(async (client, root) => {
    const plex = path.join(root, 'docker', 'plex', 'docker-compose.yml');
    await assert.rejects(
      client.connection.sendRequest('textDocument/hover', { textDocument: { uri: uriOf(plex) }, position: { line: 0, character: 0 } }),
      /not open/,
    );
    await assert.rejects(client.connection.sendRequest('textDocument/hover', { textDocument: { uri: 42 }, position: null }));
    client.open(plex);
    await client.waitForDiagnostics(plex, (d) => d.length > 0, { acceptLatest: true });
    const far = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: uriOf(plex) }, position: { line: 9999, character: 9999 } });
    assert.equal(far, null);
    const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: uriOf(plex) }, position: { line: 8, character: 14 } });
    assert.ok(hover, 'still answering');
  });
});

test('a cold workspace is indexed stack by stack: the open document first, each stack published once with its final diagnostics', async () => {
  const root = copyExample();
  const client = await LspTestClient.start(root, settings);
  try {
    const ready = new Promise<void>((resolve) => {
      client.connection.onNotification('nixosHomelab/workspaceSummaryChanged', (summary: { ready: boolean }) => {
        if (summary.ready) resolve();
      });
    });
    // Opened while the folder is still being read: its stack (the last one the walk finds) goes first.
    const agent = path.join(root, 'Projects', 'ai-agent', 'compose.yaml');
    client.open(agent);
    await ready;
    const composePublishes = client.publishes.filter((publish) => /compose\.ya?ml$/.test(publish.uri));
    assert.ok(composePublishes.length >= 3, `stacks published: ${composePublishes.map((p) => path.basename(path.dirname(p.uri))).join(', ')}`);
    assert.equal(composePublishes[0]?.uri, uriOf(agent), 'the open document is published first');
    for (const [uri, final] of client.diagnostics) {
      const published = client.publishes.filter((publish) => publish.uri === uri);
      // An early publish is final: the rest of the workspace changes nothing of a stack that stands alone.
      assert.equal(published.length, 1, `${path.basename(uri)} is published once: ${published.length}`);
      assert.deepEqual(published[0]?.diagnostics, final);
    }
  } finally {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a compose file opened while the workspace is still being indexed gets its diagnostics', async () => {
  // The benchmark's homelab (40 stacks, 31 modules): big enough for indexing to take several slices.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nixos-homelab-indexing-'));
  const { generateHomelab } = await import('../../bench/generate.mjs');
  generateHomelab(root);
  const client = await LspTestClient.start(root, {});
  try {
    // The first publish means indexing is under way; the new (unsaved) file is not in the list it started with.
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (client.publishes.length > 0) {
          clearInterval(poll);
          resolve();
        }
      }, 1);
    });
    const draft = path.join(root, 'docker', 'draft', 'compose.yaml');
    const published = client.waitForDiagnostics(draft, (d) => codes(d).includes('pgid-unmapped'));
    client.open(draft, 'services:\n  app:\n    image: lscr.io/linuxserver/radarr\n    environment:\n      - PUID=1000\n      - PGID=4242\n    volumes:\n      - ./config:/config\n');
    // A stack the indexing has read already, then opened and edited before the indexing ends: what is published for version 2 must be
    // computed from version 2 (PGID 110 → 100, the `users` group NixOS declares).
    const stack = path.join(root, 'docker', 'stack01', 'docker-compose.yml');
    const text = fs.readFileSync(stack, 'utf8');
    const line = text.split('\n').findIndex((l) => l.includes('PGID=110'));
    const character = text.split('\n')[line]?.indexOf('110') ?? -1;
    client.open(stack, text);
    client.change(stack, [{ range: { start: { line, character }, end: { line, character: character + 3 } }, newText: '100' }]);
    const edited = await client.waitForDiagnostics(stack, (d) => (d[0]?.data as { version: number } | undefined)?.version === 2, { acceptLatest: true });
    assert.ok(!edited.some((d) => d.code === 'pgid-unmapped' && d.range.start.line === line), 'version 2 is published with version 2 findings');
    await published;
  } finally {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('over stdio the server ends with its input: exit code 0 after shutdown, 1 without', async () => {
  for (const shutdownFirst of [true, false]) {
    const root = copyExample();
    const client = await LspTestClient.start(root, settings);
    try {
      const plex = path.join(root, 'docker', 'plex', 'docker-compose.yml');
      const published = client.waitForDiagnostics(plex, (d) => d.length > 0);
      client.open(plex, fs.readFileSync(plex, 'utf8'));
      await published;
      if (shutdownFirst) await client.connection.sendRequest('shutdown');
      const exited = new Promise<number | null>((resolve) => client.process.once('exit', (code) => resolve(code)));
      client.process.stdin?.end();
      const code = await Promise.race([exited, new Promise<string>((resolve) => setTimeout(() => resolve('still running after 10 s'), 10_000))]);
      assert.equal(code, shutdownFirst ? 0 : 1);
    } finally {
      await client.stop();
      fs.rmSync(root, { recursive: true, force: true });
    }
  }
});

test('a server keeps the parsed Nix modules when it shuts down, and a restarted one publishes the same diagnostics from them', async () => {
  const root = copyExample();
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nixos-homelab-lsp-trees-'));
  const plex = path.join(root, 'docker', 'plex', 'docker-compose.yml');
  const diagnosticsOfOneRun = async (): Promise<Diagnostic[]> => {
    const client = await LspTestClient.start(root, settings, cacheDir);
    try {
      const published = client.waitForDiagnostics(plex, (d) => d.length > 0);
      client.open(plex, fs.readFileSync(plex, 'utf8'));
      return await published;
    } finally {
      await client.stop();
    }
  };
  try {
    const first = await diagnosticsOfOneRun();
    const treeDir = path.join(cacheDir, 'nix-trees');
    const written = (): Record<string, number> => Object.fromEntries(fs.readdirSync(treeDir).map((name) => [name, fs.statSync(path.join(treeDir, name)).mtimeMs]));
    const trees = Object.keys(written()).filter((name) => name.endsWith('.json'));
    const modules = fs.readdirSync(path.join(root, 'nixos'), { recursive: true }).filter((name) => String(name).endsWith('.nix'));
    assert.ok(trees.length >= modules.length, `${trees.length} trees kept for ${modules.length} modules`);
    const before = written();
    const second = await diagnosticsOfOneRun();
    assert.deepEqual(second, first);
    assert.deepEqual(written(), before, 'no tree written again: every module was read from the kept trees');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
});
