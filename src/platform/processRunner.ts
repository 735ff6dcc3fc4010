/**
 * Spawns one program with an argument array, feeds a script on stdin and collects its output, with a size cap,
 * an overall timeout and cancellation. It knows nothing about ssh: callers classify the raw outcome.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';

const DEFAULT_TIMEOUT_MS = 120_000;
const DEFAULT_MAX_OUTPUT_BYTES = 32 * 1024 * 1024;
/** ssh's own diagnostics are short; the rest of stderr is remote noise we only show. */
const MAX_STDERR_BYTES = 256 * 1024;
/** After SIGTERM, give the process this long before SIGKILL. */
const KILL_GRACE_MS = 1_000;

export interface ProcessRequest {
  command: string;
  args: readonly string[];
  stdin: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  maxOutputBytes?: number;
  /** Extra environment variables on top of this process's environment. */
  env?: Record<string, string>;
  onSpawn?: (pid: number) => void;
  /** Called with stdout text as it arrives (progress reporting); the full output is still in the outcome. */
  onStdout?: (text: string) => void;
}

/** How the process ended, before any interpretation. */
export type ProcessOutcome =
  | { kind: 'exited'; exitCode: number; stdout: string; stderr: string }
  | { kind: 'spawn-error'; code: string; message: string }
  | { kind: 'timeout'; stderr: string }
  | { kind: 'cancelled'; stderr: string }
  | { kind: 'output-too-large'; stderr: string };

/**
 * Runs the request to completion. Never rejects. The child gets its own process group (POSIX), so a
 * timeout or cancel also kills what it started (`sh -s` running `sleep`), which would otherwise keep the
 * output pipes open.
 */
export function runProcess(request: ProcessRequest): Promise<ProcessOutcome> {
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxOutputBytes = request.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  if (request.signal?.aborted) return Promise.resolve({ kind: 'cancelled', stderr: '' });

  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn(request.command, [...request.args], {
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: process.platform !== 'win32',
        windowsHide: true,
        env: request.env ? { ...process.env, ...request.env } : process.env,
      });
    } catch (err) {
      resolve(spawnError(err));
      return;
    }

    const stdoutChunks: Buffer[] = [];
    const stderrChunks: Buffer[] = [];
    let stdoutBytes = 0;
    // A chunk may end inside a multi-byte character: the decoder keeps the partial bytes for the next one.
    const stdoutDecoder = request.onStdout ? new StringDecoder('utf8') : undefined;
    let stderrBytes = 0;
    let stopReason: 'timeout' | 'cancelled' | 'output-too-large' | undefined;
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;

    const stderrText = (): string => Buffer.concat(stderrChunks).toString('utf8');
    const finish = (outcome: ProcessOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(overallTimer);
      if (killTimer) clearTimeout(killTimer);
      request.signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const stop = (reason: 'timeout' | 'cancelled' | 'output-too-large'): void => {
      if (stopReason || settled) return;
      stopReason = reason;
      killTree(child, 'SIGTERM');
      killTimer = setTimeout(() => killTree(child, 'SIGKILL'), KILL_GRACE_MS);
      killTimer.unref();
    };
    const onAbort = (): void => stop('cancelled');

    const overallTimer = setTimeout(() => stop('timeout'), timeoutMs);
    request.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout?.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > maxOutputBytes) {
        stop('output-too-large');
        return;
      }
      stdoutChunks.push(chunk);
      if (stdoutDecoder) request.onStdout?.(stdoutDecoder.write(chunk));
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      if (stderrBytes >= MAX_STDERR_BYTES) return;
      const room = MAX_STDERR_BYTES - stderrBytes;
      const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
      stderrBytes += kept.length;
      stderrChunks.push(kept);
    });
    // The process may exit before reading all of stdin (ssh failing to connect): EPIPE is expected then.
    child.stdin?.on('error', () => undefined);

    child.on('error', (err) => finish(spawnError(err)));
    child.on('spawn', () => {
      if (child.pid !== undefined) request.onSpawn?.(child.pid);
    });
    // 'close' waits for the pipes, so output is complete; once we killed the process, its exit is enough.
    child.on('exit', () => {
      if (stopReason) finish({ kind: stopReason, stderr: stderrText() });
    });
    child.on('close', (code, signal) => {
      if (stopReason) {
        finish({ kind: stopReason, stderr: stderrText() });
        return;
      }
      finish({
        kind: 'exited',
        exitCode: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(stdoutChunks).toString('utf8'),
        stderr: stderrText(),
      });
    });

    child.stdin?.end(request.stdin);
  });
}

function killTree(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    if (process.platform === 'win32') child.kill(signal);
    else process.kill(-child.pid, signal);
  } catch {
    // Already gone: nothing left to kill.
    child.kill(signal);
  }
}

function spawnError(err: unknown): ProcessOutcome {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : 'UNKNOWN';
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'spawn-error', code, message };
}
