import * as path from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import { LineIndex, type Range } from './text';

/** An `env_file` path written in a compose file, resolved against the stack folder. */
export interface EnvFileReference {
  range: Range;
  target: string;
}

/**
 * Finds the `env_file` paths of every service (string, list, and long `{ path, required }` form), for the
 * editor's document links. Reads the YAML alone: links must work even when the rest of the file is half-typed.
 * Paths with `${…}` are skipped: they name no file until interpolated.
 */
export function findEnvFileReferences(file: string, text: string): EnvFileReference[] {
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { keepSourceTokens: false, uniqueKeys: false });
  } catch (error) {
    // The parser's stack overflow on absurd nesting escapes as a RangeError (the analysis reports the file): no links.
    if (error instanceof RangeError) return [];
    throw error;
  }
  const services = doc.get('services', true);
  if (!isMap(services)) return [];
  const lines = new LineIndex(text);
  const references: EnvFileReference[] = [];
  const add = (node: unknown): void => {
    if (!isScalar(node) || typeof node.value !== 'string' || !node.range || node.value.includes('${')) return;
    const [start, valueEnd] = node.range;
    // Quoted scalars: link the path, not the quotes.
    const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
    references.push({ range: lines.rangeOf(quoted ? start + 1 : start, quoted ? valueEnd - 1 : valueEnd), target: path.resolve(path.dirname(file), node.value) });
  };
  for (const item of services.items) {
    if (!isMap(item.value)) continue;
    const envFile = item.value.get('env_file', true) as YamlNode | undefined;
    if (isSeq(envFile)) {
      for (const entry of envFile.items) add(isMap(entry) ? entry.get('path', true) : entry);
    } else {
      add(envFile);
    }
  }
  return references;
}
