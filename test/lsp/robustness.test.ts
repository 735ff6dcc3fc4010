/**
 * The language server survives what a careless or hostile client, or a pathological document, throws at it
 * (issue #13): an exception in an analysis, malformed frames, a second `initialize`, invalid request params, and
 * documents over the size limit. Each test ends with the server alive and answering.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ResponseError, type Diagnostic } from 'vscode-languageserver-protocol';
import { copyExample, LspTestClient, uriOf } from './lspClient';

const settings = { snapshotPath: 'snapshot' };
const versionOf = (diagnostics: Diagnostic[]): number | null | undefined => (diagnostics[0]?.data as { version: number | null } | undefined)?.version;

async function withServer(run: (client: LspTestClient, root: string) => Promise<void>, { cacheDir, env }: { cacheDir?: string; env?: Record<string, string> } = {}): Promise<void> {
  const root = copyExample();
  const client = await LspTestClient.start(root, settings, cacheDir, env);
  try {
    await run(client, root);
    assert.ok(client.alive, 'the server must still run');
  } finally {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** Resolves once `check` holds, polling every 10 ms; rejects after `timeoutMs`. */
async function eventually(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Waits for the end of the first analysis of the workspace. */
async function indexed(client: LspTestClient): Promise<void> {
  await eventually('the workspace indexed', async () => (await client.connection.sendRequest<{ ready: boolean }>('nixosHomelab/workspaceSummary')).ready, 20_000);
}

/** A request the server answers from its analysis: the proof that it still reads and answers. */
async function assertAnswers(client: LspTestClient, what: string): Promise<void> {
  const answer = client.connection.sendRequest<{ files: number }>('nixosHomelab/workspaceSummary');
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer after ${what}; log:\n${client.logs.join('\n').slice(-2000)}`)), 5000));
  const summary = await Promise.race([answer, timeout]);
  assert.ok(summary.files > 0, `${what}: ${JSON.stringify(summary)}`);
}

/** What a request was answered with: the error code, or 'ok'. */
async function outcome(client: LspTestClient, method: string, params: unknown): Promise<number | 'ok'> {
  try {
    await client.connection.sendRequest(method, params);
    return 'ok';
  } catch (error) {
    if (error instanceof ResponseError) return error.code;
    throw error;
  }
}

const failures = (client: LspTestClient): string[] => client.logs.filter((line) => /Analysis of .* failed/.test(line));

const FAULT = 'nixos-homelab-injected-fault';
const START = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

test('an exception in an incremental re-analysis costs that analysis: logged once, requests answered, the next good text analysed', async () => {
  await withServer(
    async (client, root) => {
      const plex = path.join(root, 'docker', 'plex', 'docker-compose.yml');
      client.open(plex);
      const first = await client.waitForDiagnostics(plex, (d) => versionOf(d) === 1, { acceptLatest: true });
      client.change(plex, [{ range: START, newText: `# ${FAULT}\n` }]);
      // More keystrokes on a text that keeps failing the same way, each analysed on its own.
      for (let keystroke = 0; keystroke < 3; keystroke++) {
        client.change(plex, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, newText: ' ' }]);
        await assertAnswers(client, `keystroke ${keystroke}`);
      }
      assert.ok(client.alive, 'the exception must not end the process');
      assert.equal(failures(client).length, 1, `logged once, not once per keystroke:\n${failures(client).join('\n')}`);
      assert.match(failures(client)[0]!, /injected fault/);
      const hover = await outcome(client, 'textDocument/hover', { textDocument: { uri: uriOf(plex) }, position: { line: 9, character: 14 } });
      assert.equal(hover, -32803, 'a request that needs the failed analysis gets RequestFailed');
      assert.ok(!client.logs.some((line) => /hover failed/.test(line)), 'no stack per request');
      assert.deepEqual(client.diagnostics.get(uriOf(plex)), first, 'the last diagnostics stay');
      // The marker removed: analysed and published again.
      const fixedVersion = client.versionOf(plex)! + 1;
      const republished = client.waitForDiagnostics(plex, (d) => versionOf(d) === fixedVersion);
      client.change(plex, [{ range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, newText: '' }]);
      assert.deepEqual((await republished).map((d) => d.code), first.map((d) => d.code));
      // Failing again is logged again (it is a new failure after a success).
      client.change(plex, [{ range: START, newText: `# ${FAULT}\n` }]);
      await assertAnswers(client, 'the second failure');
      assert.equal(failures(client).length, 2);
    },
    { env: { NIXOS_HOMELAB_TEST_FAULT: FAULT } },
  );
});

test('the nested-default bomb of issue #13 in an open compose file leaves the server answering', async () => {
  await withServer(async (client, root) => {
    const plex = path.join(root, 'docker', 'plex', 'docker-compose.yml');
    client.open(plex);
    await client.waitForDiagnostics(plex, (d) => versionOf(d) === 1, { acceptLatest: true });
    // Made the interpolation overflow the stack (and the server exit) before the core bounded it.
    const depth = 20_000;
    client.change(plex, [{ range: START, newText: `x-bomb: "${'${A:-'.repeat(depth)}x${'}'.repeat(depth)}"\n` }]);
    client.change(plex, [{ range: START, newText: '#' }]);
    await assertAnswers(client, 'the bomb');
  });
});

/** One frame: header and body as given (the body's real byte length unless `length` says otherwise). */
function frame(body: string, header?: string): Buffer {
  return Buffer.from(`${header ?? `Content-Length: ${Buffer.byteLength(body, 'utf-8')}\r\n\r\n`}${body}`, 'utf-8');
}
const request = JSON.stringify({ jsonrpc: '2.0', id: 424242, method: 'nixosHomelab/workspaceSummary' });
const notification = JSON.stringify({ jsonrpc: '2.0', method: 'nixosHomelab/none' });

/** The malformed frames of issue #13 (21 kinds and a few more); after each, a valid request must be answered. */
const MALFORMED: [string, Buffer][] = [
  ['Content-Length too small', frame(request, 'Content-Length: 20\r\n\r\n')],
  ['Content-Length too large', frame(notification, `Content-Length: ${notification.length + 300}\r\n\r\n`)],
  ['Content-Length too large by a few bytes (cuts the next header)', frame(notification, `Content-Length: ${notification.length + 4}\r\n\r\n`)],
  ['negative Content-Length', frame(notification, 'Content-Length: -5\r\n\r\n')],
  ['huge Content-Length', frame(notification, 'Content-Length: 99999999999999999999\r\n\r\n')],
  ['Content-Length just over 64 MiB', frame(notification, `Content-Length: ${64 * 1024 * 1024 + 1}\r\n\r\n`)],
  ['missing Content-Length', frame(notification, 'Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n')],
  ['non-numeric Content-Length', frame(notification, 'Content-Length: abc\r\n\r\n')],
  ['empty Content-Length', frame(notification, 'Content-Length: \r\n\r\n')],
  ['fractional Content-Length', frame(notification, 'Content-Length: 12.5\r\n\r\n')],
  ['hexadecimal Content-Length', frame(notification, 'Content-Length: 0x40\r\n\r\n')],
  ['Content-Length with trailing text', frame(notification, `Content-Length: ${notification.length}abc\r\n\r\n`)],
  ['Content-Length 0', frame(notification, 'Content-Length: 0\r\n\r\n')],
  ['two different Content-Length headers', frame(notification, `Content-Length: ${notification.length}\r\nContent-Length: 7\r\n\r\n`)],
  ['header without a colon', frame(notification, `Content-Length ${notification.length}\r\n\r\n`)],
  ['header name with a space', frame(notification, `Content Length: ${notification.length}\r\n\r\n`)],
  ['header line without a name', frame(notification, `: ${notification.length}\r\n\r\n`)],
  ['lone CR line ends', frame(notification, `Content-Length: ${notification.length}\r\r`)],
  ['a header block over 8 KiB', frame(notification, `X-Padding: ${'a'.repeat(9000)}\r\nContent-Length: ${notification.length}\r\n\r\n`)],
  ['binary garbage', Buffer.from([0, 255, 254, 13, 10, 1, 2, 58, 13, 10, 13, 10, 200, 0, 7, 0x7b])],
  ['text without a line end', Buffer.from('hello world')],
  ['a body that is not JSON', frame('{"jsonrpc": "2.0", "id": 1, "method": ')],
  ['a body that is a JSON array (a batch)', frame(`[${notification}]`)],
  ['a body that is a JSON number', frame('42')],
  ['invalid UTF-8 in the body', Buffer.concat([Buffer.from('Content-Length: 4\r\n\r\n'), Buffer.from([0xc3, 0x28, 0xa0, 0xa1])])],
  ['an empty header block', Buffer.from('\r\n\r\n')],
  ['a JSON-RPC message of no kind', frame('{"jsonrpc":"2.0","id":7}')],
];

test('after each malformed frame the server resynchronises and answers the next valid request (none makes it exit)', async () => {
  await withServer(async (client) => {
    await indexed(client);
    for (const [kind, bytes] of MALFORMED) {
      const logsBefore = client.logs.length;
      client.process.stdin!.write(bytes);
      await assertAnswers(client, kind);
      assert.ok(client.alive, `${kind}: the process must not exit`);
      // stderr may arrive after the answer on stdout.
      const dropped = /dropped \d+ bytes of input: .*; reading on from the next Content-Length header/;
      if (kind !== 'a JSON-RPC message of no kind') await eventually(`${kind}: a stderr line says what was dropped`, () => dropped.test(client.logs.slice(logsBefore).join('')));
    }
  });
});

test('LF-only header lines are read as a frame', async () => {
  await withServer(async (client, root) => {
    const jellyfin = path.join(root, 'docker', 'jellyfin', 'compose.yaml');
    const text = fs.readFileSync(jellyfin, 'utf8');
    const didOpen = JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri: uriOf(jellyfin), languageId: 'dockercompose', version: 3, text } } });
    const opened = client.waitForDiagnostics(jellyfin, (d) => versionOf(d) === 3);
    client.process.stdin!.write(frame(didOpen, `Content-Length: ${Buffer.byteLength(didOpen)}\n\n`));
    assert.ok((await opened).length > 0);
  });
});

test('a second initialize is answered with InvalidRequest and changes nothing: folders, trust and cache folder stay', async () => {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nixos-homelab-lsp-cache-'));
  const otherCacheDir = path.join(os.tmpdir(), `nixos-homelab-lsp-other-cache-${process.pid}`);
  const otherFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'nixos-homelab-lsp-empty-'));
  try {
    await withServer(
      async (client, root) => {
        await indexed(client);
        const before = await client.connection.sendRequest<{ files: number }>('nixosHomelab/workspaceSummary');
        const targetsBefore = await client.connection.sendRequest('nixosHomelab/extractionTargets', {});
        const second = await outcome(client, 'initialize', {
          processId: null,
          rootUri: uriOf(otherFolder),
          workspaceFolders: [{ uri: uriOf(otherFolder), name: 'empty' }],
          capabilities: {},
          initializationOptions: { trusted: false, cacheDir: otherCacheDir },
        });
        assert.equal(second, -32600, 'InvalidRequest');
        assert.ok(client.logs.every((line) => !/TypeError/.test(line)));
        // The folders are the first initialize's: the same summary, the same extraction targets from the example.
        assert.deepEqual(await client.connection.sendRequest('nixosHomelab/workspaceSummary'), before);
        assert.deepEqual(await client.connection.sendRequest('nixosHomelab/extractionTargets', {}), targetsBefore);
        await assertAnswers(client, 'the second initialize');
        const plex = path.join(root, 'docker', 'plex', 'docker-compose.yml');
        client.open(plex);
        await client.waitForDiagnostics(plex, (d) => versionOf(d) === 1, { acceptLatest: true });
        // Still trusted, with the client's capabilities: a fix all that creates homelab.nix... is not needed here;
        // the quick fixes still come with versioned documentChanges, which the first initialize's capabilities allow.
        const diagnostics = client.diagnostics.get(uriOf(plex))!;
        const actions = await client.connection.sendRequest<{ edit?: { documentChanges?: unknown[] } }[]>('textDocument/codeAction', {
          textDocument: { uri: uriOf(plex) },
          range: diagnostics[0]!.range,
          context: { diagnostics },
        });
        assert.ok(actions.some((action) => (action.edit?.documentChanges?.length ?? 0) > 0), 'edits as documentChanges, as the first initialize allowed');
      },
      { cacheDir },
    );
    // Shut down: the parsed Nix modules went to the first initialize's cache folder, not the second's.
    assert.ok(fs.readdirSync(cacheDir).length > 0, 'the first cache folder is used');
    assert.ok(!fs.existsSync(otherCacheDir), 'the second initialize did not change the cache folder');
  } finally {
    for (const dir of [cacheDir, otherCacheDir, otherFolder]) fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('invalid request params are answered with InvalidParams and a short message, with no TypeError in the log', async () => {
  await withServer(async (client, root) => {
    const plex = path.join(root, 'docker', 'plex', 'docker-compose.yml');
    client.open(plex);
    await client.waitForDiagnostics(plex, (d) => versionOf(d) === 1, { acceptLatest: true });
    const uri = uriOf(plex);
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
    const cases: [string, string, unknown][] = [
      ['codeAction with range: null', 'textDocument/codeAction', { textDocument: { uri }, range: null, context: { diagnostics: [] } }],
      ['codeAction without textDocument', 'textDocument/codeAction', { range, context: { diagnostics: [] } }],
      ['codeAction without context', 'textDocument/codeAction', { textDocument: { uri }, range }],
      ['codeAction with a diagnostic without range', 'textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [{ code: 'puid-unmapped' }] } }],
      ['codeAction with only: a string', 'textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [], only: 'quickfix' } }],
      ['hover with a string line', 'textDocument/hover', { textDocument: { uri }, position: { line: '8', character: 14 } }],
      ['hover with a negative character', 'textDocument/hover', { textDocument: { uri }, position: { line: 8, character: -1 } }],
      ['hover with a fractional line', 'textDocument/hover', { textDocument: { uri }, position: { line: 1.5, character: 0 } }],
      ['hover without position', 'textDocument/hover', { textDocument: { uri } }],
      ['hover with textDocument: 5', 'textDocument/hover', { textDocument: 5, position: { line: 0, character: 0 } }],
      ['hover with params: null', 'textDocument/hover', null],
      ['definition with uri: null', 'textDocument/definition', { textDocument: { uri: null }, position: { line: 0, character: 0 } }],
      ['documentLink with a string', 'textDocument/documentLink', 'file:///x'],
      ['addImport without module', 'nixosHomelab/addImport', { entry: uri }],
      ['generateModule with folder: 42', 'nixosHomelab/generateModule', { folder: 42 }],
      ['extractionTargets with params: a string', 'nixosHomelab/extractionTargets', 'x'],
      ['applyAllFixes with uri: {}', 'nixosHomelab/applyAllFixes', { uri: {} }],
    ];
    for (const [what, method, params] of cases) {
      let error: ResponseError<unknown> | undefined;
      try {
        await client.connection.sendRequest(method, params);
      } catch (caught) {
        error = caught as ResponseError<unknown>;
      }
      assert.equal(error?.code, -32602, `${what}: ${error?.message ?? 'answered'}`);
      assert.ok(error.message.length < 200, `${what}: a short message: ${error.message}`);
    }
    assert.ok(client.logs.every((line) => !/TypeError|    at /.test(line)), client.logs.filter((line) => /TypeError|    at /.test(line)).join('\n'));
    // A valid request still works, and a notification with bad params is ignored with a short line.
    await client.connection.sendNotification('nixosHomelab/snapshotWritten', { folder: 7 });
    const hover = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 9, character: 14 } });
    assert.ok(hover !== undefined);
    assert.ok(client.logs.some((line) => /snapshotWritten ignored: invalid params: folder/.test(line)));
  });
});

test('an open document over the size limit gets one "too large to check" finding and is not analysed', async () => {
  await withServer(async (client, root) => {
    const big = path.join(root, 'nixos', 'big.nix');
    const text = `{ ... }: {\n${'  # padding padding padding padding padding padding padding padding padding padding\n'.repeat(52_000)}}\n`;
    assert.ok(text.length > 4 * 1024 * 1024);
    client.open(big, text);
    const diagnostics = await client.waitForDiagnostics(big, (d) => d.length > 0, { timeoutMs: 20_000 });
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0]!.code, 'nix-parse-error');
    assert.match(diagnostics[0]!.message, /^big\.nix is 4\.\d MB, too large to check \(the limit is 4 MB\): it was not analysed$/);
    // The output channel names the file and line.
    assert.equal(client.logs.filter((line) => line.includes(`${big}:1: big.nix is`) && /too large to check/.test(line)).length, 1, 'logged once, with file and line');
    // Typing on: still one finding, not logged again; back under the limit: analysed again.
    client.change(big, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, newText: '#' }]);
    await client.waitForDiagnostics(big, (d) => versionOf(d) === 2 && d.length === 1);
    assert.equal(client.logs.filter((line) => /too large to check/.test(line)).length, 1, 'still logged once');
    const shrunk = client.waitForDiagnostics(big, (d) => versionOf(d) === 3);
    client.change(big, [{ range: { start: { line: 1, character: 0 }, end: { line: 52_000, character: 0 } }, newText: '  x = ;\n' }]);
    const after = await shrunk;
    assert.ok(after.every((d) => !/too large/.test(d.message)));
    assert.ok(after.some((d) => d.code === 'nix-parse-error'), 'its syntax error, from an analysis');
    await assertAnswers(client, 'the large document');
  });
});
