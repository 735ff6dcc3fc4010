import type { InputProblem } from '../types';
import { mergeNodes } from './merge';
import { scalarChild, type ComposeNode, type MapEntry, type MapNode, type ScalarNode } from './nodes';
import { baseName, resolveAgainst } from './paths';

/** What resolving `extends` needs from the loader. */
export interface ExtendsLoader {
  problems: InputProblem[];
  /** The checked `services` map of another compose file (read with the referencing file's environment), or undefined. */
  loadServices(file: string, referencedFrom: ScalarNode): MapNode | undefined;
}

/**
 * Replaces every service that has `extends` by its base merged with it (Compose's merge rules, the extending
 * service winning). Works across files and through chains; cycles and missing bases are problems, and the
 * service is then kept as written.
 */
export function resolveExtends(services: MapNode, loader: ExtendsLoader): MapNode {
  const resolver = new ExtendsResolver(loader);
  const entries = new Map<string, MapEntry>();
  for (const [name, entry] of services.entries) {
    const resolved = entry.value.kind === 'map' ? resolver.resolve(services, services.ctx.file, name, []) : undefined;
    entries.set(name, resolved ? { ...entry, value: resolved } : entry);
  }
  return { ...services, entries };
}

class ExtendsResolver {
  private readonly memo = new Map<string, MapNode | undefined>();

  constructor(private readonly loader: ExtendsLoader) {}

  resolve(services: MapNode, fileKey: string, name: string, chain: readonly string[]): MapNode | undefined {
    const key = `${fileKey}\u0000${name}`;
    if (this.memo.has(key)) return this.memo.get(key);
    const service = services.entries.get(name)?.value;
    if (service?.kind !== 'map') return undefined;
    const extendsEntry = service.entries.get('extends');
    if (!extendsEntry) return service;
    const own = withoutExtends(service);
    const reference = readReference(extendsEntry.value);
    if (!reference) {
      this.problem(extendsEntry.value, `\`extends\` of service \`${name}\` must name a service (\`extends: base\` or \`{service: base, file: other.yml}\`)`);
      return own;
    }
    if (chain.includes(key)) {
      this.problem(reference.service, `\`extends\` of service \`${name}\` forms a cycle; remove one of the extends`);
      return own;
    }

    let baseServices = services;
    let baseKey = fileKey;
    if (reference.file) {
      const file = resolveAgainst(reference.file.ctx.dir, reference.file.value);
      const loaded = this.loader.loadServices(file, reference.file);
      if (!loaded) {
        this.problem(reference.file, `\`extends\` of service \`${name}\`: file \`${reference.file.value}\` not found or has no services (${file})`);
        return own;
      }
      baseServices = loaded;
      baseKey = file;
    }
    const base = this.resolve(baseServices, baseKey, reference.service.value, [...chain, key]);
    if (!base) {
      const where = reference.file ? reference.file.value : 'this file';
      this.problem(reference.service, `\`extends\` of service \`${name}\`: service \`${reference.service.value}\` not found in ${where}`);
      return own;
    }
    const merged = mergeNodes(base, own, ['services', name]);
    const result = merged.kind === 'map' ? merged : own;
    this.memo.set(key, result);
    return result;
  }

  private problem(node: ComposeNode, message: string): void {
    this.loader.problems.push({ file: node.ctx.file, range: node.loc.range, message: `${baseName(node.ctx.file)}: ${message}.` });
  }
}

function readReference(node: ComposeNode): { service: ScalarNode; file?: ScalarNode } | undefined {
  if (node.kind === 'scalar') return node.isNull ? undefined : { service: node };
  const service = scalarChild(node, 'service');
  if (!service) return undefined;
  const file = scalarChild(node, 'file');
  return file ? { service, file } : { service };
}

function withoutExtends(service: MapNode): MapNode {
  const entries = new Map(service.entries);
  entries.delete('extends');
  return { ...service, entries };
}
