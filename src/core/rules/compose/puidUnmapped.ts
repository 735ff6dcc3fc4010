import type { ComposeService, Located } from '../../compose/model';
import { requestedUids } from '../../compose/requestedIds';
import { userByUid } from '../../host';
import { perService, type RuleFinding, type ServiceRuleContext } from '../rule';
import { displayFile, parseId, plain, relatedToDefinition, relatedToMissing, upperFirst, writtenAs } from '../facts';
import { listNames } from '../grouping';
import { describeShares, hostShares, type HostShare } from './hostShared';

/**
 * A PUID/`user:` uid matters on the host, not in the container: the container keeps access to files owned by that
 * number whatever uid NixOS gives the login user. What breaks when the NixOS user gets another uid is host-side access
 * to the files the service shares with the host (bind mounts, devices): the login user's, that of shares and units
 * running as that user. A service with named volumes only shares nothing with host users and is not reported.
 */

export const puidUnmapped = perService({
  id: 'puid-unmapped',
  side: 'compose',
  defaultSeverity: 'warning',
  summary: 'A service that shares host paths runs as a PUID or `user:` uid that no NixOS user has as its fixed uid.',
  fixable: (data, ctx) => ctx.hasConfiguration && typeof data?.['userName'] === 'string',
  // The same uid in several services of a stack is one missing declaration: one finding, the others related.
  grouping: {
    key: (found) => (typeof found.data?.['uid'] === 'number' ? String(found.data['uid']) : undefined),
    related: (found) => `uid ${String(found.data?.['uid'])} again, in service ${String(found.data?.['service'])}`,
    note: (others) => `The same uid is used by ${others.length === 1 ? 'service' : 'services'} ${listNames([...new Set(others.map((o) => String(o.data?.['service'])))])} of this stack: one declaration answers them all`,
  },
  checkService(service: ComposeService, ctx: ServiceRuleContext): RuleFinding[] {
    const findings: RuleFinding[] = [];
    const shares = hostShares(service);
    if (shares.length === 0) return findings;
    for (const { value, via } of requestedUids(service)) {
      const uid = parseId(value.value);
      if (uid === undefined || uid === 0) continue;
      if (ctx.nix?.findUserByUid(uid)) continue;
      findings.push(finding(ctx, service, value, via, uid, shares));
    }
    return findings;
  },
});

function finding(ctx: ServiceRuleContext, service: ComposeService, value: Located<string>, via: string, uid: number, shares: HostShare[]): RuleFinding {
  const oldUser = ctx.snapshot ? userByUid(ctx.snapshot, uid) : undefined;
  // Prefer the old host's name for this uid; else the one normal user the configuration declares.
  const normalUsers = [...(ctx.nix?.users.values() ?? [])].filter((u) => u.isNormalUser);
  const userName = oldUser?.name ?? (normalUsers.length === 1 ? normalUsers[0]?.name : undefined);
  const existing = userName ? ctx.nix?.users.get(userName) : undefined;
  const where = ctx.nix ? displayFile(ctx.nix.entry) : 'the NixOS configuration';
  const target = userName ? `\`users.users.${userName}.uid = ${uid};\`` : `a user with \`uid = ${uid};\``;
  const reason = existing
    ? `users.users.${userName} is declared without \`uid\`, so NixOS allocates one dynamically`
    : `no NixOS user has uid ${uid} (${where} and its imports)`;
  const related = existing?.declaredAt
    ? relatedToDefinition(existing.declaredAt, `users.users.${userName} has no fixed uid`)
    : relatedToMissing(ctx, userName ? ['users', 'users', userName, 'isNormalUser'] : ['users', 'users'], `no user with uid ${uid} declared here or in its imports`);
  return {
    file: value.loc.file,
    range: value.loc.range,
    message: `${plain(via)} ${value.value} of service ${service.name}: ${existing ? `users.users.${userName ?? ''} has no fixed uid` : `no NixOS user has uid ${uid}`}`,
    explanation: `${writtenAs(value)}${upperFirst(reason)}. ${consequence(uid, userName, shares)}.\n\nFix: declare ${target}.`,
    related,
    data: { service: service.name, uid, userName: userName ?? null, userExists: Boolean(existing), oldHostUser: oldUser?.name ?? null, sharedPath: shares[0]?.path ?? null },
  };
}

/** What breaks, for whom: the container keeps its uid; the host users sharing the files are the ones who lose out. */
function consequence(uid: number, userName: string | undefined, shares: HostShare[]): string {
  const where = describeShares(shares);
  if (!userName) {
    return (
      `The container keeps uid ${uid} whatever NixOS allocates, but it shares ${where} with the host, where no user has uid ${uid}: ` +
      `no login user, Samba/NFS share or unit \`User=\` owns what the container writes there, and what they create there is not uid ${uid}'s`
    );
  }
  return (
    `The container keeps uid ${uid} whatever NixOS allocates, but it shares ${where} with the host: if \`${userName}\` gets another uid, ` +
    `\`${userName}\` no longer owns what the container writes there, and what \`${userName}\` (or a Samba/NFS share or a unit running as ${userName}) ` +
    `creates there is not uid ${uid}'s; the next reinstall may renumber again`
  );
}
