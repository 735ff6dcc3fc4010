/**
 * The JSON the projection (projection.ts) prints, validated with zod, and the typed result the merge reads. Each
 * part is `{ ok: value }`, `{ failed: true }` (it threw: left to the static reading) or `{ absent: true }` (the
 * option does not exist in this NixOS).
 */
import { z } from 'zod';
import { PROJECTION_VERSION } from './projection';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
const json: z.ZodType<Json> = z.lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(json), z.record(json)]));

const failed = z.object({ failed: z.literal(true) });
const absent = z.object({ absent: z.literal(true) });
const part = <T extends z.ZodTypeAny>(schema: T) => z.union([z.object({ ok: schema }), failed, absent]);

const user = z.object({ uid: z.number().int().nullable(), group: z.string(), extraGroups: z.array(z.string()), isNormalUser: z.boolean() });
const group = z.object({ gid: z.number().int().nullable(), members: z.array(z.string()) });
const fileSystem = z.object({ mountPoint: z.string(), device: json, fsType: z.string().nullable(), options: z.array(z.string()) });
const unitMount = z.object({ where: z.string().nullable(), what: json, type: z.string().nullable(), options: z.string() });
const composeUnit = z.object({
  script: z.string(),
  execStart: z.array(z.string()),
  execStartPre: z.array(z.string()),
  workingDirectory: z.string().nullable(),
  environmentFile: z.array(z.string()),
  environment: z.record(z.string()),
  after: z.array(z.string()),
  requires: z.array(z.string()),
  wants: z.array(z.string()),
  requiresMountsFor: z.array(z.string()),
  files: z.array(z.string()),
});
const locatedMessage = z.object({ file: z.string(), message: z.string() });

export const projectionSchema = z.object({
  version: z.literal(PROJECTION_VERSION),
  release: part(z.string().nullable()),
  users: part(z.record(part(user))),
  groups: part(z.record(part(group))),
  fileSystems: part(z.record(part(fileSystem))),
  userFiles: part(z.record(z.array(z.string()))),
  groupFiles: part(z.record(z.array(z.string()))),
  fileSystemFiles: part(z.record(z.array(z.string()))),
  options: z.array(z.object({ path: z.array(z.string()), value: part(json), highestPrio: part(z.number().nullable()), files: part(z.array(z.string())) })),
  systemdMounts: part(z.array(unitMount)),
  systemdAutomounts: part(z.array(unitMount)),
  dockerPackageVersion: part(z.string().nullable()),
  ageSecrets: part(z.record(z.object({ path: json }))),
  sopsSecrets: part(z.record(z.object({ path: json }))),
  /** The systemd services that run Compose, by name. */
  composeUnits: part(z.record(part(composeUnit))),
  assertions: part(z.array(z.string())),
  assertionLocations: part(z.array(locatedMessage)),
  warnings: part(z.array(z.string())),
  warningLocations: part(z.array(locatedMessage)),
});

export type Projection = z.infer<typeof projectionSchema>;
export type EvaluatedComposeUnit = z.infer<typeof composeUnit>;
export type JsonValue = Json;

/** A part's value, or undefined when it failed or does not exist. */
export function okOf<T>(value: { ok: T } | { failed: true } | { absent: true }): T | undefined {
  return 'ok' in value ? value.ok : undefined;
}

/** What Nix evaluated for one host: the projection, and when and how it was obtained. */
export interface HostEvaluation {
  /** The host's name (flake attribute, else its folder). */
  host: string;
  projection: Projection;
  /** What ran, for messages: `nix eval …#nixosConfigurations.nas` or `nix-instantiate … <nixpkgs/nixos>`. */
  command: string;
  /** Maps a file Nix reports (a store copy of the flake) back to the workspace file, or undefined when it is not one. */
  workspaceFile(reported: string): string | undefined;
}

/** Parses the projection's output; a message says what was wrong (a bug of ours or a NixOS shaped very differently). */
export function parseProjection(text: string): { projection: Projection } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: `Nix printed something that is not JSON (${(error as Error).message})` };
  }
  const parsed = projectionSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { error: `the evaluated values do not have the expected shape (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'unknown'})` };
  }
  return { projection: parsed.data };
}

/** The names of the parts that failed (threw), for the notice that says what was left to the static reading. */
export function failedParts(projection: Projection): string[] {
  const names: string[] = [];
  const check = (name: string, value: object): void => {
    if ('failed' in value) names.push(name);
  };
  check('release', projection.release);
  check('users', projection.users);
  for (const [name, value] of Object.entries(okOf(projection.users) ?? {})) check(`users.users.${name}`, value);
  check('groups', projection.groups);
  for (const [name, value] of Object.entries(okOf(projection.groups) ?? {})) check(`users.groups.${name}`, value);
  check('fileSystems', projection.fileSystems);
  for (const [name, value] of Object.entries(okOf(projection.fileSystems) ?? {})) check(`fileSystems."${name}"`, value);
  for (const option of projection.options) check(option.path.join('.'), option.value);
  check('systemd.mounts', projection.systemdMounts);
  check('systemd.automounts', projection.systemdAutomounts);
  check('virtualisation.docker.package.version', projection.dockerPackageVersion);
  check('age.secrets', projection.ageSecrets);
  check('sops.secrets', projection.sopsSecrets);
  check('systemd.services', projection.composeUnits);
  for (const [name, value] of Object.entries(okOf(projection.composeUnits) ?? {})) check(`systemd.services.${name}`, value);
  check('assertions', projection.assertions);
  check('warnings', projection.warnings);
  return names;
}

/** The release the evaluated hosts agree on (`system.nixos.release`), else undefined. */
export function evaluatedRelease(evaluations: Iterable<HostEvaluation>): string | undefined {
  const releases = new Set<string>();
  for (const evaluation of evaluations) {
    const release = okOf(evaluation.projection.release);
    if (release) releases.add(release);
  }
  return releases.size === 1 ? [...releases][0] : undefined;
}
