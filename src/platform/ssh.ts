/**
 * Runs a read-only script on a host through the system OpenSSH client (so ~/.ssh/config, agents and keys work),
 * or on this machine with `sh`. Both return the same `RunResult`, so `extract --ssh` and `extract --local`
 * share everything after the run.
 */
import { runProcess, type ProcessOutcome } from './processRunner';
import { runFailure, type RunError, type RunOptions, type RunResult } from './runResult';
import { classifySshFailure, notLinuxError, type SshAdviceContext } from './sshErrors';
import { buildSshArgs, validateSshTarget, type SshTarget, type SshTargetInput } from './sshTarget';

export type { RunError, RunErrorKind, RunOptions, RunResult } from './runResult';
export { classifySshFailure, notLinuxError, type SshAdviceContext } from './sshErrors';
export { buildSshArgs, validateSshOption, validateSshTarget, type SshTarget, type SshTargetInput } from './sshTarget';

/** ssh exits with 255 for its own failures; any other status is the remote script's. */
const SSH_OWN_FAILURE = 255;

export interface SshRunOptions extends RunOptions {
  /** The ssh program (default `ssh` from PATH); tests point it elsewhere. */
  sshBinary?: string;
}

/**
 * Runs `script` with `sh -s` on the target. Accepts raw input (validated here, before anything is spawned)
 * or an already validated target. A remote script that exits non-zero is still `ok: true` with its
 * `exitCode`, unless it exits with 255, which cannot be told apart from ssh's own failures.
 */
export async function runOverSsh(
  targetOrInput: SshTarget | SshTargetInput,
  script: string,
  options: SshRunOptions = {},
): Promise<RunResult> {
  let target: SshTarget;
  if ('destination' in targetOrInput) {
    const validated = validateSshTarget(targetOrInput);
    if (!validated.ok) return validated;
    target = validated.target;
  } else {
    target = targetOrInput;
  }
  const sshBinary = options.sshBinary ?? 'ssh';
  const outcome = await runProcess({
    command: sshBinary,
    args: buildSshArgs(target),
    stdin: script,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    maxOutputBytes: options.maxOutputBytes,
    onSpawn: options.onSpawn,
    onStdout: options.onStdout,
    // ssh's messages are classified by their English text.
    env: { LC_ALL: 'C' },
  });
  return sshResult(outcome, target, sshBinary, options.timeoutMs);
}

/** Runs `script` with `sh -s` on this machine (`extract --local`), with the same limits and result. */
export async function runLocal(script: string, options: RunOptions = {}): Promise<RunResult> {
  const outcome = await runProcess({
    command: 'sh',
    args: ['-s'],
    stdin: script,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    maxOutputBytes: options.maxOutputBytes,
    onSpawn: options.onSpawn,
    onStdout: options.onStdout,
  });
  switch (outcome.kind) {
    case 'exited':
      return { ok: true, stdout: outcome.stdout, stderr: outcome.stderr, exitCode: outcome.exitCode };
    case 'spawn-error':
      return runFailure('ssh-missing', `Could not start "sh" on this machine (${outcome.message}).`);
    default:
      return stoppedFailure(outcome, 'the local script', options.timeoutMs);
  }
}

/**
 * Asks the remote for `uname -s` and fails with `not-linux` unless it says Linux. Costs one extra connection;
 * callers whose script already prints `uname -s` can use `notLinuxError` on that output instead.
 */
export async function checkRemoteIsLinux(
  target: SshTarget,
  options: SshRunOptions = {},
): Promise<{ ok: true } | { ok: false; error: RunError }> {
  const result = await runOverSsh(target, 'uname -s\n', options);
  if (!result.ok) return result;
  const error = notLinuxError(result.stdout, target.display);
  return error ? { ok: false, error } : { ok: true };
}

function sshResult(outcome: ProcessOutcome, target: SshTarget, sshBinary: string, timeoutMs: number | undefined): RunResult {
  switch (outcome.kind) {
    case 'exited':
      if (outcome.exitCode === SSH_OWN_FAILURE) {
        return { ok: false, error: classifySshFailure(outcome.stderr, adviceContext(target)) };
      }
      return { ok: true, stdout: outcome.stdout, stderr: outcome.stderr, exitCode: outcome.exitCode };
    case 'spawn-error':
      return runFailure(
        'ssh-missing',
        outcome.code === 'ENOENT'
          ? `The OpenSSH client "${sshBinary}" was not found. Install it (apt install openssh-client; on Windows, the optional feature "OpenSSH Client") and make sure it is on PATH.`
          : `Could not start "${sshBinary}": ${outcome.message}.`,
      );
    default:
      return stoppedFailure(outcome, `ssh to ${target.display}`, timeoutMs);
  }
}

function stoppedFailure(
  outcome: Extract<ProcessOutcome, { kind: 'timeout' | 'cancelled' | 'output-too-large' }>,
  what: string,
  timeoutMs: number | undefined,
): RunResult {
  const detail = outcome.stderr.trim() || undefined;
  switch (outcome.kind) {
    case 'timeout': {
      const seconds = Math.round((timeoutMs ?? 120_000) / 100) / 10;
      return runFailure('timeout', `${capitalize(what)} did not finish within ${seconds} s and was stopped. Check that the host is responsive, then try again.`, detail);
    }
    case 'cancelled':
      return runFailure('cancelled', `${capitalize(what)} was cancelled.`, detail);
    case 'output-too-large':
      return runFailure('output-too-large', `${capitalize(what)} printed more output than expected and was stopped.`, detail);
  }
}

/** What to type to reproduce the connection by hand, for advice in error messages. */
function adviceContext(target: SshTarget): SshAdviceContext {
  const parts = ['ssh'];
  if (target.port !== undefined && target.port !== 22) parts.push('-p', String(target.port));
  if (target.identityFile !== undefined) parts.push('-i', quoteForShell(target.identityFile));
  const knownHosts = target.sshOptions.find((option) => option.key.toLowerCase() === 'userknownhostsfile');
  if (knownHosts) parts.push('-o', quoteForShell(`UserKnownHostsFile=${knownHosts.value}`));
  parts.push(target.display);
  const knownHostsName = target.port !== undefined && target.port !== 22 ? `[${target.host}]:${target.port}` : target.host;
  const removeKey = ['ssh-keygen'];
  if (knownHosts) removeKey.push('-f', quoteForShell(knownHosts.value));
  removeKey.push('-R', quoteForShell(knownHostsName));
  return { display: target.display, sshCommand: parts.join(' '), removeKeyCommand: removeKey.join(' ') };
}

/** Quotes a value for a command line the user copies into a shell (advice text only, never executed). */
function quoteForShell(value: string): string {
  return /^[A-Za-z0-9_./=:@~+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
