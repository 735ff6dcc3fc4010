/**
 * The `-o KEY=VALUE` options `extract` and `verify` pass to ssh, from `--ssh-option` and from the
 * `nixosHomelab.ssh.options` setting alike (both go through `validateSshTarget`). An allow-list, not a deny-list:
 * many options act on this machine once a session exists (`XAuthLocation` runs a program, `ControlPath` leaves a
 * socket that outlives the run, `LocalForward` opens ports, `ForwardAgent` hands the agent to the host,
 * `LocalCommand`/`ProxyCommand`/`KnownHostsCommand` run commands), and ssh gains new ones. Reading the old host's
 * state needs only the options that choose how to reach and authenticate to it and how to check its key:
 *
 * - where and as whom: `Port`, `User`, `ProxyJump` (validated here: `[user@]host[:port]`, comma-separated, or `none`),
 *   `AddressFamily`;
 * - authentication: `IdentityFile`, `IdentitiesOnly`, `IdentityAgent`, `CertificateFile`, `PreferredAuthentications`,
 *   `PubkeyAcceptedAlgorithms` (and its old name `PubkeyAcceptedKeyTypes`);
 * - the host key, only ever stricter: `UserKnownHostsFile`, `GlobalKnownHostsFile`, `HostKeyAlias`,
 *   `HostKeyAlgorithms`, `CheckHostIP`, `StrictHostKeyChecking=yes|ask`, `UpdateHostKeys=no`;
 * - old or hardened servers: `Ciphers`, `KexAlgorithms`, `MACs`;
 * - slow links: `ConnectTimeout`, `ConnectionAttempts`, `ServerAliveInterval`, `ServerAliveCountMax`,
 *   `TCPKeepAlive`;
 * - `BatchMode=yes` (already set; accepted so a copied command line works).
 *
 * Everything else is refused with the reason. Values hold no control characters and never start with `-`.
 */

export type SshOptionCheck = { ok: true; key: string; value: string } | { ok: false; message: string };

type ValueCheck = (value: string, key: string) => string | undefined;

const HOST_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,252}$/;
const IPV6 = /^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9_.-]+)?$/;
const USER_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;
/** Algorithm lists: names with `@`, `.`, `-`, optionally prefixed by `+`, `-` or `^` (append, remove, prefer). */
const ALGORITHM_LIST = /^[+^-]?[A-Za-z0-9@._*-]+(,[A-Za-z0-9@._*-]+)*$/;

const yesNo: ValueCheck = (value, key) => (/^(yes|no)$/i.test(value) ? undefined : `${key} takes yes or no`);
const wholeNumber =
  (min: number, max: number): ValueCheck =>
  (value, key) =>
    /^[0-9]{1,5}$/.test(value) && Number(value) >= min && Number(value) <= max ? undefined : `${key} takes a whole number from ${min} to ${max}`;
const algorithms: ValueCheck = (value, key) => (ALGORITHM_LIST.test(value) ? undefined : `${key} takes a comma-separated list of algorithm names, e.g. ${key}=+ssh-rsa`);
const filePath: ValueCheck = () => undefined;
const oneOf =
  (...allowed: string[]): ValueCheck =>
  (value, key) =>
    allowed.includes(value.toLowerCase()) ? undefined : `${key} takes ${allowed.join(' or ')} here`;

/** Lower-cased option name → how its value is checked. */
const ALLOWED: Record<string, ValueCheck> = {
  port: wholeNumber(1, 65535),
  user: (value) => (USER_NAME.test(value) ? undefined : 'User takes a user name of letters, digits, ".", "_" or "-" (not starting with "-")'),
  proxyjump: (value) => proxyJumpProblem(value),
  addressfamily: oneOf('any', 'inet', 'inet6'),
  identityfile: filePath,
  identitiesonly: yesNo,
  identityagent: filePath,
  certificatefile: filePath,
  preferredauthentications: (value) => (/^[a-z-]+(,[a-z-]+)*$/.test(value) ? undefined : 'PreferredAuthentications takes a comma-separated list such as publickey,keyboard-interactive'),
  pubkeyacceptedalgorithms: algorithms,
  pubkeyacceptedkeytypes: algorithms,
  userknownhostsfile: filePath,
  globalknownhostsfile: filePath,
  updatehostkeys: oneOf('no'),
  hostkeyalias: (value) => (HOST_NAME.test(value) ? undefined : 'HostKeyAlias takes a host name'),
  hostkeyalgorithms: algorithms,
  checkhostip: yesNo,
  stricthostkeychecking: oneOf('yes', 'ask'),
  ciphers: algorithms,
  kexalgorithms: algorithms,
  macs: algorithms,
  connecttimeout: wholeNumber(1, 3600),
  connectionattempts: wholeNumber(1, 10),
  serveraliveinterval: wholeNumber(0, 3600),
  serveralivecountmax: wholeNumber(0, 100),
  tcpkeepalive: yesNo,
  batchmode: oneOf('yes'),
};

/** Why well-known options are refused, lower-cased name → reason; anything else unlisted gets the general reason. */
const REFUSAL_REASONS: Record<string, string> = {
  proxycommand: 'it runs a local command; use ProxyJump=HOST for a jump host',
  localcommand: 'it runs a local command',
  permitlocalcommand: 'it enables LocalCommand, which runs a local command',
  knownhostscommand: 'it runs a local command',
  xauthlocation: 'it names a program ssh runs on this machine (for X11 forwarding)',
  forwardx11: 'X11 forwarding runs xauth on this machine and lets the host reach your display',
  forwardx11trusted: 'X11 forwarding runs xauth on this machine and lets the host reach your display',
  forwardagent: 'it hands your SSH agent to the host',
  controlmaster: 'it creates a shared connection socket on this machine that outlives the run',
  controlpath: 'it uses or creates a shared connection socket on this machine',
  controlpersist: 'it keeps a connection open on this machine after the run',
  localforward: 'it opens a port on this machine',
  remoteforward: 'it opens a port on the host that leads to this machine',
  dynamicforward: 'it opens a SOCKS proxy on this machine',
  gatewayports: 'it exposes forwarded ports to other machines',
  tunnel: 'it creates a network device',
  tunneldevice: 'it creates a network device',
  sendenv: 'it sends your local environment to the host',
  setenv: 'it sets environment variables on the host before the read-only script runs',
  pkcs11provider: 'it loads a local library into ssh',
  securitykeyprovider: 'it loads a local library into ssh',
  include: 'it reads another configuration file; put the options in ~/.ssh/config instead',
  match: 'Match blocks belong in ~/.ssh/config',
  host: 'Host blocks belong in ~/.ssh/config',
  hostname: 'it changes which host ssh connects to; give the host with --ssh [USER@]HOST',
  remotecommand: 'nixos-homelab sends its own read-only script',
  sessiontype: 'nixos-homelab needs a remote shell session',
  stdinnull: 'the script is sent on stdin',
  forkafterauthentication: 'nixos-homelab waits for the script output',
  requesttty: 'a terminal would mangle the script output',
  verifyhostkeydns: 'it could trust a host key published in DNS that nobody checked',
  loglevel: 'ssh messages are read to explain failures; nixos-homelab sets the level itself',
};

const ALLOWED_NAMES =
  'Port, User, ProxyJump, AddressFamily, IdentityFile, IdentitiesOnly, IdentityAgent, CertificateFile, PreferredAuthentications, ' +
  'PubkeyAcceptedAlgorithms, UserKnownHostsFile, GlobalKnownHostsFile, HostKeyAlias, HostKeyAlgorithms, CheckHostIP, ' +
  'StrictHostKeyChecking=yes|ask, UpdateHostKeys=no, Ciphers, KexAlgorithms, MACs, ' +
  'ConnectTimeout, ConnectionAttempts, ServerAliveInterval, ServerAliveCountMax, TCPKeepAlive, BatchMode=yes';

/** StrictHostKeyChecking values that would trust a host key nobody checked. */
const ACCEPTING_HOST_KEY_VALUES = new Set(['no', 'off', 'accept-new']);

/** Checks one `KEY=VALUE` ssh option against the allow-list; the message names the option, the value and why. */
export function checkSshOption(text: string): SshOptionCheck {
  const eq = text.indexOf('=');
  const key = eq > 0 ? text.slice(0, eq).trim() : '';
  const value = eq > 0 ? text.slice(eq + 1).trim() : '';
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(key) || value === '') {
    return refuse(`The SSH option "${printable(text)}" must look like KEY=VALUE with a letters-and-digits key, e.g. --ssh-option UserKnownHostsFile=~/.ssh/known_hosts_homelab.`);
  }
  const lower = key.toLowerCase();
  const check = ALLOWED[lower];
  if (!check) {
    const reason = REFUSAL_REASONS[lower] ?? `extraction and verification need none but these options: ${ALLOWED_NAMES}`;
    return refuse(`The SSH option ${key} is refused: ${reason}.`);
  }
  if (/[\0-\x1f\x7f-\x9f\u2028\u2029]/.test(value)) return refuse(`The value of SSH option ${key} contains a control character: "${printable(value)}".`);
  if (value.startsWith('-') && check !== algorithms) return refuse(`The value of SSH option ${key} starts with "-": "${printable(value)}".`);
  if (lower === 'stricthostkeychecking' && ACCEPTING_HOST_KEY_VALUES.has(value.toLowerCase())) {
    return refuse(
      `The SSH option ${key}=${value} is refused: nixos-homelab never trusts a host key nobody checked. Connect once with "ssh USER@HOST", compare the fingerprint, accept it, then run this again.`,
    );
  }
  if (lower === 'updatehostkeys' && value.toLowerCase() !== 'no') {
    return refuse(`The SSH option ${key}=${value} is refused: it rewrites your known_hosts file; only UpdateHostKeys=no is passed.`);
  }
  if (lower === 'batchmode' && value.toLowerCase() !== 'yes') {
    return refuse(`The SSH option ${key}=${value} is refused: nixos-homelab always runs ssh with BatchMode=yes so it never waits for a password prompt.`);
  }
  const problem = check(value, key);
  if (problem) return refuse(`The SSH option ${key}=${printable(value)} is refused: ${problem}.`);
  return { ok: true, key, value };
}

/**
 * Why a ProxyJump value is unsafe or malformed, or undefined when it is `none` or a comma-separated list of
 * `[user@]host[:port]` (IPv6 in brackets). ssh runs a second ssh for each hop with the host as an argument, so
 * a hop that starts with `-` or holds spaces could be read as an option.
 */
export function proxyJumpProblem(value: string): string | undefined {
  if (value === 'none') return undefined;
  for (const hop of value.split(',')) {
    const parsed = /^(?:([^@]*)@)?(\[[^\]]*\]|[^:@]*)(?::([^:@]*))?$/.exec(hop);
    const [, user, rawHost = '', port] = parsed ?? [];
    const host = rawHost.startsWith('[') ? rawHost.slice(1, -1) : rawHost;
    const hostOk = rawHost.startsWith('[') ? IPV6.test(host) && host.length <= 100 : HOST_NAME.test(host);
    if (!parsed || !hostOk || (user !== undefined && !USER_NAME.test(user)) || (port !== undefined && !(/^[0-9]{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535))) {
      return `ProxyJump takes none or [user@]host[:port] hops separated by commas (no spaces, no leading "-"); "${printable(hop)}" is not one`;
    }
  }
  return undefined;
}

function refuse(message: string): { ok: false; message: string } {
  return { ok: false, message };
}

/**
 * Text as it can be shown on a terminal line: control characters, line and paragraph separators and
 * bidirectional overrides are written as JSON-style escapes (`\r`, `\u2028`) instead of acting on the terminal.
 */
export function printable(text: string): string {
  return JSON.stringify(text)
    .slice(1, -1)
    .replace(/[\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
