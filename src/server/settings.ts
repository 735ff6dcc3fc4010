import type { Connection } from 'vscode-languageserver/node';
import { parseSettings, settingsSchema, type Settings } from '../core/settings';
import { SETTINGS_SECTION } from '../shared/protocol';
import type { Logger } from './log';

/**
 * VS Code answers `workspace/configuration` for the section `nixosHomelab` with dotted keys nested
 * (`ssh.options` arrives as `{ ssh: { options } }`); the schema names them flat.
 */
export function flattenSettings(raw: unknown): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null) return {};
  const input = raw as Record<string, unknown>;
  const flat: Record<string, unknown> = {};
  for (const key of Object.keys(settingsSchema.shape)) {
    if (key in input) {
      flat[key] = input[key];
      continue;
    }
    const [head, ...rest] = key.split('.');
    let value: unknown = head === undefined ? undefined : input[head];
    for (const part of rest) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[part] : undefined;
    if (value !== undefined) flat[key] = value;
  }
  return flat;
}

/** Reads the settings of one workspace folder; problems go to the log, invalid values fall back to defaults. */
export async function readFolderSettings(connection: Connection, folderUri: string | undefined, fallback: unknown, canPull: boolean, log: Logger): Promise<Settings> {
  let raw: unknown = fallback;
  if (canPull) {
    try {
      raw = await connection.workspace.getConfiguration(folderUri === undefined ? { section: SETTINGS_SECTION } : { scopeUri: folderUri, section: SETTINGS_SECTION });
    } catch (error) {
      log.error('Could not read the nixosHomelab settings; using defaults', error);
    }
  }
  const { settings, problems } = parseSettings(flattenSettings(raw));
  for (const problem of problems) log.info(`settings: ${problem}`);
  return settings;
}
