/**
 * What the user types in "Enter a host…": `[user@]host[:port]`, with IPv6 in brackets when a port follows
 * (`[fe80::1]:2222`). Free of `vscode` (unit-tested); the parts are validated by `validateSshTarget` afterwards.
 */
export interface HostInput {
  destination: string;
  port?: string;
}

/** Splits a typed host into the ssh destination and an optional port. */
export function parseHostInput(text: string): HostInput {
  const trimmed = text.trim();
  const bracketed = /^(.*\[[^\]]+\]):(\d+)$/.exec(trimmed);
  if (bracketed) return { destination: bracketed[1] ?? '', port: bracketed[2] ?? '' };
  const at = trimmed.lastIndexOf('@');
  const hostPart = trimmed.slice(at + 1);
  // One colon: host:port. More: a bare IPv6 address, which has no port in this form.
  const colons = hostPart.split(':').length - 1;
  if (colons === 1) {
    const colon = trimmed.lastIndexOf(':');
    return { destination: trimmed.slice(0, colon), port: trimmed.slice(colon + 1) };
  }
  return { destination: trimmed };
}

/** How a remembered host is shown and typed back: the inverse of `parseHostInput`. */
export function formatHostInput(input: HostInput): string {
  if (input.port === undefined || input.port === '' || input.port === '22') return input.destination;
  const at = input.destination.lastIndexOf('@');
  const host = input.destination.slice(at + 1);
  const shownHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `${input.destination.slice(0, at + 1)}${shownHost}:${input.port}`;
}
