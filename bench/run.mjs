// `npm run bench`: speed measured side by side in one run (targets are ratios, so the machine's speed cancels out).
//  (a) whole-process `nixos-homelab lint` of the generated homelab vs `dclint -r` on the same compose files;
//  (b) in-process lint vs the in-process parse-only floor (YAML + Nix parse of the same files);
//  (c) the language server: didOpen → publishDiagnostics and didChange → publishDiagnostics on a 50-service file
//      (when dist/server.js exists), with evaluation by Nix off;
//  (d) reported, not targeted: one evaluation by Nix of the homelab's host (`lint --eval`, the editor's
//      `nixosHomelab.evaluation.mode`), when Nix is installed. nixpkgs is a stand-in (test/fixtures/eval/fake-nixos,
//      found through `-I nixpkgs=…`): the figure is Nix's start and the homelab's own modules, not nixpkgs' module
//      system, which adds seconds on a real NixOS configuration.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as esbuild from 'esbuild';
import { generateHomelab } from './generate.mjs';

const here = resolve(import.meta.dirname);
const root = resolve(here, '..');
const work = join(here, '.generated');
const homelab = join(work, 'homelab');
mkdirSync(work, { recursive: true });
const shape = generateHomelab(homelab);
console.log(`generated homelab: ${shape.composeFiles} compose files, ${shape.services} services, ${shape.modules} Nix modules`);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];
const fmt = (ms) => `${ms.toFixed(1)} ms`;
const results = [];

function timeProcess(command, args, runs) {
  const times = [];
  let last;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    last = spawnSync(command, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    times.push(performance.now() - start);
  }
  return { median: median(times), status: last.status, stdout: last.stdout, stderr: last.stderr };
}

// (a) whole process
const ours = timeProcess(process.execPath, [join(root, 'dist', 'cli.js'), 'lint', homelab, '--format', 'json'], 7);
if (ours.status !== 0 && ours.status !== 1) throw new Error(`lint failed: ${ours.stderr}`);
const findingCount = JSON.parse(ours.stdout).diagnostics.length;
const dclintBin = join(root, 'node_modules', 'dclint', 'bin', 'dclint.cjs');
const dclintEntry = existsSync(dclintBin) ? dclintBin : join(root, 'node_modules', '.bin', 'dclint');
const peer = timeProcess(process.execPath, [dclintEntry, '-r', join(homelab, 'docker')], 7);
if (!peer.stdout && !peer.stderr) throw new Error('dclint printed nothing: is it installed (npm ci)?');
results.push({ name: '(a) whole-process lint vs dclint -r', ours: ours.median, peer: peer.median, ratio: ours.median / peer.median, target: 0.15 });
console.log(`(a) nixos-homelab lint: ${fmt(ours.median)} (${findingCount} findings) | dclint -r: ${fmt(peer.median)} | ratio ${(ours.median / peer.median).toFixed(3)} (target ≤ 0.15)`);

// (b) in-process
const bundle = join(work, 'inprocess.cjs');
await esbuild.build({ entryPoints: [join(here, 'inprocess.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile: bundle, logLevel: 'warning' });
const require = createRequire(import.meta.url);
const inproc = require(bundle);
await inproc.prepareAnalysis();
const files = inproc.inputFiles(homelab);
for (let i = 0; i < 3; i++) {
  inproc.lintOnce(homelab);
  inproc.parseFloor(files);
}
const lintTimes = [];
const floorTimes = [];
for (let i = 0; i < 15; i++) {
  global.gc?.();
  let start = performance.now();
  inproc.parseFloor(files);
  floorTimes.push(performance.now() - start);
  global.gc?.();
  start = performance.now();
  inproc.lintOnce(homelab);
  lintTimes.push(performance.now() - start);
}
const ratioB = median(lintTimes) / median(floorTimes);
results.push({ name: '(b) in-process lint vs parse floor', ours: median(lintTimes), peer: median(floorTimes), ratio: ratioB, target: 2.0 });
console.log(`(b) in-process lint: ${fmt(median(lintTimes))} | parse-only floor: ${fmt(median(floorTimes))} | ratio ${ratioB.toFixed(2)} (target ≤ 2.0)`);

// (c) language server
if (existsSync(join(root, 'dist', 'server.js')) && existsSync(join(here, 'lsp.mjs'))) {
  const { benchLanguageServer } = await import('./lsp.mjs');
  const lsp = await benchLanguageServer({ root, homelab, median, p95 });
  for (const line of lsp.lines) console.log(line);
  results.push(...lsp.results);
}

// (d) one evaluation by Nix (reported only)
const standIn = join(work, 'nixpkgs-stand-in');
rmSync(standIn, { recursive: true, force: true });
cpSync(join(root, 'test', 'fixtures', 'eval', 'fake-nixos'), join(standIn, 'fake-nixos'), { recursive: true });
mkdirSync(join(standIn, 'nixos'), { recursive: true });
writeFileSync(join(standIn, 'nixos', 'default.nix'), '{ configuration, ... }:\nimport ../fake-nixos/eval.nix { modules = [ configuration ]; }\n');
const evaluationTimes = [];
let evaluationSkipped;
for (let i = 0; i < 3 && !evaluationSkipped; i++) {
  const one = await inproc.evaluateOnce(homelab, [`nixpkgs=${standIn}`]);
  if ('skipped' in one) evaluationSkipped = one.skipped;
  else evaluationTimes.push(one.ms);
}
console.log(evaluationSkipped ? `(d) one evaluation by Nix: not measured — ${evaluationSkipped}` : `(d) one evaluation by Nix of the homelab's host (nixpkgs stand-in, no cache): ${fmt(median(evaluationTimes))} (reported, no target)`);

console.log('\nsummary');
for (const r of results) console.log(`  ${r.ratio <= r.target ? 'ok  ' : 'MISS'} ${r.name}: ${r.ratio.toFixed(3)} (target ≤ ${r.target})`);
