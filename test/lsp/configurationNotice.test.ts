/**
 * Issue #15: a folder of stacks without any NixOS configuration gets one notice — a window/showMessage, once per
 * folder however often it is analysed — and no cross-check diagnostics; the compose-only checks still run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LspTestClient, REPO } from './lspClient';

const CROSS_CHECKS = new Set(['docker-not-enabled', 'puid-unmapped', 'pgid-unmapped', 'bind-mount-undeclared', 'gpu-without-toolkit', 'dri-without-gpu-firmware']);

test('no NixOS configuration: one information message for the folder, shown once; no cross-check diagnostics', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nhl-lsp-no-config-'));
  fs.cpSync(path.join(REPO, 'test', 'fixtures', 'real-shapes', 'compose-only'), root, { recursive: true });
  const client = await LspTestClient.start(root, {});
  const messages: { type: number; message: string }[] = [];
  client.connection.onNotification('window/showMessage', (params: { type: number; message: string }) => messages.push(params));
  try {
    const jellyfin = path.join(root, 'stacks', 'jellyfin', 'compose.yaml');
    const first = client.waitForDiagnostics(jellyfin, (d) => d.length > 0);
    client.open(jellyfin);
    const diagnostics = await first;
    assert.deepEqual(diagnostics.map((d) => d.code), ['published-port-bypasses-firewall']);

    // Edits re-analyse the folder: the notice is not shown again.
    for (let i = 0; i < 3; i++) {
      const next = client.waitForDiagnostics(jellyfin, (d) => d.some((diagnostic) => diagnostic.code === 'published-port-bypasses-firewall'));
      client.change(jellyfin, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: `# edit ${i}\n` }]);
      for (const diagnostic of await next) assert.ok(!CROSS_CHECKS.has(String(diagnostic.code)), String(diagnostic.code));
    }
    const paperless = path.join(root, 'stacks', 'paperless', 'docker-compose.yml');
    const other = client.waitForDiagnostics(paperless, (d) => d.length > 0, { acceptLatest: true });
    client.open(paperless);
    assert.deepEqual((await other).map((d) => d.code), ['unresolved-variable']);

    assert.equal(messages.length, 1, JSON.stringify(messages));
    assert.equal(messages[0]?.type, 3, 'MessageType.Info');
    assert.match(messages[0]?.message ?? '', /^NixOS Homelab: no NixOS configuration found in .*: the compose files were checked on their own/);
  } finally {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('with a NixOS configuration there is no such message', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nhl-lsp-with-config-'));
  fs.cpSync(path.join(REPO, 'test', 'fixtures', 'real-shapes', 'missing-hardware-configuration'), root, { recursive: true });
  const client = await LspTestClient.start(root, { nixosRelease: '24.11' });
  const messages: unknown[] = [];
  client.connection.onNotification('window/showMessage', (params: unknown) => messages.push(params));
  try {
    const compose = path.join(root, 'stacks', 'media', 'compose.yaml');
    const published = client.waitForDiagnostics(compose, (d) => d.length > 0);
    client.open(compose);
    const diagnostics = await published;
    // The grouped PUID finding keeps sonarr's line as related information.
    const puid = diagnostics.filter((d) => d.code === 'puid-unmapped');
    assert.equal(puid.length, 1);
    assert.ok(puid[0]?.relatedInformation?.some((r) => r.location.range.start.line === 18 && /sonarr/.test(r.message)));
    assert.deepEqual(messages, []);
  } finally {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
