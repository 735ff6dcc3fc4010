import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeMessage, JSON_BASE, type WithJsonBase } from '../../../../src/server/publish/stdioWriter';

/** Marks a copy of `base` plus `data` the way diagnostics.ts does. */
function marked(base: Record<string, unknown>, own: { data?: unknown }): Record<string, unknown> & WithJsonBase {
  const object: Record<string, unknown> & WithJsonBase = { ...base, ...own };
  object[JSON_BASE] = base;
  return object;
}

const base = {
  range: { start: { line: 3, character: 6 }, end: { line: 3, character: 14 } },
  severity: 1,
  code: 'pgid-unmapped',
  codeDescription: { href: 'https://example.invalid/rules/pgid-unmapped.md' },
  source: 'nixos-homelab',
  message: 'PGID `110` of service `plex` — "permission denied" \\ ünïcode ✓ \u2028',
  relatedInformation: [{ location: { uri: 'file:///x/configuration.nix', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }, message: 'here' }],
};

function publish(diagnostics: unknown[], extra: Record<string, unknown> = { version: 7 }): { jsonrpc: string; method: string; params: unknown } {
  return { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: 'file:///x/docker-compose.yml', diagnostics, ...extra } };
}

test('a publish is written byte for byte as JSON.stringify writes it, marked diagnostics or not', () => {
  const cases = [
    publish([]),
    publish([marked(base, { data: { version: 7, fixable: true } })]),
    publish([marked(base, { data: { version: 7, fixable: true } }), { ...base, data: { version: 7, fixable: false } }, marked(base, { data: { version: null, fixable: false } })]),
    publish([marked(base, { data: undefined })], {}),
    publish([marked({}, { data: { version: 1, fixable: true } }), marked({}, {}), marked(base, {})]),
    publish([marked({ ...base, tags: [1] }, { data: { version: 2, fixable: true } })], { version: 2 }),
    // Only the params' own `diagnostics` is taken apart, wherever look-alikes sit.
    { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { before: { diagnostics: [] }, uri: 'file:///"diagnostics":[]', diagnostics: [marked(base, { data: 1 })], after: undefined, version: 1 } },
  ];
  for (const message of cases) {
    const expected = Buffer.from(JSON.stringify(message), 'utf-8');
    assert.deepEqual(encodeMessage(message as never), expected, JSON.stringify(message).slice(0, 200));
    // Twice: the second time the bases' bytes come from the cache.
    assert.deepEqual(encodeMessage(message as never), expected);
  }
});

test('a data object leading with its version is written from the rest kept per base, only while the rest is the same', () => {
  const host = { name: 'nas', entry: '/srv/flake/hosts/nas/configuration.nix' };
  const other = { name: 'nas', entry: '/srv/other/configuration.nix' };
  // One base, published again and again with data that changes in each way the cache must notice.
  const data: unknown[] = [
    { version: 1, fixable: true, host },
    { version: 2, fixable: true, host },
    { version: null, fixable: true, host },
    { version: 3, fixable: false, host },
    { version: 4, fixable: false, host: other },
    { version: 5, fixable: false, host: { ...other } },
    { version: 6, fixable: false },
    { version: 7, fixable: false, host: undefined },
    { version: 8, fixable: false, host: undefined, tags: [1] },
    { fixable: false, version: 9 },
    { version: 10, fixable: false },
    { version: '11', fixable: false },
    { version: 12 },
    { version: 13, fixable: 'yes', host },
  ];
  for (const one of data) {
    const message = publish([marked(base, { data: one })]);
    assert.deepEqual(encodeMessage(message as never).toString('utf-8'), JSON.stringify(message), JSON.stringify(one));
  }
});

test('other messages are plain JSON, and the mark never reaches the wire', () => {
  const request = { jsonrpc: '2.0', id: 4, method: 'workspace/configuration', params: { items: [{ section: 'nixosHomelab' }] } };
  assert.deepEqual(encodeMessage(request as never), Buffer.from(JSON.stringify(request)));
  const response = { jsonrpc: '2.0', id: 5, result: [marked(base, { data: 1 })] };
  assert.deepEqual(encodeMessage(response as never), Buffer.from(JSON.stringify(response)));
  const text = encodeMessage(publish([marked(base, { data: { version: 7, fixable: true } })]) as never).toString('utf-8');
  assert.deepEqual(JSON.parse(text).params.diagnostics[0], { ...base, data: { version: 7, fixable: true } });
  assert.ok(!text.includes('jsonBase'));
});

test('a framed message is the Content-Length header (of the body in bytes) and the body, in one buffer', () => {
  const message = publish([marked(base, { data: { version: 7, fixable: true } })]);
  const body = Buffer.from(JSON.stringify(message), 'utf-8');
  assert.ok(body.length > JSON.stringify(message).length, 'the body has multi-byte characters');
  assert.deepEqual(encodeMessage(message as never, true), Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
});
