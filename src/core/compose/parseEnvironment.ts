import type { EnvironmentEntry, Located } from './model';
import { parseEnvFile } from './envFile';
import { child, describeNode, scalarChild, toLocated, type ComposeNode, type MapNode, type ScalarNode } from './nodes';
import { baseName, resolveAgainst } from './paths';
import type { ServiceParseContext } from './serviceContext';

/**
 * The service's effective environment: `env_file` entries in order (later files win), then `environment`
 * (which wins over env_file, as in Compose). `environment` lists were already turned into maps. `env_file` entries
 * under /run (see isRunTimePath) are not read: they go to `runtimeEnvFiles`.
 */
export function parseEnvironment(serviceName: string, service: MapNode, ctx: ServiceParseContext, runtimeEnvFiles: Located<string>[] = []): Map<string, EnvironmentEntry> {
  const environment = new Map<string, EnvironmentEntry>();
  const envFileNode = child(service, 'env_file');
  if (envFileNode) for (const entry of readEnvFiles(serviceName, envFileNode, ctx, runtimeEnvFiles)) environment.set(entry.name, entry);

  const node = child(service, 'environment');
  if (!node || (node.kind === 'scalar' && node.isNull)) return environment;
  if (node.kind !== 'map') {
    ctx.problems.push({
      file: node.ctx.file,
      range: node.loc.range,
      message: `${baseName(node.ctx.file)}: \`environment\` of service \`${serviceName}\` must be a map (\`KEY: value\`) or a list (\`- KEY=value\`), found ${describeNode(node)}.`,
    });
    return environment;
  }
  for (const [name, { keyLoc, value }] of node.entries) {
    if (value.kind !== 'scalar') {
      ctx.problems.push({
        file: value.ctx.file,
        range: value.loc.range,
        message: `${baseName(value.ctx.file)}: environment variable \`${name}\` of service \`${serviceName}\` must have a single value, found ${describeNode(value)}.`,
      });
      continue;
    }
    if (value.isNull) {
      // `KEY:` / `- KEY`: Compose takes the value from its environment — here the .env — or drops the variable.
      const found = value.ctx.env(name);
      if (!found) continue;
      const substitution = found.file === undefined
        ? { name, value: found.value, source: 'env-file' as const }
        : { name, value: found.value, source: 'env-file' as const, file: found.file };
      environment.set(name, { name, value: found.value, loc: keyLoc, from: 'environment', substitutions: [substitution] });
      continue;
    }
    environment.set(name, fromScalar(name, value));
  }
  return environment;
}

function fromScalar(name: string, value: ScalarNode): EnvironmentEntry {
  const entry: EnvironmentEntry = { name, value: value.value, loc: value.loc, from: 'environment' };
  if (value.raw !== value.value) entry.raw = value.raw;
  if (value.substitutions.length > 0) entry.substitutions = value.substitutions;
  return entry;
}

interface EnvFileReference {
  path: ScalarNode;
  required: boolean;
}

/** `env_file: x.env`, `env_file: [a.env, b.env]`, `env_file: [{path: a.env, required: false}]`. */
function envFileReferences(serviceName: string, node: ComposeNode, ctx: ServiceParseContext): EnvFileReference[] {
  if (node.kind === 'scalar') return node.isNull ? [] : [{ path: node, required: true }];
  const items = node.kind === 'seq' ? node.items : [node];
  const references: EnvFileReference[] = [];
  for (const item of items) {
    if (item.kind === 'scalar' && !item.isNull) {
      references.push({ path: item, required: true });
      continue;
    }
    const path = scalarChild(item, 'path');
    if (item.kind === 'map' && path) {
      const required = scalarChild(item, 'required');
      references.push({ path, required: required?.value.toLowerCase() !== 'false' });
      continue;
    }
    ctx.problems.push({
      file: item.ctx.file,
      range: item.loc.range,
      message: `${baseName(item.ctx.file)}: an \`env_file\` entry of service \`${serviceName}\` must be a path or \`{path: …, required: …}\`, found ${describeNode(item)}.`,
    });
  }
  return references;
}

/**
 * A path that exists only while the host runs: /run is a tmpfs where agenix (/run/agenix), sops-nix (/run/secrets)
 * and systemd (/run/credentials) put decrypted files. It is never in a repository, so its absence here says nothing.
 */
export function isRunTimePath(file: string): boolean {
  return /^\/(?:var\/)?run\//.test(file);
}

function readEnvFiles(serviceName: string, node: ComposeNode, ctx: ServiceParseContext, runtimeEnvFiles: Located<string>[]): EnvironmentEntry[] {
  const entries: EnvironmentEntry[] = [];
  for (const { path, required } of envFileReferences(serviceName, node, ctx)) {
    if (isRunTimePath(path.value)) {
      runtimeEnvFiles.push(toLocated(path));
      continue;
    }
    const file = resolveAgainst(path.ctx.dir, path.value);
    ctx.envFiles.add(file);
    let parsed = ctx.envFileCache.get(file);
    if (!ctx.envFileCache.has(file)) {
      const text = ctx.reader.readText(file);
      parsed = text === undefined ? undefined : parseEnvFile(text, path.ctx.env, file);
      ctx.envFileCache.set(file, parsed);
      for (const problem of parsed?.problems ?? []) {
        ctx.problems.push({ file, range: problem.range, message: `${baseName(file)}: ${problem.message}.` });
      }
    }
    if (!parsed) {
      if (required) {
        ctx.problems.push({
          file: path.ctx.file,
          range: path.loc.range,
          message: `${baseName(path.ctx.file)}: env_file \`${path.value}\` of service \`${serviceName}\` does not exist (${file}); Compose refuses to start. Create it or mark it \`required: false\`.`,
        });
      }
      continue;
    }
    for (const variable of parsed.entries) {
      const entry: EnvironmentEntry = { name: variable.name, value: variable.value, loc: path.loc, from: 'env_file', file };
      if (variable.raw !== variable.value) entry.raw = variable.raw;
      entries.push(entry);
    }
  }
  return entries;
}
