/**
 * The shared result of running a script locally or over SSH. The CLI (`extract`, `verify`) and the VS Code
 * client both switch on `error.kind`, so the kinds are public: add new ones, never rename them.
 */

/** Why a run did not produce the script's output. */
export type RunErrorKind =
  /** A host, user, port, identity file or `--ssh-option` was refused before anything was spawned. */
  | 'invalid-input'
  /** The `ssh` (or `sh`) program could not be started. */
  | 'ssh-missing'
  /** Name resolution failed, the connection was refused, timed out or had no route. */
  | 'unreachable'
  /** The server refused every key (BatchMode never asks for a password). */
  | 'auth-failed'
  /** The host key is not in any known_hosts file, so ssh refused to continue. */
  | 'host-key-unknown'
  /** The host key differs from the one in known_hosts (reinstall, or someone in the middle). */
  | 'host-key-changed'
  /** Our overall timeout fired; the process was killed. */
  | 'timeout'
  /** The caller's AbortSignal fired; the process was killed. */
  | 'cancelled'
  /** The output exceeded the size cap; the process was killed. */
  | 'output-too-large'
  /** The remote `uname -s` is not Linux. */
  | 'not-linux'
  /** ssh failed for another reason (exit status 255); the message carries ssh's own words. */
  | 'ssh-failed';

/** A classified failure with a message a person can act on. */
export interface RunError {
  kind: RunErrorKind;
  /** One or two sentences: what happened and what to do. */
  message: string;
  /** ssh's stderr (trimmed), when it explains more than the message. */
  detail?: string;
}

/** The script ran to completion (whatever its own exit status), or it did not and `error` says why. */
export type RunResult =
  | { ok: true; stdout: string; stderr: string; exitCode: number }
  | { ok: false; error: RunError };

/** Options shared by local and SSH runs. */
export interface RunOptions {
  /** Kill the process after this many milliseconds (default 120 000). */
  timeoutMs?: number;
  /** Cancels the run (e.g. the VS Code progress notification's cancel button). */
  signal?: AbortSignal;
  /** Largest stdout accepted, in bytes, before the process is killed (default 32 MiB). */
  maxOutputBytes?: number;
  /** Called with the process id once the program started (for logs, and for tests that check it was killed). */
  onSpawn?: (pid: number) => void;
  /** Called with the script's stdout as it arrives, e.g. to show which section is running. */
  onStdout?: (text: string) => void;
}

/** Builds a failed result; keeps call sites short. */
export function runFailure(kind: RunErrorKind, message: string, detail?: string): RunResult {
  const error: RunError = detail ? { kind, message, detail } : { kind, message };
  return { ok: false, error };
}
