// Language-server benchmark (issue 4 targets), driven over real JSON-RPC against dist/server.js --stdio:
//  - server start → first publishDiagnostics (≤ 500 ms) on the generated homelab: cold (empty parse cache), and a
//    restart with the Nix syntax trees the first server kept (the usual case: the editor is opened again),
//  - didOpen of a new 50-service compose file → its publishDiagnostics, with the Nix index warm (reported),
//  - 200 one-character didChange edits → publishDiagnostics (p95 ≤ 10 ms, and ≤ 1.5× the p95 of a plain YAML
//    parse of the same file: the floor any compose-aware server pays),
//  - RSS of the server after indexing (≤ 150 MB),
//  - the same edits in the same file written with a YAML anchor merged into its services (reported).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { bigComposeFile, bigComposeFileWithAnchors } from './generate.mjs';

const OPEN_RUNS = 20;
const CHANGE_RUNS = 200;

export async function benchLanguageServer({ root, homelab, median, p95 }) {
  const require = createRequire(join(root, 'package.json'));
  const rpc = require('vscode-jsonrpc/node');
  const YAML = require('yaml');
  const uri = (file) => pathToFileURL(file).href;
  const lines = [];
  const results = [];
  const fmt = (ms) => `${ms.toFixed(2)} ms`;

  // Files the run adds are removed first: a previous run must not make this one warmer.
  const removeAddedStacks = () => {
    for (const name of [...Array.from({ length: OPEN_RUNS }, (_, i) => `big${i}`), 'anchored']) rmSync(join(homelab, 'docker', name), { recursive: true, force: true });
  };
  removeAddedStacks();

  // A cache folder of its own, empty: the first start is cold.
  const cacheDir = mkdtempSync(join(tmpdir(), 'nixos-homelab-bench-cache-'));
  const startServer = () => spawn(process.execPath, [...(process.env.NIXOS_HOMELAB_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean), join(root, 'dist', 'server.js'), '--stdio'], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, NIXOS_HOMELAB_CACHE_DIR: cacheDir },
  });
  const started = performance.now();
  const child = startServer();
  const connection = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  const waiters = new Map(); // uri → { version, resolve }
  let firstPublish;
  const firstDiagnostics = new Promise((resolve) => (firstPublish = resolve));
  let indexed;
  const indexingDone = new Promise((resolve) => (indexed = resolve));
  connection.onNotification('nixosHomelab/workspaceSummaryChanged', (summary) => {
    if (summary.ready) indexed(performance.now());
  });
  connection.onNotification('textDocument/publishDiagnostics', (params) => {
    firstPublish(performance.now());
    const waiter = waiters.get(params.uri);
    if (waiter && (waiter.version === undefined || params.version === waiter.version)) {
      waiters.delete(params.uri);
      waiter.resolve({ at: performance.now(), count: params.diagnostics.length });
    }
  });
  answerServerRequests(connection);
  connection.listen();
  const published = (file, version) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no publishDiagnostics for ${file} v${version} within 30 s`)), 30_000);
    waiters.set(uri(file), { version, resolve: (value) => (clearTimeout(timer), resolve(value)) });
  });

  try {
    await initialize(connection, homelab);
    const startMs = (await firstDiagnostics) - started;
    // The server publishes stack by stack; the workspace is indexed once the summary says it is ready.
    const indexedMs = (await indexingDone) - started;
    const indexedRssMb = residentMegabytes(child.pid);
    lines.push(`(c) server start → first diagnostics, cold: ${fmt(startMs)} (target ≤ 500 ms); whole workspace indexed: ${fmt(indexedMs)}`);
    results.push({ name: '(c) server start → first diagnostics, cold (ms vs 500 ms)', ours: startMs, peer: 500, ratio: startMs / 500, target: 1 });

    const text = bigComposeFile(50);
    const openTimes = [];
    let diagnosticsCount = 0;
    for (let i = 0; i < OPEN_RUNS; i++) {
      const dir = join(homelab, 'docker', `big${i}`);
      mkdirSync(dir, { recursive: true });
      const file = join(dir, 'docker-compose.yml');
      writeFileSync(file, text);
      const done = published(file, 1);
      const t0 = performance.now();
      void connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(file), languageId: 'dockercompose', version: 1, text } });
      const { at, count } = await done;
      openTimes.push(at - t0);
      diagnosticsCount = count;
    }
    // Reported, not targeted: the 10 ms target is the edit case's.
    lines.push(`(c) didOpen 50-service compose → publish (warm Nix index, ${diagnosticsCount} diagnostics): median ${fmt(median(openTimes))}, p95 ${fmt(p95(openTimes))} (reported)`);

    // One-character edits on the PGID of the first service: 110 ↔ 111, each a real change of findings input.
    const editTimes = async (file, text) => {
      const textLines = text.split('\n');
      const line = textLines.findIndex((l) => l.includes('PGID=110'));
      const character = textLines[line].indexOf('PGID=110') + 'PGID=11'.length;
      const times = [];
      let current = text;
      for (let version = 2; version < CHANGE_RUNS + 2; version++) {
        const digit = version % 2 === 0 ? '1' : '0';
        const done = published(file, version);
        const t0 = performance.now();
        void connection.sendNotification('textDocument/didChange', {
          textDocument: { uri: uri(file), version },
          contentChanges: [{ range: { start: { line, character }, end: { line, character: character + 1 } }, text: digit }],
        });
        await done;
        times.push(performance.now() - t0);
        current = current.split('\n').map((l, i) => (i === line ? l.slice(0, character) + digit + l.slice(character + 1) : l)).join('\n');
      }
      return { times, current };
    };
    const { times: changeTimes, current } = await editTimes(join(homelab, 'docker', 'big0', 'docker-compose.yml'), text);
    const parseTimes = [];
    for (let i = 0; i < CHANGE_RUNS; i++) {
      const t0 = performance.now();
      YAML.parseDocument(current);
      parseTimes.push(performance.now() - t0);
    }
    lines.push(`(c) 1-char didChange → publish: median ${fmt(median(changeTimes))}, p95 ${fmt(p95(changeTimes))} (target p95 ≤ 10 ms) | YAML parse of the file: median ${fmt(median(parseTimes))}, p95 ${fmt(p95(parseTimes))} | ratio of p95 ${(p95(changeTimes) / p95(parseTimes)).toFixed(2)} (target ≤ 1.5)`);
    results.push({ name: '(c) didChange → publish p95 (ms vs 10 ms)', ours: p95(changeTimes), peer: 10, ratio: p95(changeTimes) / 10, target: 1 });
    results.push({ name: '(c) didChange → publish p95 vs YAML parse p95', ours: p95(changeTimes), peer: p95(parseTimes), ratio: p95(changeTimes) / p95(parseTimes), target: 1.5 });

    const rssMb = residentMegabytes(child.pid);
    lines.push(`(c) server RSS after indexing: ${indexedRssMb.toFixed(1)} MB (target ≤ 150 MB); after the ${OPEN_RUNS} opens and ${CHANGE_RUNS} edits above: ${rssMb.toFixed(1)} MB`);
    results.push({ name: '(c) server RSS after indexing (MB vs 150 MB)', ours: indexedRssMb, peer: 150, ratio: indexedRssMb / 150, target: 1 });

    // The usual way to share settings between services: an anchor merged with `<<: *common`.
    const anchored = bigComposeFileWithAnchors(50);
    mkdirSync(join(homelab, 'docker', 'anchored'), { recursive: true });
    const anchoredFile = join(homelab, 'docker', 'anchored', 'docker-compose.yml');
    writeFileSync(anchoredFile, anchored);
    const opened = published(anchoredFile, 1);
    void connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(anchoredFile), languageId: 'dockercompose', version: 1, text: anchored } });
    await opened;
    const { times: anchoredTimes } = await editTimes(anchoredFile, anchored);
    lines.push(`(c) the same edits with an \`x-common\` anchor merged into the services: median ${fmt(median(anchoredTimes))}, p95 ${fmt(p95(anchoredTimes))} (reported)`);

    await stop(connection, child);
    // The edits' files are gone again; the server kept the Nix syntax trees it parsed (written at shutdown).
    removeAddedStacks();
    const restartMs = await timeToFirstDiagnostics(startServer, rpc, homelab);
    lines.push(`(c) server restart → first diagnostics (Nix syntax trees kept from the first start): ${fmt(restartMs)} (target ≤ 500 ms)`);
    results.push({ name: '(c) server restart → first diagnostics (ms vs 500 ms)', ours: restartMs, peer: 500, ratio: restartMs / 500, target: 1 });
  } finally {
    connection.dispose();
    if (child.exitCode === null) child.kill();
    removeAddedStacks();
    rmSync(cacheDir, { recursive: true, force: true });
  }
  return { lines, results };
}

function answerServerRequests(connection) {
  // Evaluation with Nix off: the targets are the static analysis's (run.mjs reports one evaluation on its own).
  connection.onRequest('workspace/configuration', (params) => params.items.map(() => ({ evaluation: { mode: 'off' } })));
  connection.onRequest('client/registerCapability', () => null);
}

async function initialize(connection, homelab) {
  const uri = pathToFileURL(homelab).href;
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: uri,
    workspaceFolders: [{ uri, name: 'homelab' }],
    capabilities: { workspace: { configuration: true, workspaceFolders: true } },
  });
  await connection.sendNotification('initialized', {});
}

async function stop(connection, child) {
  await connection.sendRequest('shutdown');
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await connection.sendNotification('exit');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
}

/** Starts a server, returns the time to its first publishDiagnostics, stops it. */
async function timeToFirstDiagnostics(startServer, rpc, homelab) {
  const started = performance.now();
  const child = startServer();
  const connection = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  const first = new Promise((resolve) => connection.onNotification('textDocument/publishDiagnostics', () => resolve(performance.now())));
  answerServerRequests(connection);
  connection.listen();
  try {
    await initialize(connection, homelab);
    const ms = (await first) - started;
    await stop(connection, child);
    return ms;
  } finally {
    connection.dispose();
    if (child.exitCode === null) child.kill();
  }
}

function residentMegabytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 'NaN');
  return kb / 1024;
}
