import type { FileHost, InputProblem } from '../types';
import { envFileVariables, parseEnvFile } from './envFile';
import type { EnvLookup, EnvVariable } from './interpolate';
import { baseName } from './paths';

/** The variables a stack's compose files are interpolated with. */
export interface ComposeEnvironment {
  lookup: EnvLookup;
}

interface DotEnvState {
  host: FileHost;
  extraEnv: Record<string, string> | undefined;
  problems: InputProblem[];
  envFiles: Set<string>;
}

/**
 * The interpolation environment of a stack: its `.env` (or the files given, later ones winning), overlaid by
 * `extraEnv`, which plays the part of variables exported on the old host. A missing `.env` is normal (no variables);
 * the process's own environment is never used — it belongs to this machine, not to the host being migrated.
 */
export function loadDotEnv(files: string | readonly string[], state: DotEnvState): ComposeEnvironment {
  const variables = new Map<string, EnvVariable>();
  for (const file of typeof files === 'string' ? [files] : files) {
    state.envFiles.add(file);
    const text = state.host.readText(file);
    if (text === undefined) continue;
    const parsed = parseEnvFile(text, (name) => variables.get(name), file);
    for (const problem of parsed.problems) {
      state.problems.push({ file, range: problem.range, message: `${baseName(file)}: ${problem.message}; Compose will not start until it is fixed.` });
    }
    for (const [name, variable] of envFileVariables(parsed.entries, file)) variables.set(name, variable);
  }
  for (const [name, value] of Object.entries(state.extraEnv ?? {})) variables.set(name, { value });
  return { lookup: (name) => variables.get(name) };
}
