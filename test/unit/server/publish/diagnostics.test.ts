import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver/node';
import type { Finding } from '../../../../src/core/types';
import { diagnosticKey, findingKey, toDiagnostic } from '../../../../src/server/publish/diagnostics';
import { encodeMessage } from '../../../../src/server/publish/stdioWriter';

const finding = (over: Partial<Finding> = {}): Finding => ({
  code: 'puid-unmapped',
  severity: 'warning',
  file: '/srv/homelab/docker/plex/docker-compose.yml',
  range: { start: { line: 7, character: 8 }, end: { line: 7, character: 17 } },
  message: 'PUID=1000 maps to no user of the host',
  related: [],
  host: { name: 'homelab', entry: '/srv/homelab/nixos/configuration.nix' },
  ...over,
});

/** The diagnostic as a client sends it back: plain JSON, the server's marks gone. */
const asSentBack = (diagnostic: Diagnostic): Diagnostic => JSON.parse(JSON.stringify(diagnostic)) as Diagnostic;

test('a diagnostic sent back by the client has the key of the finding it was made from; another finding another key', () => {
  const one = finding();
  const key = findingKey(one);
  assert.equal(diagnosticKey(asSentBack(toDiagnostic(one, 3, { hasConfiguration: true }))), key);
  assert.equal(diagnosticKey(asSentBack(toDiagnostic(finding({ host: undefined }), 3, { hasConfiguration: true }))), findingKey(finding({ host: undefined })));
  for (const other of [
    finding({ message: 'PUID=1001 maps to no user of the host' }),
    finding({ range: { start: { line: 8, character: 8 }, end: { line: 8, character: 17 } } }),
    finding({ code: 'pgid-unmapped' }),
    finding({ host: { name: 'other', entry: '/srv/homelab/hosts/other.nix' } }),
    finding({ host: undefined }),
  ]) {
    assert.notEqual(findingKey(other), key, JSON.stringify(other));
  }
});

test('a client diagnostic with a malformed data.host gets a key, not an exception', () => {
  const sent = asSentBack(toDiagnostic(finding(), 1, { hasConfiguration: true }));
  for (const host of [null, 5, 'homelab', { name: 1 }]) {
    assert.equal(typeof diagnosticKey({ ...sent, data: { version: 1, fixable: true, host } }), 'string');
  }
  assert.equal(typeof diagnosticKey({ ...sent, data: undefined }), 'string');
});

test('the diagnostics toDiagnostic makes are written by the stdio writer exactly as JSON.stringify writes them', () => {
  // The writer's contract (stdioWriter.ts): a marked diagnostic is its base's fields, in order, then `data` only.
  const related = [{ location: { file: '/srv/homelab/nixos/configuration.nix', range: { start: { line: 2, character: 2 }, end: { line: 2, character: 9 } } }, message: 'declared "here" ✓' }];
  const findings = [finding(), finding({ host: undefined }), finding({ related }), finding({ severity: 'error', code: 'docker-not-enabled', explanation: 'more' })];
  for (const version of [1, 2, null]) {
    for (const fixable of [true, false]) {
      const diagnostics = findings.map((one) => toDiagnostic(one, version, { hasConfiguration: fixable }));
      const message = { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: 'file:///srv/homelab/docker/plex/docker-compose.yml', version, diagnostics } };
      assert.equal(encodeMessage(message as never).toString('utf-8'), JSON.stringify(message));
    }
  }
});
