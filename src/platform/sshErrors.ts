/**
 * Turns ssh's stderr into a classified error with advice. The patterns are OpenSSH's own messages (stable for
 * two decades); `LC_ALL=C` is set when spawning so they are never translated.
 */
import type { RunError } from './runResult';

/** How the target is named in advice: `display` in prose, commands the user can type as they are. */
export interface SshAdviceContext {
  display: string;
  /** e.g. `ssh -p 2222 palav@homelab`. */
  sshCommand: string;
  /** e.g. `ssh-keygen -R '[homelab]:2222'`. */
  removeKeyCommand: string;
}

interface Pattern {
  test: RegExp;
  build: (ctx: SshAdviceContext) => RunError;
}

/** Checked in order: a changed key also prints "Host key verification failed", so it comes first. */
const PATTERNS: Pattern[] = [
  {
    test: /REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed/i,
    build: (ctx) => ({
      kind: 'host-key-changed',
      message:
        `The host key of ${ctx.display} is not the one in your known_hosts. After a reinstall (e.g. the new NixOS system) that is expected: ` +
        `remove the old key with "${ctx.removeKeyCommand}", connect once with "${ctx.sshCommand}" to check and accept the new one, then run this again. ` +
        'If the host was not reinstalled, do not connect: someone may be intercepting the connection.',
    }),
  },
  {
    test: /host key is known for|Host key verification failed|No [A-Z0-9-]+ host key is known/i,
    build: (ctx) => ({
      kind: 'host-key-unknown',
      message:
        `ssh does not know the host key of ${ctx.display} yet, and nixos-homelab never accepts one unchecked. ` +
        `Connect once with "${ctx.sshCommand}" to check the fingerprint and accept the host key, then run this again ` +
        '(or pass --ssh-option UserKnownHostsFile=FILE with a file that holds it).',
    }),
  },
  {
    test: /Permission denied \(|Too many authentication failures|no mutual signature algorithm|Authentication failed/i,
    build: (ctx) => ({
      kind: 'auth-failed',
      message:
        `${ctx.display} refused every SSH key offered (password prompts are disabled). ` +
        `Add your key with "ssh-copy-id ${ctx.sshCommand.slice(4)}", or point at the right private key with --identity FILE, and check the user name.`,
    }),
  },
  {
    test: /Could not resolve hostname|Name or service not known|nodename nor servname|Temporary failure in name resolution/i,
    build: (ctx) => ({
      kind: 'unreachable',
      message: `The host name of ${ctx.display} could not be resolved. Check the spelling, your DNS, or the Host alias in ~/.ssh/config.`,
    }),
  },
  {
    test: /Connection refused/i,
    build: (ctx) => ({
      kind: 'unreachable',
      message: `${ctx.display} refused the connection: no SSH server listens on that port. Check --port, and that sshd runs on the host (services.openssh.enable = true on NixOS).`,
    }),
  },
  {
    test: /Connection timed out|Operation timed out|No route to host|Network is unreachable|Host is unreachable/i,
    build: (ctx) => ({
      kind: 'unreachable',
      message: `${ctx.display} could not be reached (no answer or no route). Check that it is powered on, on the network, and that a firewall lets SSH through.`,
    }),
  },
];

/**
 * Classifies a run in which ssh exited with status 255 (its own failure; the remote script's status is
 * passed through otherwise). Always returns an error: unrecognised output becomes `ssh-failed` with ssh's words.
 */
export function classifySshFailure(stderr: string, ctx: SshAdviceContext): RunError {
  // ssh writes some messages with CRLF line ends (it assumes a terminal).
  const detail = stderr.replace(/\r\n/g, '\n').trim();
  for (const pattern of PATTERNS) {
    if (pattern.test.test(detail)) return withDetail(pattern.build(ctx), detail);
  }
  const lastLine = detail.split('\n').filter((line) => line.trim() !== '').pop() ?? 'no message';
  return withDetail(
    {
      kind: 'ssh-failed',
      message: `ssh to ${ctx.display} failed: ${lastLine.trim()}. Try "${ctx.sshCommand}" in a terminal to see what it needs.`,
    },
    detail,
  );
}

/**
 * Checks the output of `uname -s` on the remote: the extraction and verify scripts assume Linux tools
 * (`lsblk`, `findmnt`, GNU `stat`). Returns an error to show, or undefined when the host runs Linux.
 */
export function notLinuxError(unameOutput: string, host: string): RunError | undefined {
  const system = unameOutput.trim().split('\n')[0]?.trim() ?? '';
  if (system === 'Linux') return undefined;
  const shown = system === '' ? 'nothing' : `"${system}"`;
  return {
    kind: 'not-linux',
    message: `${host} is not a Linux host ("uname -s" printed ${shown}). Run this against the Ubuntu/Pop!_OS machine you migrate from, or the new NixOS host.`,
  };
}

function withDetail(error: RunError, detail: string): RunError {
  return detail === '' ? error : { ...error, detail };
}
