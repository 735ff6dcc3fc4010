import type { FileReader } from '../types';
import { parseEnvFile } from './envFile';
import { isRunTimePath } from './parseEnvironment';
import { baseName, dirName, resolveAgainst } from './paths';

/**
 * What a repository shows, next to a stack, about variables that are given when the stack is deployed rather than
 * written in its `.env`: wrappers that run Compose (a justfile, a Makefile, a shell script) with `--env-file` or
 * exported variables, example files (`.env.example`…) that list the names a deploy-time `.env` must define, and a
 * `.gitignore` that keeps the real `.env` out of the repository. Read statically: nothing is run.
 */
export interface DeployEnvEvidence {
  wrappers: WrapperEnv[];
  examples: EnvExample[];
  /** The stack's `.env` is in the repository (then it is the one deployed, whatever an example says). */
  dotEnvPresent: boolean;
  /** The `.gitignore` line that ignores the stack's `.env` (only looked for when the `.env` is absent). */
  ignoredDotEnv?: IgnoredDotEnv;
}

/** A file that runs `docker compose` for the stack, and what it gives Compose. */
export interface WrapperEnv {
  file: string;
  /** Variables it sets for Compose (`export NAME=…`, `NAME=… docker compose`, just's `export NAME := …`). */
  names: string[];
  /** Files it hands to Compose (`--env-file X`, `set -a; source X`, just's `set dotenv-path`). */
  envFiles: DeployEnvFile[];
}

export interface DeployEnvFile {
  /** As written (`./prod.env`, `/run/agenix/immich`, `$ENV_FILE`). */
  written: string;
  /** The absolute path, when the text is a plain path (no `$VAR`, no `{{…}}`, no `~`). */
  path?: string;
  /** The names it defines, when it is a file of the repository that could be read. */
  names?: string[];
  /** 0-based line in the wrapper. */
  line: number;
}

export interface EnvExample {
  file: string;
  /** Names the example lists, commented-out assignments included (`# SMTP_HOST=`): they are documented. */
  names: string[];
}

export interface IgnoredDotEnv {
  gitignore: string;
  /** 0-based line of the pattern. */
  line: number;
  pattern: string;
}

/** Example files that stand for a `.env` written at deploy time. */
export const ENV_EXAMPLE_NAMES = ['.env.example', '.env.template', '.env.sample', '.env.dist', 'env.example'];

const WRAPPER_NAMES = ['justfile', 'Justfile', '.justfile', 'Makefile', 'makefile', 'GNUmakefile'];
const SCRIPT_EXTENSION = /\.(?:sh|bash)$/;
const RUNS_COMPOSE = /\b(?:docker|podman)(?:-compose|\s+compose)\b/;
/** Folders above the stack searched for wrappers that name it (a repository-wide justfile), at most. */
const MAX_WRAPPER_ANCESTORS = 4;
/** Ancestors searched for `.gitignore` files when no `.git` marks the repository's root. */
const MAX_GITIGNORE_ANCESTORS = 12;

/** Reads the evidence for the stack folder `dir`. Never throws; unreadable files are simply not evidence. */
export function readDeployEnv(dir: string, reader: FileReader): DeployEnvEvidence {
  const dotEnvPresent = reader.readText(resolveAgainst(dir, '.env')) !== undefined;
  const evidence: DeployEnvEvidence = { wrappers: readWrappers(dir, reader), examples: [], dotEnvPresent };
  for (const name of ENV_EXAMPLE_NAMES) {
    const text = readIfListed(dir, name, reader);
    if (text !== undefined) evidence.examples.push({ file: resolveAgainst(dir, name), names: exampleNames(text) });
  }
  if (!dotEnvPresent) {
    const ignored = gitignoreFor(resolveAgainst(dir, '.env'), reader);
    if (ignored) evidence.ignoredDotEnv = ignored;
  }
  return evidence;
}

/** Names an example file lists: `NAME=…`, `export NAME=…`, and the same commented out. */
export function exampleNames(text: string): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(/^[ \t]*(?:#[ \t]*)?(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*=/gm)) names.add(match[1] as string);
  return [...names];
}

type ListingReader = FileReader & { listDir?(dir: string): string[] | undefined };

/**
 * The text of `dir/name` when the folder lists it. Wrappers, examples and `.gitignore`s are looked for under a dozen
 * names in up to a dozen folders per stack: one listing per folder (kept in the analysis's read record like any
 * read, so a file created later is seen) instead of a failed stat per name — 40 stacks cost ~20 ms of stats a lint.
 * A reader that cannot list (a plain FileReader) is asked for each name.
 */
function readIfListed(dir: string, name: string, reader: ListingReader): string | undefined {
  if (reader.listDir) {
    const names = reader.listDir(dir);
    if (!names?.includes(name)) return undefined;
  }
  return reader.readText(resolveAgainst(dir, name));
}

function readWrappers(dir: string, reader: ListingReader): WrapperEnv[] {
  const wrappers: WrapperEnv[] = [];
  const scripts = (reader.listDir?.(dir) ?? []).filter((name) => SCRIPT_EXTENSION.test(name)).sort();
  for (const name of [...WRAPPER_NAMES, ...scripts]) {
    const text = readIfListed(dir, name, reader);
    if (text === undefined || !RUNS_COMPOSE.test(text)) continue;
    wrappers.push(readWrapper(resolveAgainst(dir, name), text, reader));
  }
  // A justfile or Makefile higher up that names the stack's folder (`docker compose -f immich/compose.yaml …`).
  const folder = baseName(dir);
  const mentions = new RegExp(`(?:^|[/\\s"'=])${folder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:[/\\s"']|$)`, 'm');
  let ancestor = dir;
  for (let depth = 0; depth < MAX_WRAPPER_ANCESTORS; depth++) {
    const parent = dirName(ancestor);
    if (parent === ancestor) break;
    ancestor = parent;
    for (const name of WRAPPER_NAMES) {
      const text = readIfListed(ancestor, name, reader);
      if (text !== undefined && RUNS_COMPOSE.test(text) && mentions.test(text)) wrappers.push(readWrapper(resolveAgainst(ancestor, name), text, reader));
    }
    if (isRepositoryRoot(ancestor, reader)) break;
  }
  return wrappers;
}

/** What one wrapper sets: exported names and env files, line by line. */
export function readWrapper(file: string, text: string, reader: FileReader): WrapperEnv {
  const wrapper: WrapperEnv = { file, names: [], envFiles: [] };
  const names = new Set<string>();
  const isMake = /(?:^|\/)(?:GNU)?[Mm]akefile$/.test(file);
  const isShell = SCRIPT_EXTENSION.test(file);
  // Make exports every variable after a bare `export`; a shell script after `set -a` / `set -o allexport`.
  const exportsAll = (isMake && /^export[ \t]*$/m.test(text)) || /\bset[ \t]+(?:-a\b|-o[ \t]+allexport\b)/.test(text);
  const lines = text.split('\n');
  const addFile = (written: string, line: number): void => {
    const envFile = envFileOf(written, dirName(file), reader, line);
    if (envFile) wrapper.envFiles.push(envFile);
  };
  lines.forEach((line, index) => {
    if (/^\s*#/.test(line)) return;
    for (const match of line.matchAll(/--env-file(?:=|[ \t]+)("[^"]*"|'[^']*'|[^\s;&|)"']+)/g)) addFile(match[1] as string, index);
    const exported = /^\s*export[ \t]+([A-Za-z_][A-Za-z0-9_]*)/.exec(line);
    if (exported) names.add(exported[1] as string);
    // `NAME=value docker compose …`: assignments in front of the command are its environment.
    const prefix = /^\s*((?:[A-Za-z_][A-Za-z0-9_]*=(?:"[^"]*"|'[^']*'|\S*)[ \t]+)+)(?:\S*\/)?(?:docker|podman)(?:-compose|\s+compose)\b/.exec(line);
    if (prefix) for (const assignment of (prefix[1] as string).matchAll(/([A-Za-z_][A-Za-z0-9_]*)=/g)) names.add(assignment[1] as string);
    const dotenv = /^\s*set[ \t]+dotenv-(?:path|filename)[ \t]*:=[ \t]*("[^"]*"|'[^']*')/.exec(line);
    if (dotenv && !isMake && !isShell) addFile(dotenv[1] as string, index);
    if (exportsAll) {
      const sourced = isMake ? /^\s*-?include[ \t]+(\S+)/.exec(line) : /(?:^|[;&|]\s*)(?:source|\.)[ \t]+("[^"]*"|'[^']*'|[^\s;&|]+)/.exec(line);
      if (sourced) addFile(sourced[1] as string, index);
      const assigned = isShell ? /^\s*([A-Za-z_][A-Za-z0-9_]*)=/.exec(line) : undefined;
      if (assigned) names.add(assigned[1] as string);
    }
  });
  wrapper.names = [...names];
  return wrapper;
}

function envFileOf(written: string, baseDir: string, reader: FileReader, line: number): DeployEnvFile | undefined {
  const unquoted = written.replace(/^(["'])(.*)\1$/, '$2');
  if (unquoted === '') return undefined;
  const envFile: DeployEnvFile = { written: unquoted, line };
  // `$ENV_FILE`, `{{env}}`, `$(…)`, `~`: the path is chosen when the wrapper runs.
  if (/[$`{}~*]/.test(unquoted)) return envFile;
  envFile.path = resolveAgainst(baseDir, unquoted);
  if (isRunTimePath(envFile.path)) return envFile;
  const text = reader.readText(envFile.path);
  if (text !== undefined) envFile.names = parseEnvFile(text).entries.map((entry) => entry.name);
  return envFile;
}

/**
 * The `.gitignore` line that ignores `file`, looking from the repository's root (the nearest folder with `.git`)
 * down to the file's folder — a deeper `.gitignore` and a later line win, `!` re-includes, as in git.
 */
export function gitignoreFor(file: string, reader: ListingReader): IgnoredDotEnv | undefined {
  const folders: string[] = [];
  let folder = dirName(file);
  for (let depth = 0; depth < MAX_GITIGNORE_ANCESTORS; depth++) {
    folders.unshift(folder);
    if (isRepositoryRoot(folder, reader)) break;
    const parent = dirName(folder);
    if (parent === folder) break;
    folder = parent;
  }
  let ignored: IgnoredDotEnv | undefined;
  for (const gitDir of folders) {
    const gitignore = resolveAgainst(gitDir, '.gitignore');
    const text = readIfListed(gitDir, '.gitignore', reader);
    if (text === undefined) continue;
    const relative = file.slice(gitDir.length).replace(/^\/+/, '');
    text.split('\n').forEach((raw, line) => {
      const pattern = raw.replace(/\r$/, '').replace(/(?<!\\)\s+$/, '');
      if (pattern === '' || pattern.startsWith('#')) return;
      const negated = pattern.startsWith('!');
      if (!gitignoreMatches(negated ? pattern.slice(1) : pattern, relative)) return;
      ignored = negated ? undefined : { gitignore, line, pattern };
    });
  }
  return ignored;
}

/** Does a `.gitignore` pattern match the file at `relative` (to the `.gitignore`'s folder), or a folder above it? */
export function gitignoreMatches(pattern: string, relative: string): boolean {
  const dirOnly = pattern.endsWith('/');
  let body = dirOnly ? pattern.slice(0, -1) : pattern;
  const anchored = body.includes('/');
  body = body.replace(/^\//, '');
  if (body === '') return false;
  const regex = new RegExp(`^${globToRegex(body)}$`);
  const parts = relative.split('/');
  // The file itself (unless the pattern names folders only), then each folder above it.
  for (let end = parts.length; end >= 1; end--) {
    if (end === parts.length && dirOnly) continue;
    const candidate = anchored ? parts.slice(0, end).join('/') : (parts[end - 1] as string);
    if (regex.test(candidate)) return true;
  }
  return false;
}

function globToRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] as string;
    if (ch === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else if (ch === '\\' && i + 1 < glob.length) out += (glob[++i] as string).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    else if (ch === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close < 0) out += '\\[';
      else {
        out += `[${glob.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else out += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return out;
}

/** A folder holding `.git` (a directory, or a worktree's file) is the repository's root. */
function isRepositoryRoot(folder: string, reader: ListingReader): boolean {
  return reader.listDir ? (reader.listDir(folder)?.includes('.git') ?? false) : reader.exists(resolveAgainst(folder, '.git'));
}
