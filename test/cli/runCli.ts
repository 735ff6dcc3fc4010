/**
 * Runs the bundled CLI (dist/cli.js) as a child process, exactly as users run it. The tier tests the build:
 * scripts/test-all.sh runs `node esbuild.js` before it; run that first when running this tier alone.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const REPO = resolve(__dirname, '../..');
export const CLI = resolve(REPO, 'dist/cli.js');
export const EXAMPLE = resolve(REPO, 'examples/pop-os-homelab');

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/cli.js ...args` in `cwd` (default: the repository) and collects its output. */
export function runCli(args: string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<CliRun> {
  if (!existsSync(CLI)) {
    return Promise.reject(new Error(`${CLI} is missing: build it with \`node esbuild.js\` (scripts/test-all.sh does this before the tests).`));
  }
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? REPO, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`nixos-homelab ${args.join(' ')} did not finish within ${options.timeoutMs ?? 60_000} ms\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolveRun({ status: code ?? 1, stdout, stderr });
    });
  });
}

/** A usage or I/O error: exit 2 and exactly one line on stderr. */
export function assertOneLineError(run: CliRun, pattern: RegExp): void {
  if (run.status !== 2) throw new Error(`expected exit status 2, got ${run.status}; stderr: ${run.stderr}`);
  const lines = run.stderr.split('\n').filter((line) => line !== '');
  if (lines.length !== 1) throw new Error(`expected one line on stderr, got ${lines.length}:\n${run.stderr}`);
  if (!pattern.test(lines[0] ?? '')) throw new Error(`stderr "${lines[0]}" does not match ${pattern}`);
}
