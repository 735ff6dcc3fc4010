/**
 * Validation of everything the user types that ends up on ssh's command line. The arguments go to `spawn` as
 * an array, so there is no shell to inject into; the checks stop values that ssh itself would read as an
 * option (`-oProxyCommand=…`), every `-o` option outside the allow-list of sshOptions.ts (options that run local
 * commands, forward ports or the agent, or accept unknown host keys), and typos, with a message naming the value
 * (control characters escaped) and what to write instead.
 */
import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import type { RunError } from './runResult';
import { checkSshOption, printable } from './sshOptions';

/** What the user asked for, as typed (CLI flags, VS Code input boxes, settings). */
export interface SshTargetInput {
  /** `host`, `user@host`, an `~/.ssh/config` alias, an IPv4 or IPv6 address (optionally in brackets). */
  destination: string;
  /** Overrides the user part of `destination` when both are given. */
  user?: string;
  port?: number | string;
  identityFile?: string;
  /** `KEY=VALUE` strings passed as `-o KEY=VALUE`. */
  sshOptions?: readonly string[];
  /** Seconds ssh waits for the TCP connection (default 10). */
  connectTimeoutSeconds?: number;
}

/** A target whose every part has been checked; only this type reaches `buildSshArgs`. */
export interface SshTarget {
  host: string;
  user?: string;
  port?: number;
  /** Absolute path of an existing file. */
  identityFile?: string;
  sshOptions: { key: string; value: string }[];
  connectTimeoutSeconds: number;
  /** `user@host` or `host`, for messages and the snapshot's `host` field. */
  display: string;
}

export type SshTargetResult = { ok: true; target: SshTarget } | { ok: false; error: RunError };

const DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;
/** Host names, IPv4 and `~/.ssh/config` aliases: letters, digits, `.`, `_`, `-`, not starting with `-`. */
const HOST_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,252}$/;
/** IPv6, with an optional zone (`fe80::1%eth0`). */
const IPV6 = /^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9_.-]+)?$/;
/** POSIX-portable user names (plus the uppercase letters some directories use). */
const USER_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;

/** Checks `input` and returns a target ready for `buildSshArgs`, or an `invalid-input` error. */
export function validateSshTarget(input: SshTargetInput): SshTargetResult {
  const split = splitDestination(input.destination.trim());
  if (!split.ok) return split;
  const host = split.host;

  const userText = input.user !== undefined && input.user !== '' ? input.user : split.user;
  if (userText !== undefined && !USER_NAME.test(userText)) {
    return invalid(
      `The SSH user "${printable(userText)}" is not a valid user name: use letters, digits, ".", "_" or "-" (not starting with "-").`,
    );
  }

  const port = validatePort(input.port);
  if (typeof port === 'object') return port;

  let identityFile: string | undefined;
  if (input.identityFile !== undefined && input.identityFile !== '') {
    const checked = validateIdentityFile(input.identityFile);
    if (!checked.ok) return checked;
    identityFile = checked.path;
  }

  const sshOptions: { key: string; value: string }[] = [];
  let connectTimeoutSeconds = input.connectTimeoutSeconds ?? DEFAULT_CONNECT_TIMEOUT_SECONDS;
  for (const text of input.sshOptions ?? []) {
    const option = validateSshOption(text);
    if (!option.ok) return option;
    // ConnectTimeout is one we set ourselves; honour the user's value instead of passing a second one ssh ignores.
    if (option.key.toLowerCase() === 'connecttimeout') {
      connectTimeoutSeconds = Number(option.value);
      continue;
    }
    sshOptions.push({ key: option.key, value: option.value });
  }
  if (!Number.isInteger(connectTimeoutSeconds) || connectTimeoutSeconds < 1 || connectTimeoutSeconds > 3600) {
    return invalid(`The SSH connect timeout "${connectTimeoutSeconds}" must be a whole number of seconds from 1 to 3600.`);
  }

  const target: SshTarget = {
    host,
    sshOptions,
    connectTimeoutSeconds,
    display: userText ? `${userText}@${host}` : host,
  };
  if (userText !== undefined) target.user = userText;
  if (port !== undefined) target.port = port;
  if (identityFile !== undefined) target.identityFile = identityFile;
  return { ok: true, target };
}

type Split = { ok: true; host: string; user?: string } | { ok: false; error: RunError };

function splitDestination(destination: string): Split {
  if (destination === '') return invalid('No SSH host given: pass --ssh [USER@]HOST, e.g. --ssh palav@homelab.local.');
  const at = destination.lastIndexOf('@');
  const user = at >= 0 ? destination.slice(0, at) : undefined;
  let host = at >= 0 ? destination.slice(at + 1) : destination;
  if (user !== undefined && !USER_NAME.test(user)) {
    return invalid(
      `The SSH user "${printable(user)}" in "${printable(destination)}" is not a valid user name: use letters, digits, ".", "_" or "-" (not starting with "-").`,
    );
  }
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  const hostOk = IPV6.test(host) ? host.length <= 100 : HOST_NAME.test(host);
  if (!hostOk) {
    const why = host.startsWith('-')
      ? 'it starts with "-", so ssh would read it as an option'
      : 'a host name, IP address or ~/.ssh/config alias uses only letters, digits, ".", "_", "-" (and ":" for IPv6)';
    return invalid(`The SSH host "${printable(host)}" is not valid: ${why}.`);
  }
  return user === undefined ? { ok: true, host } : { ok: true, host, user };
}

function validatePort(port: number | string | undefined): number | undefined | { ok: false; error: RunError } {
  if (port === undefined || port === '') return undefined;
  const text = String(port).trim();
  const value = /^[0-9]{1,5}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    return invalid(`The SSH port "${printable(text)}" must be a number from 1 to 65535.`);
  }
  return value;
}

function validateIdentityFile(path: string): { ok: true; path: string } | { ok: false; error: RunError } {
  if (/[\0-\x1f\x7f-\x9f\u2028\u2029]/.test(path)) return invalid(`The identity file name "${printable(path)}" contains a control character.`);
  const expanded = path === '~' || path.startsWith('~/') ? homedir() + path.slice(1) : path;
  const absolute = isAbsolute(expanded) ? expanded : resolve(expanded);
  try {
    if (!statSync(absolute).isFile()) {
      return invalid(`The identity file "${printable(path)}" is not a file: pass the private key, e.g. --identity ~/.ssh/id_ed25519.`);
    }
  } catch {
    return invalid(`The identity file "${printable(path)}" does not exist: pass the private key, e.g. --identity ~/.ssh/id_ed25519.`);
  }
  return { ok: true, path: absolute };
}

type CheckedOption = { ok: true; key: string; value: string } | { ok: false; error: RunError };

/** Checks one `KEY=VALUE` ssh option against the allow-list of sshOptions.ts. */
export function validateSshOption(text: string): CheckedOption {
  const checked = checkSshOption(text);
  return checked.ok ? checked : invalid(checked.message);
}

/**
 * The full ssh argument list for running `sh -s` on the target. `-T`: no terminal; `BatchMode`: never prompt;
 * `StrictHostKeyChecking=yes`: an unknown or changed host key is refused even if ~/.ssh/config says otherwise
 * (command-line options win); `LogLevel=ERROR`: drop banners so stderr holds only real errors.
 */
export function buildSshArgs(target: SshTarget, remoteCommand: readonly string[] = ['sh', '-s']): string[] {
  const args = [
    '-T',
    '-o', 'BatchMode=yes',
    '-o', 'StrictHostKeyChecking=yes',
    '-o', `ConnectTimeout=${target.connectTimeoutSeconds}`,
    '-o', 'LogLevel=ERROR',
  ];
  if (target.port !== undefined) args.push('-p', String(target.port));
  if (target.identityFile !== undefined) args.push('-i', target.identityFile);
  if (target.user !== undefined) args.push('-l', target.user);
  for (const option of target.sshOptions) args.push('-o', `${option.key}=${option.value}`);
  args.push('--', target.host, ...remoteCommand);
  return args;
}

function invalid(message: string): { ok: false; error: RunError } {
  return { ok: false, error: { kind: 'invalid-input', message } };
}
