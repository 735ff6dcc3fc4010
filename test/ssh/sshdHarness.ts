/**
 * A real OpenSSH server on 127.0.0.1 for the SSH test tier: throwaway host key, client keys, authorized_keys and
 * sshd_config in a temp dir, a free port, and a known_hosts file that trusts exactly this server. Machine-level
 * prerequisites (sshd binary, /run/sshd, the test user) come from scripts/sshd-setup.sh.
 *
 * If anything here fails, `startSshd` rejects with a message saying what and where the log is, and the tests
 * that await it fail: this tier is never skipped silently.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { after, before } from 'node:test';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const TEST_USER = 'nixoshl-test';
const SSHD = '/usr/sbin/sshd';
const SETUP_SCRIPT = resolve(__dirname, '../../scripts/sshd-setup.sh');

export interface SshdHarness {
  port: number;
  user: string;
  /** Private key whose public half is in authorized_keys. */
  clientKey: string;
  /** Private key the server does not accept. */
  strangerKey: string;
  /** known_hosts holding this server's host key for `[127.0.0.1]:port`. */
  knownHosts: string;
  /** Empty known_hosts: ssh must refuse the server. */
  emptyKnownHosts: string;
  /** known_hosts holding a different key for `[127.0.0.1]:port`, as after a reinstall. */
  wrongKnownHosts: string;
  /** A directory the test user can write to (for remote pid files). */
  sharedDir: string;
  dir: string;
  logFile: string;
  /** ssh options every test passes: trust exactly this server, touch nothing in ~/.ssh. */
  sshOptions(knownHostsFile?: string): string[];
  stop(): Promise<void>;
}

/** Sets up and starts the server; rejects with a readable reason. */
export async function startSshd(): Promise<SshdHarness> {
  const setup = spawnSync('bash', [SETUP_SCRIPT], { encoding: 'utf8', timeout: 600_000 });
  if (setup.status !== 0) {
    throw new Error(`SSH test tier: ${SETUP_SCRIPT} failed (status ${setup.status}): ${setup.stderr || setup.error?.message}`);
  }
  if (!existsSync(SSHD)) throw new Error(`SSH test tier: ${SSHD} is missing after ${SETUP_SCRIPT}.`);

  const dir = mkdtempSync(join(tmpdir(), 'nixoshl-sshd-'));
  // sshd reads authorized_keys with the test user's rights, so the directory must be traversable.
  chmodSync(dir, 0o755);
  const sharedDir = join(dir, 'shared');
  mkdirSync(sharedDir);
  chmodSync(sharedDir, 0o777);

  const hostKey = join(dir, 'host_ed25519');
  const otherHostKey = join(dir, 'other_host_ed25519');
  const clientKey = join(dir, 'client_ed25519');
  const strangerKey = join(dir, 'stranger_ed25519');
  for (const key of [hostKey, otherHostKey, clientKey, strangerKey]) keygen(key);

  const authorizedKeys = join(dir, 'authorized_keys');
  writeFileSync(authorizedKeys, readFileSync(`${clientKey}.pub`, 'utf8'));
  chmodSync(authorizedKeys, 0o644);

  const logFile = join(dir, 'sshd.log');
  let lastError = '';
  // A port found free can be taken before sshd binds it; retry with a new one.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const config = join(dir, 'sshd_config');
    writeFileSync(config, sshdConfig({ port, hostKey, authorizedKeys, pidFile: join(dir, 'sshd.pid') }));
    const check = spawnSync(SSHD, ['-t', '-f', config], { encoding: 'utf8' });
    if (check.status !== 0) throw new Error(`SSH test tier: sshd rejected its config ${config}: ${check.stderr}`);

    const child = spawn(SSHD, ['-D', '-f', config, '-E', logFile], { stdio: 'ignore' });
    const started = await waitForListening(child, port, 15_000);
    if (!started.ok) {
      lastError = `${started.reason}; log ${logFile}:\n${readLog(logFile)}`;
      stopChild(child);
      continue;
    }

    const hostPub = readFileSync(`${hostKey}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
    const otherPub = readFileSync(`${otherHostKey}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
    const knownHosts = join(dir, 'known_hosts');
    const emptyKnownHosts = join(dir, 'known_hosts_empty');
    const wrongKnownHosts = join(dir, 'known_hosts_wrong');
    writeFileSync(knownHosts, `[127.0.0.1]:${port} ${hostPub}\n`);
    writeFileSync(emptyKnownHosts, '');
    writeFileSync(wrongKnownHosts, `[127.0.0.1]:${port} ${otherPub}\n`);

    return {
      port,
      user: TEST_USER,
      clientKey,
      strangerKey,
      knownHosts,
      emptyKnownHosts,
      wrongKnownHosts,
      sharedDir,
      dir,
      logFile,
      sshOptions: (knownHostsFile = knownHosts) => [
        `UserKnownHostsFile=${knownHostsFile}`,
        'GlobalKnownHostsFile=/dev/null',
        // Only the key we name: root's own keys or agent must not make a test pass.
        'IdentitiesOnly=yes',
        'IdentityAgent=none',
        // Without this ssh may rewrite known_hosts (hashing, extra key types): the tests check it stays as is.
        'UpdateHostKeys=no',
      ],
      stop: async () => {
        await stopChild(child);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`SSH test tier: sshd did not start on 127.0.0.1: ${lastError}`);
}

function sshdConfig(o: { port: number; hostKey: string; authorizedKeys: string; pidFile: string }): string {
  return [
    `Port ${o.port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${o.hostKey}`,
    `PidFile ${o.pidFile}`,
    `AuthorizedKeysFile ${o.authorizedKeys}`,
    // The temp dir belongs to root, not to the test user; StrictModes would refuse it.
    'StrictModes no',
    'UsePAM no',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin no',
    `AllowUsers ${TEST_USER}`,
    'AcceptEnv LANG LC_*',
    'LogLevel VERBOSE',
    '',
  ].join('\n');
}

function keygen(path: string): void {
  const result = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'nixoshl-test', '-f', path], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`SSH test tier: ssh-keygen failed for ${path}: ${result.stderr || result.error?.message}`);
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function waitForListening(child: ChildProcess, port: number, timeoutMs: number): Promise<{ ok: true } | { ok: false; reason: string }> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      return { ok: false, reason: `sshd exited (${child.exitCode ?? child.signalCode}) before listening on port ${port}` };
    }
    if (await canConnect(port)) return { ok: true };
    await new Promise((r) => setTimeout(r, 50));
  }
  return { ok: false, reason: `sshd did not accept connections on port ${port} within ${timeoutMs} ms` };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolveConnect) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolveConnect(true);
    });
    socket.once('error', () => resolveConnect(false));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    child.once('exit', () => resolveStop());
    child.kill('SIGTERM');
  });
}

function readLog(path: string): string {
  try {
    return readFileSync(path, 'utf8').slice(-4000);
  } catch {
    return '(no log written)';
  }
}

/**
 * Starts one sshd for the calling test file (before its tests) and stops it after them. Returns the harness's
 * promise getter: a setup failure fails each test that awaits it, with the harness's message — never a skip.
 */
export function useSshd(): () => Promise<SshdHarness> {
  let harnessPromise: Promise<SshdHarness>;
  before(() => {
    harnessPromise = startSshd();
    harnessPromise.catch(() => undefined);
  });
  after(async () => {
    const harness = await harnessPromise.catch(() => undefined);
    await harness?.stop();
  });
  return () => harnessPromise;
}
