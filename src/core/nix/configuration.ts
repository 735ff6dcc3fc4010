/**
 * Loads a NixOS configuration: the entry module and every file reachable through `imports`, into the NixModel.
 * Synchronous (the language server runs it on every keystroke); requires `initNixParser()` to have completed.
 */
import * as path from 'node:path';
import type { NixConfiguration, NixDefinition, UnreadableImport } from './model';
import { readModule, type ImportReference } from './moduleReader';
import { parseNix } from './syntax';
import type { Scope } from './values';
import type { NixStringExpression, NixSyntaxTree } from './syntaxTree';
import { FILE_START, LineIndex, type Range } from '../text';
import type { FileReader, InputProblem } from '../types';
import { buildGroups, buildServices, buildUsers, optionReader, startsWith, winningDefinition } from './views';

export interface LoadNixOptions {
  /** Parses a file; lets the language server reuse incremental trees. Defaults to `parseNix`. */
  parse?: (file: string, text: string) => NixSyntaxTree;
}

interface ImportSite {
  file: string;
  lines: LineIndex;
  reference: ImportReference;
}

/** Reads the configuration rooted at `entryFile` (absolute path). Never throws on bad input: see `problems`. */
export function loadNixConfiguration(entryFile: string, reader: FileReader, options: LoadNixOptions = {}): NixConfiguration {
  const parse = options.parse ?? ((_file: string, text: string) => parseNix(text));
  const files: string[] = [];
  const definitions: NixDefinition[] = [];
  const problems: InputProblem[] = [];
  const unreadableImports: UnreadableImport[] = [];
  const stringLiterals = new Map<NixDefinition, NixStringExpression>();
  const stringScopes = new Map<NixDefinition, Scope>();
  const sources = new Map<string, string>();
  const trees = new Map<string, NixSyntaxTree>();
  const visited = new Set<string>();

  const report = (site: ImportSite | undefined, message: string): void => {
    const file = site?.file ?? entryFile;
    const range: Range = site ? site.lines.rangeOf(site.reference.span.start, site.reference.span.end) : FILE_START;
    problems.push({ file, range, message });
  };

  // Depth-first, in import order, so `files` and `definitions` follow the order NixOS reads them in.
  const visit = (target: string, site: ImportSite | undefined, chain: string[]): void => {
    const file = resolveModuleFile(target, reader);
    if (chain.includes(file)) {
      const cycle = [...chain.slice(chain.indexOf(file)), file].map((member) => path.basename(member)).join(' → ');
      report(site, `Import cycle: ${site?.file ?? entryFile} imports ${file}, which is already being read (${cycle}). Remove one of the imports.`);
      return;
    }
    if (visited.has(file)) return;
    const text = reader.readText(file);
    if (text === undefined) {
      // An import that is not there (hardware-configuration.nix stays on the host) is incomplete input, not an
      // error of the configuration: recorded, reported once as nix-import-unreadable, and the rest is still read.
      if (site) {
        const loc = { file: site.file, range: site.lines.rangeOf(site.reference.span.start, site.reference.span.end) };
        unreadableImports.push({ loc, written: site.reference.written, kind: 'missing-file', target: file });
      } else {
        report(site, `Cannot read the NixOS configuration ${file}: the file does not exist or is not readable.`);
      }
      return;
    }
    visited.add(file);
    files.push(file);
    sources.set(file, text);
    const lines = new LineIndex(text);
    const tree = parse(file, text);
    trees.set(file, tree);
    for (const error of tree.errors) problems.push({ file, range: lines.rangeOf(error.start, error.end), message: error.message });
    const contents = readModule(tree, file, lines);
    for (const definition of contents.definitions) definitions.push(definition);
    for (const [definition, literal] of contents.stringLiterals) stringLiterals.set(definition, literal);
    for (const [definition, scope] of contents.stringScopes ?? []) stringScopes.set(definition, scope);
    for (const opaque of contents.opaqueImports) {
      unreadableImports.push({ loc: { file, range: lines.rangeOf(opaque.span.start, opaque.span.end) }, written: opaque.written, kind: opaque.kind });
    }
    for (const reference of contents.imports) visit(reference.target, { file, lines, reference }, [...chain, file]);
  };
  visit(path.resolve(entryFile), undefined, []);

  return buildConfiguration(path.resolve(entryFile), files, definitions, problems, unreadableImports, stringLiterals, sources, stringScopes, trees);
}

/** A directory import means its default.nix. */
function resolveModuleFile(target: string, reader: FileReader): string {
  if (target.endsWith('.nix')) return target;
  const defaultNix = path.join(target, 'default.nix');
  return reader.exists(defaultNix) ? defaultNix : target;
}

function buildConfiguration(
  entry: string,
  files: string[],
  definitions: NixDefinition[],
  problems: InputProblem[],
  unreadableImports: UnreadableImport[],
  stringLiterals: ReadonlyMap<NixDefinition, NixStringExpression>,
  sources: ReadonlyMap<string, string>,
  stringScopes: ReadonlyMap<NixDefinition, Scope> = new Map(),
  trees: ReadonlyMap<string, NixSyntaxTree> = new Map(),
): NixConfiguration {
  const queries = definitionQueries(definitions);
  const users = buildUsers(definitions);
  const groups = buildGroups(definitions, optionReader(definitions));
  const stateVersionDef = winningDefinition(queries.definitionsOf(['system', 'stateVersion']));
  const configuration: NixConfiguration = {
    entry,
    files,
    definitions,
    problems,
    unreadableImports,
    ...queries,
    users,
    groups,
    findUserByUid: (uid) => firstOf(users.values(), (user) => user.uid === uid),
    findGroupByGid: (gid) => firstOf(groups.values(), (group) => group.gid === gid),
    systemdServices: buildServices(definitions, stringLiterals, sources, stringScopes),
    sourceText: (file) => sources.get(file),
    syntaxTree: (file) => trees.get(file),
  };
  if (stateVersionDef?.value.kind === 'string') configuration.stateVersion = stateVersionDef.value.value;
  return configuration;
}

/**
 * The two lookups rules make over a configuration's definitions: by exact option path, and under a prefix (cached:
 * a configuration never changes once built, and every stack's rules ask for the same few prefixes).
 */
export function definitionQueries(definitions: readonly NixDefinition[]): Pick<NixConfiguration, 'definitionsOf' | 'definitionsUnder'> {
  const byPath = new Map<string, NixDefinition[]>();
  for (const definition of definitions) {
    const key = definition.path.join('\u0000');
    const list = byPath.get(key);
    if (list) list.push(definition);
    else byPath.set(key, [definition]);
  }
  const underCache = new Map<string, NixDefinition[]>();
  return {
    definitionsOf: (optionPath) => byPath.get(optionPath.join('\u0000')) ?? [],
    definitionsUnder: (prefix) => {
      const key = prefix.join('\u0000');
      let found = underCache.get(key);
      if (!found) underCache.set(key, (found = definitions.filter((definition) => startsWith(definition.path, prefix))));
      return found;
    },
  };
}

/** The first value that matches, without copying the values (the rules ask per service). */
function firstOf<T>(values: Iterable<T>, matches: (value: T) => boolean): T | undefined {
  for (const value of values) if (matches(value)) return value;
  return undefined;
}
