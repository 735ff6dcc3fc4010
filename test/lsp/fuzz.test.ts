/**
 * The language server under random edits and malformed frames (issue #13): seeded and bounded, so every run checks
 * the same cases. Random insertions of YAML/Nix/interpolation tokens and deletions on open compose, .env and .nix
 * documents (the text an editor sends while someone types or pastes), malformed frames written between them,
 * requests with random params; at checkpoints and at the end the server must be alive and answer within a deadline.
 *
 * `FUZZ_ITERATIONS=2000` runs longer, `FUZZ_SEED=7` another seed; a failure names its seed and step.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { prng } from '../unit/helpers/prng';
import { copyExample, LspTestClient, uriOf } from './lspClient';

const SEED = Number(process.env.FUZZ_SEED ?? 20260713);
const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 300);
/** A checkpoint request must be answered within this (an analysis that hangs shows up here). */
const ANSWER_WITHIN_MS = 15_000;
const CHECKPOINT_EVERY = 20;

const YAML_TOKENS = ['\n', '\n  ', '\n    - ', ': ', '- ', '&a ', '*a', '<<: *a\n', '{', '}', '[', ']', '"', "'", '#', '? ', '|\n', '>-\n', '!!str ', '---\n', '...\n', '\t', 'services:\n', 'PUID=1000', 'PGID=110', 'user: "1000:110"', '/dev/dri:/dev/dri', '/mnt/PlexStorage:/data', 'driver: nvidia', 'gpus: all'];
const INTERPOLATION_TOKENS = ['${', '}', '$$', '${A:-', '${A:?err}', '${PUID}', '$PUID', '${A-${B:-x}}', 'A=${A}${A}\n', 'PUID=\n'];
const NIX_TOKENS = ['{', '}', ';', '=', '(', ')', '[', ']', '"', "''", '${', '#', '/*', '*/', 'let ', ' in ', 'rec ', 'inherit ', 'with pkgs; ', './x.nix', 'https://example.com/a?b=c', 'lib.mkForce ', 'users.users.palav.uid = 1000;', 'users.groups.render.gid = 110;', 'hardware.graphics.enable = true;', 'imports = [ ./hardware-configuration.nix ];', ':', '@', '...', ', '];
const ODD_TOKENS = ['\u0000', 'ü', '\u2028', '✓', '\\', '\u00a0', 'x'.repeat(200)];
const ALL_TOKENS = [...YAML_TOKENS, ...INTERPOLATION_TOKENS, ...NIX_TOKENS, ...ODD_TOKENS];

/** Malformed frames written between valid messages (each kind is checked one by one in robustness.test.ts). */
const BAD_FRAMES = [
  'Content-Length: 20\r\n\r\n{"jsonrpc":"2.0","method":"nixosHomelab/none","params":{}}',
  'Content-Length: 400\r\n\r\n{"jsonrpc":"2.0","method":"nixosHomelab/none"}',
  'Content-Length: -3\r\n\r\n{}',
  'Content-Length: 99999999999999\r\n\r\n',
  'Content-Type: text/plain\r\n\r\n{}',
  'Content-Length 12\r\n\r\n{}',
  'Content-Length: 2\n\n{}',
  'Content-Length: abc\r\n\r\n',
  '\u0000\u00ff\u00fe garbage \r\n\r\n',
  'hello',
  'Content-Length: 5\r\n\r\n{{{{{',
  'Content-Length: 2\r\n\r\n[]',
].map((text) => Buffer.from(text, 'latin1'));

/** Requests with params a careless client could send; each must be answered (result or error), never dropped. */
function randomRequest(random: () => number, uri: string): [string, unknown] {
  const position = { line: Math.floor(random() * 40), character: Math.floor(random() * 30) };
  const options: [string, unknown][] = [
    ['textDocument/hover', { textDocument: { uri }, position }],
    ['textDocument/definition', { textDocument: { uri }, position }],
    ['textDocument/documentLink', { textDocument: { uri } }],
    ['textDocument/codeAction', { textDocument: { uri }, range: { start: position, end: position }, context: { diagnostics: [] } }],
    ['textDocument/codeAction', { textDocument: { uri }, range: null, context: { diagnostics: [] } }],
    ['textDocument/hover', { textDocument: { uri }, position: { line: -1, character: 'x' } }],
    ['textDocument/hover', { textDocument: { uri: 'file:///not/open.yml' }, position }],
    ['nixosHomelab/workspaceSummary', undefined],
    ['nixosHomelab/extractionTargets', {}],
    ['nixosHomelab/generateModule', { folder: 42 }],
  ];
  return options[Math.floor(random() * options.length)]!;
}

function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** Resolves with the request's outcome, or rejects when it is not answered within the deadline. */
async function answered(client: LspTestClient, method: string, params: unknown, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: ${method} not answered within ${ANSWER_WITHIN_MS} ms (alive: ${client.alive})`)), ANSWER_WITHIN_MS);
  });
  try {
    await Promise.race([client.connection.sendRequest(method, params).catch(() => 'error answer'), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

test(`random edits, malformed frames and odd requests leave the server alive and answering (seed ${SEED}, ${ITERATIONS} steps)`, async (t) => {
  const random = prng(SEED);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const root = copyExample();
  const client = await LspTestClient.start(root, { snapshotPath: 'snapshot' });
  const documents = [
    path.join(root, 'docker', 'plex', 'docker-compose.yml'),
    path.join(root, 'docker', 'immich', 'docker-compose.yml'),
    path.join(root, 'docker', 'immich', '.env'),
    path.join(root, 'nixos', 'configuration.nix'),
    path.join(root, 'nixos', 'scratch.nix'),
  ];
  let step = -1;
  let action = 'start';
  try {
    for (const file of documents) client.open(file, fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '{ config, ... }: {\n}\n');
    for (step = 0; step < ITERATIONS; step++) {
      const roll = random();
      const file = pick(documents);
      const text = client.textOf(file) ?? '';
      if (roll < 0.55) {
        const token = pick(ALL_TOKENS);
        const at = positionAt(text, Math.floor(random() * (text.length + 1)));
        action = `insert ${JSON.stringify(token)} into ${path.basename(file)} at ${at.line}:${at.character}`;
        client.change(file, [{ range: { start: at, end: at }, newText: random() < 0.1 ? token.repeat(1 + Math.floor(random() * 300)) : token }]);
      } else if (roll < 0.8) {
        const start = Math.floor(random() * (text.length + 1));
        const end = Math.min(text.length, start + Math.floor(random() * (random() < 0.1 ? 400 : 12)));
        action = `delete ${start}..${end} of ${path.basename(file)}`;
        client.change(file, [{ range: { start: positionAt(text, start), end: positionAt(text, end) }, newText: '' }]);
      } else if (roll < 0.9) {
        const frame = pick(BAD_FRAMES);
        action = `malformed frame ${JSON.stringify(frame.toString('latin1').slice(0, 40))}`;
        client.process.stdin!.write(frame);
      } else {
        const [method, params] = randomRequest(random, uriOf(file));
        action = `${method} ${JSON.stringify(params)?.slice(0, 120)}`;
        await answered(client, method, params, `seed ${SEED} step ${step}`);
      }
      if (step % CHECKPOINT_EVERY === CHECKPOINT_EVERY - 1) {
        action += ' (checkpoint)';
        await answered(client, 'nixosHomelab/workspaceSummary', undefined, `seed ${SEED} step ${step}`);
      }
      assert.ok(client.alive, `the server exited; log:\n${client.logs.join('\n').slice(-3000)}`);
    }
    // An exception in the pipeline is survived (that is what this checks) but is still a bug in core: shown.
    for (const line of client.logs.filter((entry) => /Analysis of .* failed/.test(entry))) t.diagnostic(`pipeline exception (survived): ${line.slice(0, 600)}`);
    action = 'final hover and shutdown';
    await answered(client, 'textDocument/hover', { textDocument: { uri: uriOf(documents[0]!) }, position: { line: 0, character: 0 } }, `seed ${SEED} end`);
    await answered(client, 'shutdown', undefined, `seed ${SEED} end`);
    assert.ok(client.alive);
  } catch (error) {
    throw new Error(`LSP fuzz failed at seed ${SEED} step ${step} (${action}); replay with FUZZ_SEED=${SEED}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  } finally {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
