/**
 * The hosts of the user's OpenSSH configuration, for the editor's host picker: every `Host` alias that names one
 * host (patterns with `*`, `?` or `!` are skipped), with the HostName/User/Port written in its block, following
 * `Include` the way ssh does (relative paths from ~/.ssh, `*`/`?` wildcards in file names). ssh itself still reads
 * the configuration when it connects; this only lists names.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as SshConfigModule from 'ssh-config' with { 'resolution-mode': 'import' };

type Line = SshConfigModule.Line;
// The package is ESM with a CommonJS build; this CommonJS project (and the esbuild bundle) loads the latter.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parse: parseSshConfig, LineType } = require('ssh-config') as typeof SshConfigModule;

export interface SshConfigHost {
  /** The alias to pass to ssh (`homelab`). */
  alias: string;
  hostName?: string;
  user?: string;
  port?: string;
  identityFile?: string;
  /** The file that declares it. */
  file: string;
}

export interface SshConfigListing {
  hosts: SshConfigHost[];
  /** Files that could not be read or parsed (a missing ~/.ssh/config is not a problem). */
  problems: string[];
}

export interface SshConfigOptions {
  /** Default `~/.ssh/config`. */
  configFile?: string;
  /** Where relative `Include` paths start (ssh: ~/.ssh for the user configuration). */
  sshDir?: string;
  /** Home folder for `~` in Include paths. */
  home?: string;
}

/** Includes nested deeper than this are ignored (ssh's own limit is 16). */
const MAX_INCLUDE_DEPTH = 16;

/** Lists the concrete `Host` aliases of the ssh configuration, in file order, each alias once. Never throws. */
export function listSshConfigHosts(options: SshConfigOptions = {}): SshConfigListing {
  const home = options.home ?? os.homedir();
  const sshDir = options.sshDir ?? path.join(home, '.ssh');
  const configFile = options.configFile ?? path.join(sshDir, 'config');
  const listing: SshConfigListing = { hosts: [], problems: [] };
  const seen = new Set<string>();
  const visited = new Set<string>();

  const readFile = (file: string, depth: number, mustExist: boolean): void => {
    if (depth > MAX_INCLUDE_DEPTH || visited.has(file)) return;
    visited.add(file);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      if (mustExist || (error as NodeJS.ErrnoException).code !== 'ENOENT') listing.problems.push(`${file}: ${(error as Error).message}`);
      return;
    }
    let parsed: Line[];
    try {
      parsed = parseSshConfig(text);
    } catch (error) {
      listing.problems.push(`${file}: ${(error as Error).message}`);
      return;
    }
    visitLines(parsed, file, depth);
  };

  const visitLines = (lines: readonly Line[], file: string, depth: number): void => {
    for (const line of lines) {
      if (line.type !== LineType.DIRECTIVE) continue;
      const param = line.param.toLowerCase();
      if (param === 'include') {
        for (const pattern of values(line.value)) for (const included of expandInclude(pattern, sshDir, home)) readFile(included, depth + 1, false);
      } else if (param === 'host' && 'config' in line) {
        const block = directives(line.config);
        for (const alias of values(line.value)) {
          if (/[*?!]/.test(alias) || seen.has(alias)) continue;
          seen.add(alias);
          listing.hosts.push({ alias, file, ...block });
        }
        // An Include inside a Host block applies to that block; its own Host lines still declare hosts.
        visitLines(line.config.filter((inner) => inner.type === LineType.DIRECTIVE && inner.param.toLowerCase() === 'include'), file, depth);
      } else if (param === 'match' && 'config' in line) {
        visitLines(line.config.filter((inner) => inner.type === LineType.DIRECTIVE && inner.param.toLowerCase() === 'include'), file, depth);
      }
    }
  };

  readFile(configFile, 0, false);
  return listing;
}

/** What a picker shows beside the alias: `palav@192.168.1.20:2222`. */
export function describeSshConfigHost(host: SshConfigHost): string {
  const name = host.hostName ?? host.alias;
  return `${host.user ? `${host.user}@` : ''}${name}${host.port && host.port !== '22' ? `:${host.port}` : ''}`;
}

function directives(lines: readonly Line[]): Pick<SshConfigHost, 'hostName' | 'user' | 'port' | 'identityFile'> {
  const found: Pick<SshConfigHost, 'hostName' | 'user' | 'port' | 'identityFile'> = {};
  for (const line of lines) {
    if (line.type !== LineType.DIRECTIVE) continue;
    const value = values(line.value)[0];
    if (value === undefined) continue;
    // ssh keeps the first value it reads for most keywords.
    switch (line.param.toLowerCase()) {
      case 'hostname': found.hostName ??= value; break;
      case 'user': found.user ??= value; break;
      case 'port': found.port ??= value; break;
      case 'identityfile': found.identityFile ??= value; break;
    }
  }
  return found;
}

function values(value: string | { val: string }[]): string[] {
  if (typeof value === 'string') return value.split(/\s+/).filter((part) => part !== '');
  return value.map((part) => part.val).filter((part) => part !== '');
}

/** The files an `Include` pattern names: `~` expanded, relative to ~/.ssh, wildcards in the last path segment. */
export function expandInclude(pattern: string, sshDir: string, home: string): string[] {
  const expanded = pattern.startsWith('~/') ? path.join(home, pattern.slice(2)) : pattern;
  const absolute = path.isAbsolute(expanded) ? expanded : path.join(sshDir, expanded);
  const dir = path.dirname(absolute);
  const base = path.basename(absolute);
  if (!/[*?]/.test(base)) return [absolute];
  // Wildcards in folder names are rare in practice; only the file name is matched.
  const matcher = new RegExp(`^${base.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((name) => matcher.test(name) && !name.startsWith('.')).sort().map((name) => path.join(dir, name));
}
