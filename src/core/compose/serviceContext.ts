import type { FileReader, InputProblem } from '../types';
import type { ParsedEnvFile } from './envFile';

/** What parsing a service needs besides its node: file access, where to report, what was read. */
export interface ServiceParseContext {
  reader: FileReader;
  problems: InputProblem[];
  /** Absolute paths of env files consulted (also missing ones: creating them must trigger re-analysis). */
  envFiles: Set<string>;
  /** env_file contents by absolute path, so services sharing one file parse it once. */
  envFileCache: Map<string, ParsedEnvFile | undefined>;
}
