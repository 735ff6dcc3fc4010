/**
 * Seeded, bounded fuzz tier of `lint` (issue #13): the example homelab with one or two of its compose, `.env`, Nix and
 * snapshot files mutated (byte flips, token insertions, duplication, deep nesting, alias bombs, huge tokens, control
 * characters, truncation, exponential variables…), linted with `--format json` (sometimes text or SARIF, sometimes
 * `--fix`). Every input must end with exit status 0, 1 or 2, never an "internal error", with valid JSON or SARIF, and
 * within a fixed time.
 *
 * Most inputs run the bundled CLI (dist/cli.js, built by `node esbuild.js`) in this process through its exported
 * `main` — measured in CPU time, so a busy shared machine does not fail it; every FUZZ_CLI_EVERY-th input also runs as
 * a real `node dist/cli.js` child process, measured in wall time.
 *
 *   FUZZ_ITERATIONS=2000 node --import tsx --test test/cli/fuzz.test.ts    # longer
 *   FUZZ_SEED=7 …                                                         # another sequence
 *   FUZZ_SEED=… FUZZ_STEP=123 …                                           # replay the one step a failure names
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { loadSnapshotFromFiles } from '../../src/core/host/loadSnapshot';
import { serializeSnapshot } from '../../src/core/host/serializeSnapshot';
import { prng } from '../unit/helpers/prng';
import { CLI, EXAMPLE, REPO, runCli } from './runCli';

const SEED = Number(process.env.FUZZ_SEED ?? 20261213);
const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 300);
const ONLY_STEP = process.env.FUZZ_STEP === undefined ? undefined : Number(process.env.FUZZ_STEP);
const CLI_EVERY = Number(process.env.FUZZ_CLI_EVERY ?? 15);
/** CPU time one in-process lint may take; a super-linear input takes seconds to minutes. */
const MAX_CPU_MS = Number(process.env.FUZZ_MAX_MS ?? 5000);
/** Wall time of a child process (startup included) on a shared, busy machine. */
const MAX_CHILD_MS = 30_000;

type Kind = 'compose' | 'env' | 'nix' | 'snapshot' | 'json';

/** The files of the example a step may mutate, by kind; `lsblk.json` is added to the snapshot from a fixture. */
const TARGETS: { file: string; kind: Kind }[] = [
  { file: 'docker/plex/docker-compose.yml', kind: 'compose' },
  { file: 'docker/immich/docker-compose.yml', kind: 'compose' },
  { file: 'docker/jellyfin/compose.yaml', kind: 'compose' },
  { file: 'Projects/ai-agent/compose.yaml', kind: 'compose' },
  { file: 'docker/immich/.env', kind: 'env' },
  { file: 'docker/plex/.env', kind: 'env' },
  { file: 'nixos/configuration.nix', kind: 'nix' },
  { file: 'nixos/hardware-configuration.nix', kind: 'nix' },
  { file: 'snapshot/pre_nixos_lsblk.txt', kind: 'snapshot' },
  { file: 'snapshot/pre_nixos_fstab.txt', kind: 'snapshot' },
  { file: 'snapshot/pre_nixos_id.txt', kind: 'snapshot' },
  { file: 'snapshot/pre_nixos_gid110.txt', kind: 'snapshot' },
  { file: 'snapshot/dri.txt', kind: 'snapshot' },
  { file: 'snapshot/gpu.txt', kind: 'snapshot' },
  { file: 'snapshot/lsblk.json', kind: 'json' },
  // Absent from the example: written only by the steps that mutate it (a valid snapshot.json wins over raw files).
  { file: 'snapshot/snapshot.json', kind: 'json' },
];

/** Other texts of each kind (test fixtures), swapped in as the starting point of a mutation now and then. */
const FIXTURES: Record<Kind, string[]> = {
  compose: ['test/fixtures/real-shapes/compose-only/stacks/paperless/docker-compose.yml', 'test/fixtures/real-shapes/agenix-env-file/stacks/immich/compose.yaml'],
  env: [],
  nix: ['test/fixtures/grammar/all-constructs.nix', 'test/fixtures/grammar/half-typed.nix', 'test/fixtures/real-shapes/agenix-env-file/hosts/nas/configuration.nix', 'test/fixtures/migration-guide/configuration.nix'],
  snapshot: ['test/fixtures/hosts/ubuntu-24.04/lsblk.txt', 'test/fixtures/hosts/ubuntu-24.04/fstab.txt', 'test/fixtures/hosts/nixos-24.11/id-palav.txt', 'test/fixtures/hosts/ubuntu-24.04/gpu.txt'],
  json: [],
};

const TOKENS: Record<Kind, string[]> = {
  compose: [':', ': ', '- ', '&a ', '*a', '<<: *a', '${', '}', '${A:-', '$$', '[', ']', '{', '}', '"', "'", '\t', '\n  ', '\n    ', '!!binary ', '!reset ', '? ', '---\n', '%YAML 1.2\n', '|', '>-', '#', 'PUID=', '/dev/dri', '~'],
  env: ['=', '${', '}', '${A:-', '${A}', '$A', '$$', '"', "'", '\\', 'export ', '#', '\n', 'A=', ' '],
  nix: ['{', '}', '[', ']', '(', ')', ';', '=', '"', "''", '${', 'let ', ' in ', 'rec ', 'with ', 'inherit ', 'a.b.c', './p', 'http://x', '#', '/*', '*/', '++', '//', '->', ':', '@', '...', 'or ', 'users.users.x.uid = 1000;', '\\'],
  snapshot: ['\n', ' ', 'UUID=', '/mnt/x', 'ext4', '├─', '└─', '│ ', 'uid=', 'gid=', '(', ')', ',', ':', 'renderD128', '0x', '\\040'],
  json: ['{', '}', '[', ']', '"children":[', '"name":"x"', ',', ':', 'null', '"', '\\u0000', '1e999'],
};

/** Openers and closers for deep nesting, by kind. */
const NESTING: Record<Kind, [string, string][]> = {
  compose: [['[', ']'], ['{a: ', '}'], ['${A:-', '}'], ['- ', '']],
  env: [['${A:-', '}'], ['${A:+', '}']],
  nix: [['[', ']'], ['(', ')'], ['{ a = ', '; }'], ['"${', '}"'], ['let a = 1; in ', '']],
  snapshot: [['│ ', ''], ['(', ')']],
  json: [['[', ']'], ['{"name":"x","children":[', ']}']],
};

const CONTROL = ['\u0000', '\r', '\r\n', '\u2028', '\u001b[31m', '\ufeff', '\u0085', '\t', '\uffff', '\ud800'];

interface Gen {
  int(max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

function gen(seed: number): Gen {
  const random = prng(seed);
  return {
    int: (max) => Math.floor(random() * max),
    pick: (items) => items[Math.floor(random() * items.length)] as (typeof items)[number],
    chance: (p) => random() < p,
  };
}

/** Texts are cut here (the disk source skips files over 4 MB anyway; a mutated UTF-8 text may still pass that). */
const MAX_TEXT = 3 * 1024 * 1024;

/** One mutation of `text` (a file of `kind`), and a short name for the failure message. */
function mutate(g: Gen, text: string, kind: Kind): { text: string; name: string } {
  const mutated = mutateOnce(g, text, kind);
  return mutated.text.length > MAX_TEXT ? { text: mutated.text.slice(0, MAX_TEXT), name: `${mutated.name} (cut)` } : mutated;
}

function mutateOnce(g: Gen, text: string, kind: Kind): { text: string; name: string } {
  const at = g.int(text.length + 1);
  const insert = (piece: string): string => text.slice(0, at) + piece + text.slice(at);
  switch (g.int(11)) {
    case 0: {
      const count = 1 + g.int(8);
      let flipped = text;
      for (let i = 0; i < count; i++) {
        const where = g.int(flipped.length);
        flipped = flipped.slice(0, where) + String.fromCharCode(g.int(128)) + flipped.slice(where + 1);
      }
      return { text: flipped, name: `flip ${count}` };
    }
    case 1:
    case 2:
      return { text: insert(g.pick(TOKENS[kind])), name: 'token' };
    case 3: {
      const start = g.int(text.length);
      const slice = text.slice(start, start + 1 + g.int(400));
      return { text: insert(slice.repeat(1 + g.int(g.chance(0.2) ? 2000 : 5))), name: 'duplicate' };
    }
    case 4: {
      const [open, close] = g.pick(NESTING[kind]);
      const depth = g.pick([50, 500, 5000, 20_000]);
      return { text: insert(open.repeat(depth) + 'x' + close.repeat(depth)), name: `nest ${depth}` };
    }
    case 5:
      return bomb(g, text, kind);
    case 6: {
      const unit = g.pick(['a.', 'b+', 'x', 'a:', '/x', '9', 'Ab+/', 'é']);
      const count = g.pick([2_000, 40_000, 200_000]);
      return { text: insert(unit.repeat(count)), name: `huge ${JSON.stringify(unit)}×${count}` };
    }
    case 7:
      return { text: insert(g.pick(CONTROL).repeat(1 + g.int(3))), name: 'control' };
    case 8:
      return { text: text.slice(0, at), name: 'truncate' };
    case 9: {
      const end = text.indexOf('\n', at);
      const line = text.slice(at, end < 0 ? text.length : end + 1) || 'x\n';
      const count = Math.min(g.pick([100, 16_000]), Math.ceil(MAX_TEXT / line.length));
      return { text: insert(line.repeat(count)), name: `lines ${count}` };
    }
    default:
      return { text: [...text].reverse().join('').slice(0, g.int(text.length + 1)) + text.slice(at), name: 'shuffle' };
  }
}

/** The multiplying inputs of each kind: alias bombs, merge keys, exponential variables, select chains. */
function bomb(g: Gen, text: string, kind: Kind): { text: string; name: string } {
  const levels = 5 + g.int(20);
  if (kind === 'compose') {
    let anchors = `x-b0: &b0 [${Array(8).fill('x').join(', ')}]\n`;
    for (let i = 1; i < levels; i++) anchors += `x-b${i}: &b${i} [${Array(2 + g.int(8)).fill(`*b${i - 1}`).join(', ')}]\n`;
    if (g.chance(0.5)) return { text: `${anchors}${text}\nx-use: *b${levels - 1}\n`, name: `alias bomb ${levels}` };
    let merges = 'x-c: &c\n  restart: always\n  environment: [PUID=1000]\nservices:\n';
    for (let i = 0; i < 2000; i++) merges += `  s${i}:\n    <<: *c\n    image: x:${i}\n`;
    return { text: merges, name: 'merge keys 2000' };
  }
  if (kind === 'env' || kind === 'snapshot') {
    const lines = ['A0=xxxxxxxxxx'];
    for (let i = 1; i < levels + 10; i++) lines.push(`A${i}=\${A${i - 1}}\${A${i - 1}}`);
    return { text: `${text}\n${lines.join('\n')}\n`, name: `exponential ${levels + 10}` };
  }
  if (kind === 'nix') return { text: text.replace('{', `{ x${g.int(9)} = ${'a.'.repeat(500 * levels)}b;`), name: `select chain ${levels}` };
  const depth = 1000 * levels;
  return { text: `{"blockdevices":[${'{"name":"d","children":['.repeat(depth)}${']}'.repeat(depth)}]}`, name: `lsblk depth ${depth}` };
}

interface CliModule {
  main(argv: string[], io: { cwd: string; stdout(text: string): void; stderr(text: string): void; color: boolean; version: string }): Promise<number>;
}

let cli: CliModule;
let workspace: string;
/** The example's snapshot as snapshot.json, the starting point of that target's mutations. */
let snapshotJson = '';
const originals = new Map<string, string>();

function freshWorkspace(): void {
  if (workspace) rmSync(workspace, { recursive: true, force: true });
  workspace = mkdtempSync(join(tmpdir(), 'nixos-homelab-fuzz-'));
  cpSync(EXAMPLE, workspace, { recursive: true });
  writeFileSync(join(workspace, 'snapshot/lsblk.json'), readFileSync(join(REPO, 'test/fixtures/hosts/ubuntu-24.04/lsblk.json'), 'utf8'));
  writeFileSync(join(workspace, 'docker/plex/.env'), 'TZ=Europe/Berlin\nPLEX_CLAIM=${CLAIM:-none}\n');
}

before(() => {
  // The bundle's `main` is exported and runs only when the file is the entry point.
  cli = require(CLI) as CliModule;
  freshWorkspace();
  for (const { file } of TARGETS) if (existsSync(join(workspace, file))) originals.set(file, readFileSync(join(workspace, file), 'utf8'));
  const snapshotDir = join(workspace, 'snapshot');
  const raw = new Map(readdirSync(snapshotDir).map((name) => [name, readFileSync(join(snapshotDir, name), 'utf8')] as const));
  snapshotJson = serializeSnapshot(loadSnapshotFromFiles(raw).snapshot);
});

/** Puts a target back as the example has it (removing it when the example has none). */
function restore(file: string): void {
  const original = originals.get(file);
  if (original === undefined) rmSync(join(workspace, file), { force: true });
  else writeFileSync(join(workspace, file), original);
}

after(() => {
  rmSync(workspace, { recursive: true, force: true });
});

/** A copy of the workspace as the failing run saw it, to look at or lint by hand. */
function keep(): string {
  const kept = mkdtempSync(join(tmpdir(), 'nixos-homelab-fuzz-failure-'));
  cpSync(workspace, kept, { recursive: true });
  return kept;
}

/** Checks one run's output; returns a problem description or undefined. */
function problemWith(status: number, stdout: string, stderr: string, format: string): string | undefined {
  if (![0, 1, 2].includes(status)) return `exit status ${status}`;
  if (/internal error/i.test(stdout + stderr)) return `internal error: ${stderr.slice(0, 4000)}`;
  if (status === 2) return stdout === '' || format !== 'text' ? undefined : 'exit 2 with findings on stdout';
  if (format === 'json') {
    try {
      const json = JSON.parse(stdout) as { version?: unknown; diagnostics?: unknown };
      if (json.version !== 1 || !Array.isArray(json.diagnostics)) return 'JSON without version 1 and diagnostics';
    } catch (error) {
      return `invalid JSON: ${(error as Error).message}`;
    }
  }
  if (format === 'sarif') {
    try {
      const sarif = JSON.parse(stdout) as { version?: unknown; runs?: unknown };
      if (sarif.version !== '2.1.0' || !Array.isArray(sarif.runs)) return 'SARIF without version 2.1.0 and runs';
    } catch (error) {
      return `invalid SARIF JSON: ${(error as Error).message}`;
    }
  }
  return undefined;
}

test(`lint survives ${ONLY_STEP === undefined ? ITERATIONS : 1} mutated workspaces (seed ${SEED}), each within its time`, { timeout: 30 * 60_000 }, async () => {
  const steps = ONLY_STEP === undefined ? [...Array(ITERATIONS).keys()] : [ONLY_STEP];
  let children = 0;
  for (const step of steps) {
    // Each step has its own generator, so FUZZ_STEP replays it alone.
    const g = gen((SEED * 1_000_003 + step) >>> 0);
    const touched: string[] = [];
    const applied: string[] = [];
    for (let n = 1 + (g.chance(0.3) ? 1 : 0); n > 0; n--) {
      const target = g.pick(TARGETS);
      const fixtures = FIXTURES[target.kind];
      let text = originals.get(target.file) ?? (target.file.endsWith('snapshot.json') ? snapshotJson : '');
      if (fixtures.length > 0 && g.chance(0.2)) text = readFileSync(resolve(REPO, g.pick(fixtures)), 'utf8');
      const names: string[] = [];
      for (let m = 1 + g.int(3); m > 0; m--) {
        const mutated = mutate(g, text, target.kind);
        text = mutated.text;
        names.push(mutated.name);
      }
      writeFileSync(join(workspace, target.file), text);
      touched.push(target.file);
      applied.push(`${target.file}: ${names.join(', ')}`);
    }
    const format = g.pick(['json', 'json', 'json', 'json', 'json', 'json', 'text', 'sarif']);
    const fix = g.chance(0.05);
    const args = ['lint', '--snapshot', 'snapshot', '--format', format, ...(fix ? ['--fix'] : []), '.'];
    const replay = `FUZZ_SEED=${SEED} FUZZ_STEP=${step}: ${applied.join('; ')} — nixos-homelab ${args.join(' ')}`;

    let stdout = '';
    let stderr = '';
    const cpuBefore = process.cpuUsage();
    let status: number;
    try {
      status = await cli.main(args, { cwd: workspace, stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), color: false, version: '0.0.0-fuzz' });
    } catch (error) {
      assert.fail(`${replay}\nthrew: ${(error as Error).stack ?? String(error)}`);
    }
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const problem = problemWith(status, stdout, stderr, format) ?? (cpuMs < MAX_CPU_MS ? undefined : `took ${Math.round(cpuMs)} ms of CPU (limit ${MAX_CPU_MS})`);
    if (problem !== undefined) assert.fail(`${replay}\n${problem}\nthe workspace is kept at ${keep()}`);

    if (step % CLI_EVERY === 0 || ONLY_STEP !== undefined) {
      children++;
      const started = Date.now();
      const run = await runCli(args, { cwd: workspace, timeoutMs: MAX_CHILD_MS });
      const childProblem = problemWith(run.status, run.stdout, run.stderr, format);
      if (childProblem !== undefined) assert.fail(`${replay} (child process)\n${childProblem}\nthe workspace is kept at ${keep()}`);
      // `--fix` changed the files in between; otherwise both runs saw the same workspace.
      if (!fix) assert.equal(run.status, status, `${replay}: the child process exits ${run.status}, in-process ${status}`);
      assert.ok(Date.now() - started < MAX_CHILD_MS, `${replay} (child process) took ${Date.now() - started} ms`);
    }

    if (fix) freshWorkspace();
    else for (const file of touched) restore(file);
  }
  assert.ok(ONLY_STEP !== undefined || children >= Math.floor(ITERATIONS / CLI_EVERY));
});
