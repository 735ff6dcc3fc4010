import { FILE_START, LineIndex, type SourceLocation } from '../text';
import type { FileHost, InputProblem } from '../types';
import type { UnresolvedVariable } from './model';
import type { ComposeEnvironment } from './dotEnv';
import { describeNode, type FileContext, type MapNode } from './nodes';
import { baseName, dirName } from './paths';
import { parseWhole, type ComposeParseCache } from './yamlParse';

/** Real compose files are a few KB; anything this big is a mistake and would stall the editor on every keystroke. */
export const MAX_COMPOSE_FILE_CHARS = 2 * 1024 * 1024;
/** A file full of syntax errors (binary, wrong format) would otherwise drown the Problems panel. */
const MAX_SYNTAX_PROBLEMS = 20;
const REFERENCE_HINT = 'Write ${NAME} with a name of letters, digits and _, or $$ for a literal dollar.';

/** One compose file read into the node tree. */
export interface ComposeFileContent {
  file: string;
  exists: boolean;
  /** The top-level map, when the file has one (also when it has syntax errors elsewhere). */
  root?: MapNode;
  /** The `services` key, for findings about the whole stack. */
  servicesKeyLoc?: SourceLocation;
  problems: InputProblem[];
  unresolved: UnresolvedVariable[];
}

/**
 * Reads and parses one compose file with the given interpolation environment. Never throws: an unreadable, empty,
 * binary, oversized or malformed file yields problems, and whatever parsed is still returned. With a parse cache,
 * a file read again is re-parsed only where its text changed.
 */
export function readComposeFile(file: string, host: FileHost, env: ComposeEnvironment, parseCache?: ComposeParseCache): ComposeFileContent {
  const name = baseName(file);
  const content: ComposeFileContent = { file, exists: false, problems: [], unresolved: [] };
  const text = host.readText(file);
  if (text === undefined) return content;
  content.exists = true;
  const fileProblem = (message: string): ComposeFileContent => {
    content.problems.push({ file, range: FILE_START, message });
    return content;
  };

  if (text.length > MAX_COMPOSE_FILE_CHARS) {
    const megabytes = (text.length / (1024 * 1024)).toFixed(1);
    return fileProblem(
      `${name} is ${megabytes} MB, too large for a compose file (limit ${MAX_COMPOSE_FILE_CHARS / (1024 * 1024)} MB); it was not analysed. Check that it really is a compose file.`,
    );
  }
  if (text.includes('\u0000')) {
    return fileProblem(`${name} contains NUL bytes, so it is a binary file, not YAML; it was not analysed. Restore the compose file or remove it.`);
  }

  const index = new LineIndex(text);
  const ctx: FileContext = { file, dir: dirName(file), index, env: env.lookup, envKey: env.key };
  const { errors, root, findings } = parseCache ? parseCache.parse(text, ctx) : parseWhole(text, ctx);
  for (const error of errors.slice(0, MAX_SYNTAX_PROBLEMS)) {
    content.problems.push({
      file,
      range: index.rangeOf(error.start, error.end),
      message: `${name}: YAML error: ${firstLine(error.message)}. Fix it; the services that parsed are still checked.`,
    });
  }

  if (!root) {
    if (errors.length === 0) fileProblem(`${name} is empty: Compose refuses an empty file. Add a \`services:\` map or delete the file.`);
    return content;
  }

  content.unresolved = findings.unresolved;
  for (const error of findings.interpolationErrors) {
    content.problems.push({ file, range: error.loc.range, message: `${name}: ${error.message}; Compose refuses the file. ${REFERENCE_HINT}` });
  }
  if (findings.aliasLimitHit) {
    fileProblem(`${name}: YAML aliases expand too deeply (a self-referencing or exponential anchor); the expansion was cut short.`);
  }

  if (root.kind !== 'map') {
    content.problems.push({
      file,
      range: root.loc.range,
      message: `${name}: the top level must be a map with a \`services\` key, found ${describeNode(root)}. Write \`services:\` followed by your services.`,
    });
    return content;
  }
  content.root = root;
  const services = root.entries.get('services');
  if (services) content.servicesKeyLoc = services.keyLoc;
  return content;
}

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  // The range already says where: drop the "at line 3, column 5:" suffix.
  return line.replace(/ at line \d+, column \d+:?\s*$/, '').replace(/[.:]\s*$/, '');
}
