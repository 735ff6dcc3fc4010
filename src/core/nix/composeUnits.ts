/**
 * Where a NixOS configuration gives Compose its variables at run time: the secrets it declares (agenix, sops-nix and
 * its templates) and the units that run `docker compose` — their working folder, `-f`/`--project-directory`,
 * `--env-file`, `environment`, `serviceConfig.Environment`/`EnvironmentFile` and the variables their scripts export.
 * Read from the syntax (`let`-bound literals one level deep), and, when Nix evaluated the configuration, from the
 * evaluated units too (`NixConfiguration.evaluatedComposeUnits`): a unit made by a function is read from its final text.
 */
import * as path from 'node:path';
import { LineIndex, type SourceLocation } from '../text';
import type { EvaluatedComposeUnit, NixConfiguration, NixDefinition, NixScript } from './model';

export type SecretKind = 'agenix' | 'sops' | 'sops-template';

/** A secret the configuration declares, with the path its decrypted file gets on the host. */
export interface DeclaredSecret {
  kind: SecretKind;
  name: string;
  /** The decrypted file's path: the literal `path`, else the module's default; undefined when computed. */
  path?: string;
  /** Names of the variables the file defines, when they can be read (a sops dotenv file, a template's content). */
  names?: string[];
  /** sops-nix: the encrypted file in the repository (absolute), when written as a path literal. */
  sopsFile?: string;
  declaredAt: NixDefinition;
}

export interface Secrets {
  declared: DeclaredSecret[];
  /** `age.secrets = import ./secrets.nix;` and the like: there may be more secrets than those listed. */
  incomplete: boolean;
}

/** A reference to a secret's file found in a unit (`${config.age.secrets.x.path}`, `/run/agenix/x`). */
export interface SecretReference {
  kind: SecretKind;
  /** The secret's name, when the reference names it (`config.sops.secrets.x.path`) or its default path does. */
  name?: string;
  /** The path written, for references by path. */
  path?: string;
}

/** A file a unit hands to Compose (`--env-file`) or to its own environment (`EnvironmentFile=`, `set -a; source`). */
export interface UnitEnvFile {
  via: '--env-file' | 'EnvironmentFile' | 'source';
  /** As written in the Nix file. */
  written: string;
  secret?: SecretReference;
  /** A file of the repository (a path literal, resolved). */
  local?: string;
  /** An absolute path on the host (not a secret, not a path literal). */
  hostPath?: string;
  loc: SourceLocation;
}

/** A systemd unit that runs `docker compose` (or `docker-compose`). */
export interface ComposeUnit {
  service: string;
  /** Folders the unit runs Compose for: WorkingDirectory, `cd`, `--project-directory`, the folders of `-f` files. */
  folders: UnitPath[];
  envFiles: UnitEnvFile[];
  /** Variables set in the unit's environment or exported by its script, with where. */
  names: Map<string, SourceLocation>;
  /** Where the unit runs Compose (for related information). */
  loc: SourceLocation;
  /** Known only from the evaluation (the static reader did not find the unit). */
  evaluated?: true;
}

/** A path as far as it can be read: a repository path, a host path, or only its trailing literal folders. */
export interface UnitPath {
  local?: string;
  hostPath?: string;
  /** The literal folder names at the end (`${root}/media/immich` → media, immich). */
  tail: string[];
}

const COMPOSE_COMMAND = /(?:^|[\s;&|(/"'])(?:docker|podman)(?:-compose|\s+compose)\b/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The secrets declared with agenix (`age.secrets`) and sops-nix (`sops.secrets`, `sops.templates`). */
export function declaredSecrets(nix: NixConfiguration, readText: (file: string) => string | undefined = () => undefined): Secrets {
  const declared: DeclaredSecret[] = [];
  let incomplete = false;
  const agenixDir = literalString(nix, ['age', 'secretsDir']) ?? '/run/agenix';
  const kinds: [SecretKind, string[], (name: string) => string][] = [
    ['agenix', ['age', 'secrets'], (name) => `${agenixDir}/${name}`],
    ['sops', ['sops', 'secrets'], (name) => `/run/secrets/${name}`],
    ['sops-template', ['sops', 'templates'], (name) => `/run/secrets/rendered/${name}`],
  ];
  for (const [kind, prefix, defaultPath] of kinds) {
    const byName = new Map<string, NixDefinition[]>();
    for (const definition of nix.definitionsUnder(prefix)) {
      const name = definition.path[prefix.length];
      if (name === undefined) {
        if (definition.value.kind !== 'attrs') incomplete = true;
        continue;
      }
      let list = byName.get(name);
      if (!list) byName.set(name, (list = []));
      list.push(definition);
    }
    for (const [name, definitions] of byName) {
      const first = definitions[0] as NixDefinition;
      const attribute = (key: string): NixDefinition | undefined => definitions.find((definition) => definition.path.length === prefix.length + 2 && definition.path[prefix.length + 1] === key);
      const secret: DeclaredSecret = { kind, name, declaredAt: first };
      const pathDefinition = attribute('path');
      if (!pathDefinition) secret.path = defaultPath(name);
      else if (pathDefinition.value.kind === 'string' && !pathDefinition.value.interpolated) secret.path = pathDefinition.value.value;
      if (kind === 'sops') {
        const sopsFile = attribute('sopsFile') ?? nix.definitionsOf(['sops', 'defaultSopsFile'])[0];
        const file = sopsFile && fileOf(sopsFile);
        if (file) {
          secret.sopsFile = file;
          const format = literalOf(attribute('format')) ?? literalString(nix, ['sops', 'defaultSopsFormat']);
          const key = literalOf(attribute('key'));
          // A dotenv file keeps its key names in plain text (only the values are encrypted).
          if ((format === 'dotenv' || (format === undefined && /\.env$/.test(file))) && (key === undefined || key === '')) {
            const text = readText(file);
            if (text !== undefined) secret.names = dotenvKeys(text).filter((key) => !key.startsWith('sops_'));
          }
        }
      }
      if (kind === 'sops-template') {
        const content = attribute('content');
        const text = content ? sourceSlice(nix, content) : undefined;
        if (text !== undefined) secret.names = dotenvKeys(text);
      }
      declared.push(secret);
    }
  }
  return { declared, incomplete };
}

/** The declared secret a reference points at, if any. */
export function findSecret(secrets: Secrets, reference: SecretReference): DeclaredSecret | undefined {
  return secrets.declared.find((secret) =>
    reference.path !== undefined ? secret.path === reference.path : secret.kind === reference.kind && secret.name === reference.name,
  );
}

/** The secret a path on the host belongs to by the modules' default locations (`/run/agenix/x`, `/run/secrets/x`). */
export function secretAtPath(hostPath: string): SecretReference | undefined {
  const rendered = /^\/run\/secrets(?:\/rendered|-rendered)\/(.+)$/.exec(hostPath);
  if (rendered) return { kind: 'sops-template', name: rendered[1] as string, path: hostPath };
  const agenix = /^\/run\/agenix\/(.+)$/.exec(hostPath);
  if (agenix) return { kind: 'agenix', name: agenix[1] as string, path: hostPath };
  const sops = /^\/run\/secrets\/(.+)$/.exec(hostPath);
  if (sops) return { kind: 'sops', name: sops[1] as string, path: hostPath };
  return undefined;
}

/**
 * Every unit whose script, ExecStart, preStart or postStart runs Compose. With an evaluation, a unit the static reader
 * did not find is added from its evaluated text, and a unit it found gains what the evaluation adds (folders, variable
 * names, env files the source did not tell); a unit only the static reader sees stays (its text may be a store path
 * the evaluation cannot read).
 */
export function composeUnits(nix: NixConfiguration): ComposeUnit[] {
  const units = staticComposeUnits(nix);
  if (!nix.evaluatedComposeUnits) return units;
  const byService = new Map(units.map((unit) => [unit.service, unit]));
  for (const evaluated of nix.evaluatedComposeUnits) {
    const read = evaluatedComposeUnit(nix, evaluated);
    const known = byService.get(evaluated.service);
    if (!known) {
      units.push(read);
      continue;
    }
    known.folders.push(...read.folders);
    for (const [name, loc] of read.names) if (!known.names.has(name)) known.names.set(name, loc);
    const seen = new Set(known.envFiles.map(envFileIdentity).filter((id) => id !== undefined));
    for (const envFile of read.envFiles) {
      const id = envFileIdentity(envFile);
      if (id === undefined || seen.has(id)) continue;
      seen.add(id);
      known.envFiles.push(envFile);
    }
  }
  return units;
}

/** What an env file is, to tell the same file read twice (from the source and from the evaluation); undefined: unknown. */
function envFileIdentity(envFile: UnitEnvFile): string | undefined {
  if (envFile.secret) return envFile.secret.name !== undefined ? `secret ${envFile.secret.kind} ${envFile.secret.name}` : envFile.secret.path !== undefined ? `path ${envFile.secret.path}` : undefined;
  if (envFile.local !== undefined) return `local ${envFile.local}`;
  if (envFile.hostPath !== undefined) return `path ${envFile.hostPath}`;
  return undefined;
}

/** A unit from its evaluated text: read like a script in the source, at the unit's location, store copies mapped back to the workspace. */
function evaluatedComposeUnit(nix: NixConfiguration, evaluated: EvaluatedComposeUnit): ComposeUnit {
  const { loc } = evaluated;
  const unit: ComposeUnit = { service: evaluated.service, folders: [], envFiles: [], names: new Map(), loc, evaluated: true };
  // Nothing of Nix is left to expand, and the text is not in the file: no `let` lookup, every position at `loc`.
  const bare: NixConfiguration = { ...nix, sourceText: () => undefined };
  if (evaluated.workingDirectory !== undefined) unit.folders.push(unitPath(evaluated.workingDirectory, loc.file));
  for (const name of Object.keys(evaluated.environment)) if (NAME.test(name)) unit.names.set(name, loc);
  for (const written of evaluated.environmentFiles) {
    const item = written.replace(/^-/, '');
    unit.envFiles.push(envFileOf('EnvironmentFile', item, item, loc.file, loc));
  }
  const definition: NixDefinition = { path: ['systemd', 'services', evaluated.service, 'script'], value: { kind: 'string', value: '', interpolated: false }, priority: 'plain', numericPriority: 100, conditional: false, file: loc.file, loc, valueLoc: loc, exprLoc: loc };
  for (const text of evaluated.scripts) {
    if (!COMPOSE_COMMAND.test(text)) continue;
    readScript(bare, { attribute: 'script', text, file: loc.file, sourceOffset: () => 0, definition }, unit, unit.folders[0]);
  }
  // A path into the flake's store copy is a path of the repository.
  for (const folder of unit.folders) {
    const local = folder.hostPath !== undefined ? evaluated.workspacePath(folder.hostPath) : undefined;
    if (local === undefined) continue;
    delete folder.hostPath;
    folder.local = local;
    folder.tail = tailOf(local);
  }
  for (const envFile of unit.envFiles) {
    const local = envFile.hostPath !== undefined ? evaluated.workspacePath(envFile.hostPath) : undefined;
    if (local === undefined) continue;
    delete envFile.hostPath;
    envFile.local = local;
  }
  return unit;
}

function staticComposeUnits(nix: NixConfiguration): ComposeUnit[] {
  const units: ComposeUnit[] = [];
  for (const service of nix.systemdServices.values()) {
    const scripts = service.scripts.filter((script) => COMPOSE_COMMAND.test(script.text));
    if (scripts.length === 0) continue;
    const prefix = ['systemd', 'services', service.name];
    const first = scripts[0] as NixScript;
    const unit: ComposeUnit = { service: service.name, folders: [], envFiles: [], names: new Map(), loc: { file: first.file, range: first.definition.valueLoc.range } };
    for (const definition of nix.definitionsOf([...prefix, 'serviceConfig', 'WorkingDirectory'])) {
      const text = sourceSlice(nix, definition);
      if (text !== undefined) unit.folders.push(unitPath(expandLets(text, nix, definition.file), definition.file));
    }
    for (const definition of nix.definitionsUnder([...prefix, 'environment'])) {
      const name = definition.path[prefix.length + 1];
      if (definition.path.length === prefix.length + 2 && name && NAME.test(name)) unit.names.set(name, definition.loc);
    }
    for (const definition of nix.definitionsOf([...prefix, 'serviceConfig', 'Environment'])) {
      const text = sourceSlice(nix, definition) ?? '';
      for (const match of text.matchAll(/(?:^|["\s[])([A-Za-z_][A-Za-z0-9_]*)=/g)) unit.names.set(match[1] as string, definition.valueLoc);
    }
    for (const definition of nix.definitionsOf([...prefix, 'serviceConfig', 'EnvironmentFile'])) {
      const text = sourceSlice(nix, definition);
      if (text === undefined) continue;
      for (const element of listElements(text)) {
        // A leading `-` tells systemd to ignore a missing file; it is not part of the path.
        const item = element.replace(/^(["']?)-/, '$1');
        unit.envFiles.push(envFileOf('EnvironmentFile', item, expandLets(item, nix, definition.file), definition.file, definition.valueLoc));
      }
    }
    for (const script of scripts) readScript(nix, script, unit, unit.folders[0]);
    units.push(unit);
  }
  return units;
}

/** How well a unit's folders name the stack folder `dir`: 0 not at all, higher is closer (trailing folders that agree). */
export function unitMatch(unit: ComposeUnit, dir: string): number {
  const parts = dir.split(/[\\/]+/).filter((part) => part !== '');
  let best = 0;
  for (const folder of unit.folders) {
    if (folder.local !== undefined) {
      if (path.normalize(folder.local) === path.normalize(dir)) return Number.MAX_SAFE_INTEGER;
      continue;
    }
    const tail = folder.tail;
    let agree = 0;
    while (agree < tail.length && agree < parts.length && tail[tail.length - 1 - agree] === parts[parts.length - 1 - agree]) agree++;
    if (agree > best) best = agree;
  }
  return best;
}

/** Reads Compose's flags, `cd`, exported variables and sourced files from one script of the unit. */
function readScript(nix: NixConfiguration, script: NixScript, unit: ComposeUnit, workingDirectory: UnitPath | undefined): void {
  const text = script.text;
  const index = new LineIndex(nix.sourceText?.(script.file) ?? '');
  const locOf = (start: number, end: number): SourceLocation => {
    if (index.text === '') return { file: script.file, range: script.definition.valueLoc.range };
    const from = script.sourceOffset(start);
    const to = end > start ? script.sourceOffset(end - 1) + 1 : from;
    return { file: script.file, range: index.rangeOf(from, to) };
  };
  const exportsAll = /\bset[ \t]+(?:-a\b|-o[ \t]+allexport\b)/.test(text);
  const joined = text.replace(/\\\r?\n/g, (match) => ' '.repeat(match.length));
  let cwd = workingDirectory;
  let offset = 0;
  for (const line of joined.split('\n')) {
    const lineStart = offset;
    offset += line.length + 1;
    if (/^\s*#/.test(line)) continue;
    for (const match of line.matchAll(/(?:^|[\s;&|(])(?:cd|pushd)[ \t]+((?:"[^"]*"|'[^']*'|\$\{[^}]*\}|[^\s;&|)])+)/g)) cwd = unitPath(expandLets(match[1] as string, nix, script.file), script.file);
    const exported = /^\s*export[ \t]+([A-Za-z_][A-Za-z0-9_]*)=/.exec(line);
    if (exported) unit.names.set(exported[1] as string, locOf(lineStart, lineStart + line.length));
    if (exportsAll) {
      const assigned = /^\s*([A-Za-z_][A-Za-z0-9_]*)=/.exec(line);
      if (assigned) unit.names.set(assigned[1] as string, locOf(lineStart, lineStart + line.length));
      const sourced = /(?:^|[;&|]\s*)(?:source|\.)[ \t]+((?:"[^"]*"|\$\{[^}]*\}|[^\s;&|])+)/.exec(line);
      if (sourced) {
        const at = lineStart + (sourced.index ?? 0);
        unit.envFiles.push(envFileOf('source', sourced[1] as string, expandLets(sourced[1] as string, nix, script.file), script.file, locOf(at, lineStart + line.length)));
      }
    }
    const command = COMPOSE_COMMAND.exec(line);
    if (!command) continue;
    const prefix = /^\s*((?:[A-Za-z_][A-Za-z0-9_]*=(?:"[^"]*"|'[^']*'|\S*)[ \t]+)+)/.exec(line.slice(0, command.index + 1));
    if (prefix) for (const assignment of (prefix[1] as string).matchAll(/([A-Za-z_][A-Za-z0-9_]*)=/g)) unit.names.set(assignment[1] as string, locOf(lineStart, lineStart + line.length));
    const words = shellWords(line.slice(command.index + command[0].length), lineStart + command.index + command[0].length);
    const files: string[] = [];
    let projectDirectory: UnitPath | undefined;
    for (let i = 0; i < words.length; i++) {
      const word = words[i] as ShellWord;
      const flag = /^(--env-file|-f|--file|--project-directory)(?:=(.*))?$/.exec(word.text);
      if (!flag) continue;
      const valueWord = flag[2] !== undefined ? { text: flag[2], start: word.start + (flag[1] as string).length + 1, end: word.end } : words[++i];
      if (!valueWord) break;
      const expanded = expandLets(valueWord.text, nix, script.file);
      if (flag[1] === '--env-file') unit.envFiles.push(envFileOf('--env-file', valueWord.text, expanded, script.file, locOf(word.start, valueWord.end)));
      else if (flag[1] === '--project-directory') projectDirectory = unitPath(expanded, script.file);
      else files.push(expanded);
    }
    const base = projectDirectory ?? cwd;
    if (base && (files.length === 0 || projectDirectory)) unit.folders.push(base);
    for (const file of files) {
      const folder = folderOfFile(unitPath(file, script.file), cwd, unquote(file));
      if (folder) unit.folders.push(folder);
    }
  }
}

interface ShellWord {
  text: string;
  start: number;
  end: number;
}

/** Words of a shell command up to its end (`;`, `&&`, `|`, newline), quotes and `${…}` kept inside words. */
function shellWords(text: string, base: number): ShellWord[] {
  const words: ShellWord[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
    if (i >= text.length || /[;&|)\n]/.test(text[i] as string)) break;
    const start = i;
    while (i < text.length && !/[\s;&|)]/.test(text[i] as string)) {
      const ch = text[i] as string;
      if (ch === '"' || ch === "'") {
        const close = text.indexOf(ch, i + 1);
        i = close < 0 ? text.length : close + 1;
      } else if (ch === '$' && text[i + 1] === '{') {
        let depth = 0;
        for (; i < text.length; i++) {
          if (text[i] === '{') depth++;
          else if (text[i] === '}' && --depth === 0) break;
        }
        i++;
      } else i++;
    }
    words.push({ text: text.slice(start, i), start: base + start, end: base + i });
  }
  return words;
}

function envFileOf(via: UnitEnvFile['via'], written: string, expanded: string, file: string, loc: SourceLocation): UnitEnvFile {
  const envFile: UnitEnvFile = { via, written: unquote(written), loc };
  const secret = secretReference(expanded);
  if (secret) {
    envFile.secret = secret;
    return envFile;
  }
  const where = unitPath(expanded, file);
  if (where.local !== undefined) envFile.local = where.local;
  else if (where.hostPath !== undefined) envFile.hostPath = where.hostPath;
  return envFile;
}

/** A secret named in the text: `config.age.secrets.x.path`, `config.sops.secrets."x".path`, `/run/agenix/x`… */
export function secretReference(text: string): SecretReference | undefined {
  const byOption = /config\.(age\.secrets|sops\.secrets|sops\.templates)\.(?:"([^"]+)"|([A-Za-z0-9_'-]+))\.path\b/.exec(text);
  if (byOption) {
    const kind: SecretKind = byOption[1] === 'age.secrets' ? 'agenix' : byOption[1] === 'sops.secrets' ? 'sops' : 'sops-template';
    return { kind, name: (byOption[2] ?? byOption[3]) as string };
  }
  const inDir = /\$\{config\.age\.secretsDir\}\/([^\s"';}]+)/.exec(text);
  if (inDir) return { kind: 'agenix', name: inDir[1] as string };
  const byPath = /(?:^|["'\s=])(\/run\/(?:agenix|secrets(?:-rendered)?)\/[^\s"';}]+)/.exec(text);
  if (byPath) return secretAtPath(byPath[1] as string);
  if (/config\.(?:age|sops)\./.test(text)) return { kind: /config\.age\./.test(text) ? 'agenix' : 'sops' };
  return undefined;
}

/** Reads a path written in Nix or in a script: `./stack` (a repository path), `"/srv/stack"`, `${root}/stack`. */
function unitPath(written: string, file: string): UnitPath {
  const text = unquote(written.trim());
  const literal = /^\$\{(\.{1,2}\/[^}\s]*)\}(.*)$/.exec(text) ?? /^(\.{1,2}\/[^\s"';]*)()$/.exec(text);
  if (literal) {
    const local = path.resolve(path.dirname(file), `${literal[1] as string}${literal[2] as string}`);
    return { local, tail: tailOf(local) };
  }
  if (text.startsWith('/') && !text.includes('$')) return { hostPath: path.posix.normalize(text), tail: tailOf(text) };
  // Only what follows the last interpolation is known: `${stacksDir}/immich` → immich.
  return { tail: tailOf(text.replace(/^.*(?:\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*)/s, '')) };
}

/** The folder of a file path (`-f stacks/immich/compose.yaml`), relative ones against the folder Compose runs in. */
function folderOfFile(file: UnitPath, base: UnitPath | undefined, written: string): UnitPath | undefined {
  if (file.local !== undefined) return { local: path.dirname(file.local), tail: file.tail.slice(0, -1) };
  if (file.hostPath !== undefined) return { hostPath: path.posix.dirname(file.hostPath), tail: file.tail.slice(0, -1) };
  const relative = !written.startsWith('$') && !written.startsWith('/');
  const folders = file.tail.slice(0, -1);
  if (!relative || !base) return folders.length > 0 ? { tail: folders } : undefined;
  if (base.local !== undefined) return { local: path.join(base.local, ...folders), tail: [...base.tail, ...folders] };
  if (base.hostPath !== undefined) return { hostPath: path.posix.join(base.hostPath, ...folders), tail: [...base.tail, ...folders] };
  return { tail: [...base.tail, ...folders] };
}

function tailOf(text: string): string[] {
  return text.split('/').filter((part) => part !== '' && part !== '.' && !part.includes('$'));
}

/**
 * Replaces `${name}` by the text bound to `name` in the same file (`name = ./stacks;`, `name = "/srv";`,
 * `name = config.age.secrets.x.path;`), one level deep, so paths and secret references can be read.
 */
function expandLets(text: string, nix: NixConfiguration, file: string): string {
  const source = nix.sourceText?.(file);
  if (source === undefined) return text;
  // A bare name (`WorkingDirectory = stackDir;`) is its binding too.
  if (/^[A-Za-z_][A-Za-z0-9_'-]*$/.test(text.trim()) && !['true', 'false', 'null'].includes(text.trim())) text = `\${${text.trim()}}`;
  if (!text.includes('${')) return text;
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_'-]*)\}/g, (whole, name: string) => {
    const binding = new RegExp(`(?:^|[\\s{;])${name.replace(/[-']/g, '\\$&')}\\s*=\\s*([^;]+);`, 'm').exec(source);
    if (!binding) return whole;
    const value = (binding[1] as string).trim();
    if (/^\.{1,2}\//.test(value)) return `\${${value}}`;
    if (/^"[^"$]*"$/.test(value)) return value.slice(1, -1);
    if (/^config\.[A-Za-z0-9_."'-]+$/.test(value)) return `\${${value}}`;
    return whole;
  });
}

/** The elements of a Nix list expression's source (`[ a "b" ./c ]`), or the expression itself. */
function listElements(text: string): string[] {
  const trimmed = text.trim();
  if (!trimmed.startsWith('[')) return [trimmed];
  const elements: string[] = [];
  for (const match of trimmed.slice(1, -1).matchAll(/"(?:[^"\\]|\\.)*"|\$\{[^}]*\}|[^\s"]+/g)) elements.push(match[0]);
  return elements;
}

function unquote(text: string): string {
  return text.replace(/^(["'])(.*)\1$/s, '$2');
}

/** KEY names of dotenv-shaped text (`KEY=…`, `export KEY=…`), comments skipped. */
function dotenvKeys(text: string): string[] {
  const keys = new Set<string>();
  for (const match of text.matchAll(/^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=/gm)) keys.add(match[1] as string);
  return [...keys];
}

/** The source text of a definition's value. */
function sourceSlice(nix: NixConfiguration, definition: NixDefinition): string | undefined {
  const text = nix.sourceText?.(definition.file);
  if (text === undefined) return undefined;
  const index = new LineIndex(text);
  return text.slice(index.offsetAt(definition.valueLoc.range.start), index.offsetAt(definition.valueLoc.range.end));
}

function literalString(nix: NixConfiguration, optionPath: string[]): string | undefined {
  return literalOf(nix.definitionsOf(optionPath)[0]);
}

function literalOf(definition: NixDefinition | undefined): string | undefined {
  return definition?.value.kind === 'string' && !definition.value.interpolated ? definition.value.value : undefined;
}

/** A path-literal value (`./secrets/immich.env`) as an absolute path. */
function fileOf(definition: NixDefinition): string | undefined {
  if (definition.value.kind === 'path') return path.resolve(path.dirname(definition.file), definition.value.value);
  if (definition.value.kind === 'string' && !definition.value.interpolated && definition.value.value.startsWith('/')) return definition.value.value;
  return undefined;
}
