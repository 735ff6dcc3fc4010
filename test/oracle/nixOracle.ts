/**
 * The Nix oracle: the real Nix parser and evaluator judge the text the product writes. Uses `nix-instantiate`
 * (Debian `nix-bin`) with `--store dummy://`, so nothing is built or downloaded and no daemon is needed.
 * When `nix-instantiate` is missing, every call throws a message naming the script that installs it: the tier
 * fails, it is never skipped.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const NIX_INSTANTIATE = 'nix-instantiate';
const STUBS = resolve(__dirname, 'stubs');

export interface ParseVerdict {
  ok: boolean;
  /** Nix's message, for a file that does not parse. */
  error?: string;
}

function run(args: string[]): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(NIX_INSTANTIATE, args, { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) {
    const missing = (result.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(
      missing
        ? `${NIX_INSTANTIATE} is not installed: run scripts/ensure-system-deps.sh (it installs Debian's nix-bin) before the oracle tests.`
        : `${NIX_INSTANTIATE} failed to run: ${result.error.message}`,
    );
  }
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Parses every file with `nix-instantiate --parse`. Fast path: one call for all files. Nix stops at the first
 * file that fails and names it in the error, so on failure that file is marked, the ones before it are good,
 * and the rest are parsed again — one extra call per broken file.
 */
export function parseNixFiles(files: string[]): Map<string, ParseVerdict> {
  const verdicts = new Map<string, ParseVerdict>();
  let pending = files.map((file) => resolve(file));
  while (pending.length > 0) {
    const result = run(['--store', 'dummy://', '--parse', ...pending]);
    if (result.status === 0) {
      for (const file of pending) verdicts.set(file, { ok: true });
      break;
    }
    const failedIndex = pending.findIndex((file) => result.stderr.includes(file));
    if (failedIndex < 0) {
      // The error does not say which file: fall back to one call per file.
      for (const file of pending) {
        const single = run(['--store', 'dummy://', '--parse', file]);
        verdicts.set(file, single.status === 0 ? { ok: true } : { ok: false, error: single.stderr.trim() });
      }
      break;
    }
    pending.slice(0, failedIndex).forEach((file) => verdicts.set(file, { ok: true }));
    verdicts.set(pending[failedIndex] as string, { ok: false, error: result.stderr.trim() });
    pending = pending.slice(failedIndex + 1);
  }
  return new Map(files.map((file) => [file, verdicts.get(resolve(file)) ?? { ok: false, error: 'not parsed' }]));
}

/** One file; throws with Nix's message when it does not parse. */
export function assertParses(file: string): void {
  const verdict = parseNixFiles([file]).get(file);
  if (!verdict?.ok) throw new Error(`${file} does not parse:\n${verdict?.error ?? ''}`);
}

export type EvalResult = { ok: true; value: unknown } | { ok: false; error: string };

/**
 * Evaluates a module file against the stubs in test/oracle/stubs (lib with mk* markers, pkgs as strings, a small
 * config) with `--eval --strict --json` and returns the attrset it defines. `stubsDir` replaces the stubs.
 */
export function evalModule(moduleFile: string, stubsDir: string = STUBS): EvalResult {
  const result = run(['--store', 'dummy://', '--eval', '--strict', '--json', resolve(stubsDir, 'eval.nix'), '--argstr', 'modulePath', resolve(moduleFile)]);
  if (result.status !== 0) return { ok: false, error: result.stderr.trim() };
  try {
    return { ok: true, value: JSON.parse(result.stdout) as unknown };
  } catch (error) {
    return { ok: false, error: `nix-instantiate printed no JSON: ${(error as Error).message}` };
  }
}

/** Follows an attribute path through evaluated JSON (undefined when absent). */
export function attrAt(value: unknown, path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
