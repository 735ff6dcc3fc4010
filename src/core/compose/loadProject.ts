import type { SourceLocation } from '../text';
import type { FileReader, InputProblem } from '../types';
import { resolveExtends } from './extends';
import { findOverrideFile } from './fileNames';
import { includeEntries, type IncludeEntry } from './include';
import { readDeployEnv, type DeployEnvEvidence } from './deployEnv';
import type { ComposeEnvironment } from './dotEnv';
import { loadDotEnv } from './dotEnv';
import { mergeNodes } from './merge';
import type { ComposeProject, ComposeService, UnresolvedVariable } from './model';
import type { ComposeNode, MapEntry, MapNode, ScalarNode } from './nodes';
import { parseService } from './parseService';
import { baseName, dirName, resolveAgainst } from './paths';
import { readComposeFile } from './readComposeFile';
import type { ComposeParseCache } from './yamlParse';
import type { ServiceParseContext } from './serviceContext';
import { servicesOf } from './serviceShape';

export interface LoadComposeOptions {
  /** Variables that override the stack's .env (like `--env-file` or exported shell variables on the old reader). */
  extraEnv?: Record<string, string>;
  /** Keeps parsed YAML between loads, so that a file being edited is re-parsed only where it changed. */
  parseCache?: ComposeParseCache;
  /**
   * Reads the stack folder's deploy-time evidence (deployEnv.ts `readDeployEnv` through the same reader); a caller
   * that loads the stack again and again (the language server) keeps it while what it read holds.
   */
  deployEnv?: (dir: string) => DeployEnvEvidence;
}

/** Nested includes deeper than this are a mistake (or a cycle through different paths). */
const MAX_INCLUDE_DEPTH = 8;

interface LoadState {
  reader: FileReader;
  extraEnv: Record<string, string> | undefined;
  parseCache: ComposeParseCache | undefined;
  problems: InputProblem[];
  unresolved: UnresolvedVariable[];
  files: string[];
  envFiles: Set<string>;
  /** Files being included on the current path, to stop include cycles. */
  including: Set<string>;
  /** `services` of files read for `extends`, by path. */
  extendsCache: Map<string, MapNode | undefined>;
}

/**
 * Loads one stack as `docker compose` run in its folder sees it: the main file, the override sibling merged onto
 * it, the folder's `.env` for interpolation, `extends` and `include` resolved, every service modelled with the
 * location of the text behind each value. Synchronous and tolerant: bad input becomes `problems`, never a throw.
 */
export function loadComposeProject(mainFile: string, reader: FileReader, options: LoadComposeOptions = {}): ComposeProject {
  const dir = dirName(mainFile);
  const state: LoadState = {
    reader,
    extraEnv: options.extraEnv,
    parseCache: options.parseCache,
    problems: [],
    unresolved: [],
    files: [],
    envFiles: new Set(),
    including: new Set([mainFile]),
    extendsCache: new Map(),
  };
  const env = loadDotEnv(resolveAgainst(dir, '.env'), state);
  const override = findOverrideFile(dir, reader);
  const files = override && override !== mainFile ? [mainFile, override] : [mainFile];
  const stack = loadStack(files, env, state, undefined, 0);

  const serviceContext: ServiceParseContext = { reader, problems: state.problems, envFiles: state.envFiles, envFileCache: new Map() };
  const services = [];
  for (const [name, entry] of stack.services?.entries ?? []) {
    if (entry.value.kind === 'map') services.push(parseServiceOnce(name, entry, entry.value, serviceContext));
  }
  const project: ComposeProject = {
    dir,
    file: mainFile,
    files: state.files,
    envFiles: [...state.envFiles],
    services,
    unresolved: state.unresolved,
    problems: state.problems,
  };
  if (stack.servicesKeyLoc) project.servicesLoc = stack.servicesKeyLoc;
  // Wrappers, examples and .gitignore are read only when they can matter (through the reader, so edits to them count).
  if (state.unresolved.length > 0) project.deployEnv = options.deployEnv ? options.deployEnv(dir) : readDeployEnv(dir, reader);
  return project;
}

/**
 * Services already read, by their node. Nodes are immutable and only reused by the parse cache (a service whose
 * text did not change while another one was edited), so the same node with the same name reads the same. A service
 * with `env_file` is always read again: its variables come from files the node does not describe.
 */
const parsedServices = new WeakMap<MapNode, { name: string; nameLoc: SourceLocation; service: ComposeService; problems: InputProblem[] }>();

function parseServiceOnce(name: string, entry: MapEntry, node: MapNode, ctx: ServiceParseContext): ComposeService {
  const known = parsedServices.get(node);
  if (known && known.name === name && known.nameLoc === entry.keyLoc) {
    ctx.problems.push(...known.problems);
    return known.service;
  }
  const own: ServiceParseContext = { ...ctx, problems: [], envFiles: new Set() };
  const service = parseService(name, entry.keyLoc, node, own);
  ctx.problems.push(...own.problems);
  for (const file of own.envFiles) ctx.envFiles.add(file);
  if (own.envFiles.size === 0) parsedServices.set(node, { name, nameLoc: entry.keyLoc, service, problems: own.problems });
  return service;
}

interface LoadedStack {
  services?: MapNode;
  servicesKeyLoc?: SourceLocation;
}

/** Reads `files` (the first one main, the rest merged onto it), then resolves `extends` and `include`. */
function loadStack(files: readonly string[], env: ComposeEnvironment, state: LoadState, includedFrom: ScalarNode | undefined, depth: number): LoadedStack {
  const stack: LoadedStack = {};
  const includes: IncludeEntry[] = [];
  for (const file of files) {
    const content = readComposeFile(file, state.reader, env, state.parseCache);
    if (!state.files.includes(file)) state.files.push(file);
    state.problems.push(...content.problems);
    state.unresolved.push(...content.unresolved);
    if (!content.exists) {
      reportMissing(file, includedFrom, state);
      continue;
    }
    if (!content.root) continue;
    if (!stack.servicesKeyLoc && content.servicesKeyLoc) stack.servicesKeyLoc = content.servicesKeyLoc;
    const fileServices = servicesOf(content.root, state.problems);
    if (fileServices) {
      const merged = stack.services ? mergeNodes(stack.services, fileServices, ['services']) : fileServices;
      if (merged.kind === 'map') stack.services = merged;
    }
    includes.push(...includeEntries(content.root, state.problems));
  }

  if (stack.services) {
    stack.services = resolveExtends(stack.services, {
      problems: state.problems,
      loadServices: (file, reference) => loadServicesForExtends(file, reference, state),
    });
  }
  for (const include of includes) addIncludedServices(stack, include, state, depth);
  return stack;
}

function reportMissing(file: string, includedFrom: ScalarNode | undefined, state: LoadState): void {
  if (includedFrom) {
    state.problems.push({
      file: includedFrom.ctx.file,
      range: includedFrom.loc.range,
      message: `${baseName(includedFrom.ctx.file)}: included file \`${includedFrom.value}\` not found (${file}); Compose refuses to start. Fix the path or remove it from \`include\`.`,
    });
  } else {
    state.problems.push({
      file,
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      message: `${baseName(file)} could not be read; check that it exists and is a text file.`,
    });
  }
}

/** Loads an included project with its own .env and adds its services; a name defined twice is a problem. */
function addIncludedServices(stack: LoadedStack, include: IncludeEntry, state: LoadState, depth: number): void {
  const first = include.paths[0];
  if (!first) return;
  const files = include.paths.map((path) => resolveAgainst(path.ctx.dir, path.value));
  const mainIncluded = files[0] ?? '';
  if (depth >= MAX_INCLUDE_DEPTH || state.including.has(mainIncluded)) {
    state.problems.push({
      file: first.ctx.file,
      range: first.loc.range,
      message: `${baseName(first.ctx.file)}: \`include\` of \`${first.value}\` loops back to a file already being included; remove the cycle.`,
    });
    return;
  }
  const projectDir = include.projectDirectory ? resolveAgainst(include.projectDirectory.ctx.dir, include.projectDirectory.value) : dirName(mainIncluded);
  const envFiles = include.envFiles.length > 0
    ? include.envFiles.map((file) => resolveAgainst(file.ctx.dir, file.value))
    : [resolveAgainst(projectDir, '.env')];
  const env = loadDotEnv(envFiles, state);

  state.including.add(mainIncluded);
  const included = loadStack(files, env, state, first, depth + 1);
  state.including.delete(mainIncluded);

  if (!included.services) return;
  const entries = new Map<string, MapEntry>(stack.services?.entries ?? []);
  for (const [name, entry] of included.services.entries) {
    const existing = entries.get(name);
    // compose-go (loader/include.go, importResource) skips a resource equal to the one already there — the same file
    // included twice, or along two paths of a diamond — and refuses only a different definition.
    if (existing && sameDefinition(existing.value, entry.value)) continue;
    if (existing) {
      state.problems.push({
        file: first.ctx.file,
        range: first.loc.range,
        message: `${baseName(first.ctx.file)}: service \`${name}\` from included \`${first.value}\` is also defined in ${baseName(existing.keyLoc.file)} differently; Compose refuses it (\`services.${name} conflicts with imported resource\`). Rename one of them or make the definitions the same.`,
      });
      continue;
    }
    entries.set(name, entry);
  }
  stack.services = stack.services ? { ...stack.services, entries } : { ...included.services, entries };
}

function loadServicesForExtends(file: string, reference: ScalarNode, state: LoadState): MapNode | undefined {
  if (state.extendsCache.has(file)) return state.extendsCache.get(file);
  state.extendsCache.set(file, undefined); // guards against a file extending itself while it loads
  const content = readComposeFile(file, state.reader, { lookup: reference.ctx.env, key: reference.ctx.envKey }, state.parseCache);
  let services: MapNode | undefined;
  if (content.exists) {
    if (!state.files.includes(file)) state.files.push(file);
    state.problems.push(...content.problems);
    state.unresolved.push(...content.unresolved);
    services = content.root ? servicesOf(content.root, state.problems) : undefined;
  }
  state.extendsCache.set(file, services);
  return services;
}

/**
 * Whether two definitions are the same resource as compose-go compares them (reflect.DeepEqual on the loaded model):
 * equal values after interpolation, and relative paths resolved against the same folder.
 */
export function sameDefinition(a: ComposeNode, b: ComposeNode): boolean {
  if (a === b) return true;
  return sameValue(a, b, a.ctx.dir === b.ctx.dir);
}

function sameValue(a: ComposeNode, b: ComposeNode, sameDir: boolean): boolean {
  if (a.kind === 'scalar' && b.kind === 'scalar') {
    // A relative path written in two folders names two places.
    return a.value === b.value && a.isNull === b.isNull && a.isString === b.isString && (sameDir || !/^\.{1,2}(\/|$)/.test(a.value));
  }
  if (a.kind === 'seq' && b.kind === 'seq') return a.items.length === b.items.length && a.items.every((item, i) => sameValue(item, b.items[i] as ComposeNode, sameDir));
  if (a.kind === 'map' && b.kind === 'map') {
    if (a.entries.size !== b.entries.size) return false;
    for (const [key, entry] of a.entries) {
      const other = b.entries.get(key);
      if (!other || !sameValue(entry.value, other.value, sameDir)) return false;
    }
    return true;
  }
  return false;
}
