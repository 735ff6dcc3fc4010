import { z } from 'zod';

/**
 * The one source of truth for `nixosHomelab.*` settings. package.json `contributes.configuration` must match it
 * (a unit test checks keys, defaults and enums); the CLI maps its flags onto the same shape.
 */
export const severitySettingSchema = z.enum(['off', 'error', 'warning', 'information', 'hint']);

export const settingsSchema = z.object({
  nixosConfiguration: z.array(z.string()).default([]),
  hosts: z.record(z.string(), z.string()).default({}),
  host: z.string().default(''),
  nixosRelease: z.string().default(''),
  snapshotPath: z.string().default('.nixos-homelab/snapshot'),
  mountRoots: z.array(z.string()).default(['/mnt', '/media', '/srv']),
  rules: z.record(z.string(), severitySettingSchema).default({}),
  fixTarget: z.enum(['entry', 'module']).default('entry'),
  stacksRoot: z.string().regex(/^(\/[^\0-\x1f]*)?$/, 'must be empty or an absolute path on the NixOS host, e.g. /home/palav/homelab').default(''),
  'ssh.options': z.array(z.string()).default([]),
  'ssh.connectTimeout': z.number().int().min(1).max(300).default(10),
  /** `auto`: the language server evaluates each host with Nix when `nix` is on PATH and the workspace is trusted. */
  'evaluation.mode': z.enum(['auto', 'off']).default('auto'),
  /** Let Nix fetch flake inputs that are not in the store (the CLI's `--eval-fetch`). */
  'evaluation.allowFetch': z.boolean().default(false),
  /** Seconds one evaluation may take (the CLI's `--eval-timeout`). */
  'evaluation.timeout': z.number().min(1).max(3600).default(60),
});

export type Settings = z.infer<typeof settingsSchema>;

/** Settings with every default applied. */
export const DEFAULT_SETTINGS: Settings = settingsSchema.parse({});

/** What each setting means and where it applies; package.json repeats these (checked by a test). */
export const SETTING_SCOPES: Record<keyof Settings, 'resource' | 'window' | 'machine-overridable'> = {
  nixosConfiguration: 'resource',
  hosts: 'resource',
  host: 'resource',
  nixosRelease: 'resource',
  snapshotPath: 'resource',
  mountRoots: 'resource',
  rules: 'resource',
  fixTarget: 'resource',
  stacksRoot: 'resource',
  'ssh.options': 'machine-overridable',
  'ssh.connectTimeout': 'machine-overridable',
  'evaluation.mode': 'resource',
  'evaluation.allowFetch': 'machine-overridable',
  'evaluation.timeout': 'resource',
};

/**
 * Reads settings leniently: an invalid value falls back to its default and is reported, so a typo in
 * settings.json never disables the extension.
 */
export function parseSettings(input: unknown): { settings: Settings; problems: string[] } {
  const problems: string[] = [];
  const raw = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(settingsSchema.shape) as (keyof Settings)[]) {
    const field = settingsSchema.shape[key];
    const parsed = field.safeParse(raw[key]);
    if (parsed.success) {
      result[key] = parsed.data;
    } else {
      problems.push(`nixosHomelab.${key}: ${parsed.error.issues[0]?.message ?? 'invalid value'}; using the default`);
      result[key] = DEFAULT_SETTINGS[key];
    }
  }
  return { settings: result as Settings, problems };
}
