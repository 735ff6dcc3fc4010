import type { FileReader, InputProblem } from '../types';
import { envFileVariables, parseEnvFile } from './envFile';
import type { EnvLookup, EnvVariable } from './interpolate';
import { baseName } from './paths';

/** The variables a stack's compose files are interpolated with. */
export interface ComposeEnvironment {
  lookup: EnvLookup;
  /** Equal for two environments read from the same texts: what was interpolated with one holds for the other. */
  key: string;
}

interface DotEnvState {
  reader: FileReader;
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
  const keyParts: string[] = [];
  for (const file of typeof files === 'string' ? [files] : files) {
    state.envFiles.add(file);
    const text = state.reader.readText(file);
    keyParts.push(file, text ?? '\u0000missing');
    if (text === undefined) continue;
    const parsed = parseEnvFile(text, (name) => variables.get(name), file);
    for (const problem of parsed.problems) {
      const advice = problem.limit ? 'the rest of the stack is still checked' : 'Compose will not start until it is fixed';
      state.problems.push({ file, range: problem.range, message: `${baseName(file)}: ${problem.message}; ${advice}.` });
    }
    for (const [name, variable] of envFileVariables(parsed.entries, file)) variables.set(name, variable);
  }
  for (const [name, value] of Object.entries(state.extraEnv ?? {})) variables.set(name, { value });
  if (state.extraEnv) keyParts.push(JSON.stringify(state.extraEnv));
  return { lookup: (name) => variables.get(name), key: keyParts.join('\u0000') };
}
