/** Builds projections by hand (everything absent unless given) and evaluations over them, for the merge tests. */
import type { HostEvaluation, Projection } from '../../../../src/core/evaluation/schema';
import { PROJECTED_OPTIONS, PROJECTION_VERSION } from '../../../../src/core/evaluation/projection';

const absent = { absent: true as const };

/** A projection with every part absent, then `parts` on top; `options` by dotted path → value. */
export function projection(parts: Partial<Projection> = {}, options: Record<string, { value: unknown; highestPrio?: number; files?: string[] }> = {}): Projection {
  return {
    version: PROJECTION_VERSION,
    release: absent,
    users: absent,
    groups: absent,
    fileSystems: absent,
    userFiles: absent,
    groupFiles: absent,
    fileSystemFiles: absent,
    options: PROJECTED_OPTIONS.map((path) => {
      const given = options[path.join('.')];
      return {
        path: [...path],
        value: given ? { ok: given.value as never } : absent,
        highestPrio: given ? { ok: given.highestPrio ?? 100 } : absent,
        files: { ok: given?.files ?? [] },
      };
    }),
    systemdMounts: absent,
    systemdAutomounts: absent,
    dockerPackageVersion: absent,
    ageSecrets: absent,
    sopsSecrets: absent,
    composeUnits: absent,
    assertions: absent,
    assertionLocations: absent,
    warnings: absent,
    warningLocations: absent,
    ...parts,
  };
}

/** An evaluation of host `nas` whose reported files are workspace files when listed in `files`. */
export function evaluation(value: Projection, files: readonly string[] = []): HostEvaluation {
  return { host: 'nas', projection: value, command: 'nix eval /homelab#nixosConfigurations.nas', workspaceFile: (file) => (files.includes(file) ? file : undefined) };
}
