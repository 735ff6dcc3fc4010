import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeAction, Diagnostic, TextDocumentEdit } from 'vscode-languageserver-protocol';
import { parse } from 'yaml';
import { copyExample, LspTestClient, uriOf } from './lspClient';

const versionOf = (diagnostics: Diagnostic[]): number | null | undefined => (diagnostics[0]?.data as { version: number | null } | undefined)?.version;

test('the preferred quick fix for `runtime: nvidia` rewrites the service to a CDI reservation, and the diagnostic goes away', async () => {
  const root = copyExample();
  const client = await LspTestClient.start(root, { snapshotPath: 'snapshot' });
  try {
    const agent = path.join(root, 'Projects', 'ai-agent', 'compose.yaml');
    client.open(agent);
    const diagnostics = await client.waitForDiagnostics(agent, (d) => versionOf(d) === 1, { acceptLatest: true });
    const runtime = diagnostics.find((d) => d.code === 'gpu-request-not-cdi' && /runtime: nvidia/.test(d.message));
    assert.ok(runtime, JSON.stringify(diagnostics.map((d) => d.code)));
    const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: uriOf(agent) }, range: runtime.range, context: { diagnostics: [runtime] } });
    const preferred = actions.find((a) => a.isPreferred);
    assert.ok(preferred, JSON.stringify(actions.map((a) => a.title)));
    assert.match(preferred.title, /ollama through CDI/);
    const edit = preferred.edit?.documentChanges?.[0] as TextDocumentEdit;
    assert.equal(edit.textDocument.uri, uriOf(agent));
    const gone = client.waitForDiagnostics(agent, (d) => d.length > 0 && !d.some((x) => x.code === 'gpu-request-not-cdi' && /runtime: nvidia/.test(x.message)));
    client.applyWorkspaceEdit(preferred.edit!);
    await gone;
    const ollama = (parse(client.textOf(agent)!) as { services: Record<string, { runtime?: string; deploy?: { resources: { reservations: { devices: unknown } } } }> }).services['ollama'];
    assert.equal(ollama?.runtime, undefined);
    assert.deepEqual(ollama?.deploy?.resources.reservations.devices, [{ driver: 'cdi', device_ids: ['nvidia.com/gpu=all'], capabilities: ['gpu'] }]);
    assert.ok(client.alive);
  } finally {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
