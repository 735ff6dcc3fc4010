import { z } from 'zod';
import type { HostSnapshot } from './model';

const blockDeviceSchema = z.object({
  name: z.string(),
  fsType: z.string().optional(),
  uuid: z.string().optional(),
  partUuid: z.string().optional(),
  label: z.string().optional(),
  mountpoint: z.string().optional(),
  mountpoints: z.array(z.string()).optional(),
  parent: z.string().optional(),
});

const id = z.number().int().nonnegative();

const fstabEntrySchema = z.object({
  spec: z.string(),
  specKind: z.enum(['uuid', 'partuuid', 'label', 'partlabel', 'device', 'other']),
  specValue: z.string(),
  mountpoint: z.string(),
  fsType: z.string(),
  options: z.array(z.string()),
  dump: z.number().int().nonnegative(),
  pass: z.number().int().nonnegative(),
  line: z.number().int().positive(),
});

const hostUserSchema = z.object({
  name: z.string().min(1),
  uid: id,
  gid: id,
  primaryGroup: z.string(),
  groups: z.array(z.object({ gid: id, name: z.string() })),
});

const hostGroupSchema = z.object({
  name: z.string().min(1),
  gid: id,
  members: z.array(z.string()),
});

const driNodeSchema = z.object({
  node: z.string().min(1),
  uid: id,
  gid: id,
  mode: z.string().optional(),
});

const gpuDeviceSchema = z.object({
  slot: z.string(),
  vendor: z.enum(['intel', 'amd', 'nvidia', 'other']),
  vendorId: z.string().optional(),
  deviceId: z.string().optional(),
  description: z.string(),
});

const osReleaseSchema = z.object({
  id: z.string().optional(),
  versionId: z.string().optional(),
  prettyName: z.string().optional(),
});

const snapshotGapSchema = z.object({
  command: z.string(),
  reason: z.string(),
});

/** The zod schema of `snapshot.json`, version 1. Unknown keys are dropped, so newer optional fields do not break it. */
export const snapshotSchema = z.object({
  version: z.literal(1),
  takenAt: z.string().optional(),
  host: z.string().optional(),
  source: z.enum(['ssh', 'local', 'import', 'files']),
  os: osReleaseSchema.optional(),
  blockDevices: z.array(blockDeviceSchema),
  fstab: z.array(fstabEntrySchema),
  users: z.array(hostUserSchema),
  groups: z.array(hostGroupSchema),
  dri: z.array(driNodeSchema),
  gpus: z.array(gpuDeviceSchema),
  gaps: z.array(snapshotGapSchema),
});

// Compile-time proof that the schema and the HostSnapshot contract describe the same shape: if either changes
// without the other, one of these assignments stops type-checking.
// Mutual assignability alone would miss an optional field present on one side only, so keys are compared too.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? SameKeys<A, B> : false) : false;
type SameKeys<A, B> = A extends readonly (infer EA)[]
  ? B extends readonly (infer EB)[]
    ? Same<EA, EB>
    : false
  : A extends object
    ? B extends object
      ? [Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>] extends [never]
        ? { [K in keyof A & keyof B]-?: Same<NonNullable<A[K]>, NonNullable<B[K]>> }[keyof A & keyof B] extends true
          ? true
          : false
        : false
      : false
    : true;
const schemaMatchesModel: Same<z.infer<typeof snapshotSchema>, HostSnapshot> = true;
void schemaMatchesModel;

export type SnapshotValidation = { ok: true; snapshot: HostSnapshot } | { ok: false; message: string };

/**
 * Validates parsed `snapshot.json` content. On failure the message names the offending field(s), e.g.
 * `users[0].uid: Expected number, received string`, and says what to do.
 */
export function validateSnapshot(json: unknown): SnapshotValidation {
  const result = snapshotSchema.safeParse(json);
  if (result.success) return { ok: true, snapshot: result.data };
  const shown = result.error.issues.slice(0, 3).map((issue) => `${fieldPath(issue.path)}: ${describeIssue(issue)}`);
  const more = result.error.issues.length > shown.length ? ` (and ${result.error.issues.length - shown.length} more)` : '';
  return {
    ok: false,
    message: `snapshot.json is not a valid version 1 snapshot: ${shown.join('; ')}${more}. Fix the field or extract it again ("NixOS Homelab: Extract Host State over SSH…").`,
  };
}

function describeIssue(issue: z.ZodIssue): string {
  if (issue.code === 'invalid_literal' && issue.path[0] === 'version') {
    return `unsupported version ${JSON.stringify(issue.received)} (this product reads version 1)`;
  }
  return issue.message;
}

/** `users[0].uid`, or `(root)` for a problem with the whole document. */
function fieldPath(path: (string | number)[]): string {
  if (path.length === 0) return '(root)';
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
}
