import { FILE_START, LineIndex, type SourceLocation } from '../text';
import type { FileReader, InputProblem } from '../types';
import type { UnresolvedVariable } from './model';
import type { ComposeEnvironment } from './dotEnv';
import { describeSize, MAX_ALIAS_EXPANSIONS, MAX_COMPOSE_FILE_CHARS, MAX_EXPANDED_FILE_CHARS, MAX_YAML_DEPTH } from './limits';
import { describeNode, type FileContext, type MapNode } from './nodes';
import { baseName, dirName } from './paths';
import { parseWhole, type ComposeParseCache } from './yamlParse';

export { MAX_COMPOSE_FILE_CHARS } from './limits';
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
export function readComposeFile(file: string, reader: FileReader, env: ComposeEnvironment, parseCache?: ComposeParseCache): ComposeFileContent {
  const name = baseName(file);
  const content: ComposeFileContent = { file, exists: false, problems: [], unresolved: [] };
  const text = reader.readText(file);
  if (text === undefined) return content;
  content.exists = true;
  const fileProblem = (message: string): ComposeFileContent => {
    content.problems.push({ file, range: FILE_START, message });
    return content;
  };

  if (text.length > MAX_COMPOSE_FILE_CHARS) {
    const megabytes = (text.length / (1024 * 1024)).toFixed(1);
    return fileProblem(
      `${name} is ${megabytes} MB, too large for a compose file (limit ${describeSize(MAX_COMPOSE_FILE_CHARS)}); it was not analysed. Check that it really is a compose file.`,
    );
  }
  if (text.includes('\u0000')) {
    return fileProblem(`${name} contains NUL bytes, so it is a binary file, not YAML; it was not analysed. Restore the compose file or remove it.`);
  }

  const index = new LineIndex(text);
  const ctx: FileContext = { file, dir: dirName(file), index, env: env.lookup, envKey: env.key };
  // YAML (1.2, §5.4) and Compose's parser read a lone CR as a line break; the `yaml` library does not. An LF in its
  // place keeps every offset, and the line index already counts lone CRs as LSP does.
  const yamlText = text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
  const { errors, root, findings } = parseCache ? parseCache.parse(yamlText, ctx) : parseWhole(yamlText, ctx);
  for (const error of errors.slice(0, MAX_SYNTAX_PROBLEMS)) {
    // The `yaml` library reports its own stack overflow on very deep nesting as an error of the document.
    const message = /call stack/i.test(error.message)
      ? `${name}: YAML error: the file nests too deeply for the YAML parser (thousands of levels); what follows was not read. Compose files nest a few levels: look for a runaway structure.`
      : `${name}: YAML error: ${firstLine(error.message)}. Fix it; the services that parsed are still checked.`;
    content.problems.push({ file, range: index.rangeOf(error.start, error.end), message });
  }

  if (!root) {
    if (errors.length === 0) fileProblem(`${name} is empty: Compose refuses an empty file. Add a \`services:\` map or delete the file.`);
    return content;
  }

  content.unresolved = findings.unresolved;
  for (const error of findings.interpolationErrors) {
    content.problems.push({ file, range: error.loc.range, message: `${name}: ${error.message}; Compose refuses the file. ${REFERENCE_HINT}` });
  }
  for (const limit of findings.interpolationLimits) {
    content.problems.push({ file, range: limit.loc.range, message: `${name}: ${limit.message}. The rest of the file is still checked.` });
  }
  if (findings.aliasLimitHit) {
    fileProblem(
      `${name}: YAML aliases and \`<<\` merge keys expand to more than ${MAX_ALIAS_EXPANSIONS.toLocaleString('en-US')} copied values (an alias bomb, or an anchor merged into very many services); too large to check in full, the expansion was cut there. Use fewer or smaller anchors, or split the file.`,
    );
  }
  if (findings.depthLimitHit) {
    fileProblem(`${name}: values are nested more than ${MAX_YAML_DEPTH} levels deep (aliases included); too deep to check, the deeper ones were not read. Compose files nest a few levels: look for a runaway structure or a self-referencing anchor.`);
  }
  if (findings.expansionLimitHit) {
    fileProblem(
      `${name}: the interpolated values expand to more than ${describeSize(MAX_EXPANDED_FILE_CHARS)} together (a long variable repeated many times); the later ones were checked as written, without their variables. Shorten the variable or repeat it less.`,
    );
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
