import type { ComposeService, Located } from '../../compose/model';
import { requestedUids } from '../../compose/requestedIds';
import { userByUid } from '../../host';
import { perService, type RuleFinding, type ServiceRuleContext } from '../rule';
import { describeValue, displayFile, parseId, relatedToDefinition, relatedToMissing } from '../facts';

export const puidUnmapped = perService({
  id: 'puid-unmapped',
  side: 'compose',
  defaultSeverity: 'error',
  summary: 'A PUID or `user:` uid has no NixOS user declared with that fixed uid.',
  fixable: (data, ctx) => ctx.hasConfiguration && typeof data?.['userName'] === 'string',
  checkService(service: ComposeService, ctx: ServiceRuleContext): RuleFinding[] {
    const findings: RuleFinding[] = [];
    for (const { value, via } of requestedUids(service)) {
      const uid = parseId(value.value);
      if (uid === undefined || uid === 0) continue;
      if (ctx.nix?.findUserByUid(uid)) continue;
      findings.push(finding(ctx, service, value, via, uid));
    }
    return findings;
  },
});

function finding(ctx: ServiceRuleContext, service: ComposeService, value: Located<string>, via: string, uid: number): RuleFinding {
  const oldUser = ctx.snapshot ? userByUid(ctx.snapshot, uid) : undefined;
  // Prefer the old host's name for this uid; else the one normal user the configuration declares.
  const normalUsers = [...(ctx.nix?.users.values() ?? [])].filter((u) => u.isNormalUser);
  const userName = oldUser?.name ?? (normalUsers.length === 1 ? normalUsers[0]?.name : undefined);
  const existing = userName ? ctx.nix?.users.get(userName) : undefined;
  const where = ctx.nix ? displayFile(ctx.nix.entry) : 'the NixOS configuration';
  const target = userName ? `users.users.${userName}.uid = ${uid};` : `a user with \`uid = ${uid};\``;
  const reason = existing
    ? `users.users.${userName} is declared without \`uid\`, so NixOS allocates one dynamically`
    : `no NixOS user has uid ${uid} (${where} and its imports)`;
  const related = existing?.declaredAt
    ? relatedToDefinition(existing.declaredAt, `users.users.${userName} has no fixed uid`)
    : relatedToMissing(ctx.nix, `no user with uid ${uid} declared here or in its imports`);
  return {
    file: value.loc.file,
    range: value.loc.range,
    message: `${via} ${describeValue(value)} of service \`${service.name}\`: ${reason}. Files on the data disks owned by uid ${uid} will be "permission denied" — declare ${target}`,
    related,
    data: { uid, userName: userName ?? null, userExists: Boolean(existing), oldHostUser: oldUser?.name ?? null },
  };
}
