import type { InputProblem } from '../types';
import { describeNode, scalarChild, child, type ComposeNode, type MapNode, type ScalarNode } from './nodes';
import { baseName } from './paths';

/** One `include` entry: the files (merged in order), and the options Compose accepts for it. */
export interface IncludeEntry {
  paths: ScalarNode[];
  projectDirectory?: ScalarNode;
  envFiles: ScalarNode[];
}

/** The top-level `include` list: `- path.yml` or `- {path: a.yml | [a.yml, b.yml], project_directory, env_file}`. */
export function includeEntries(root: MapNode, problems: InputProblem[]): IncludeEntry[] {
  const node = child(root, 'include');
  if (!node || (node.kind === 'scalar' && node.isNull)) return [];
  const items = node.kind === 'seq' ? node.items : [node];
  const entries: IncludeEntry[] = [];
  for (const item of items) {
    if (item.kind === 'scalar') {
      if (!item.isNull) entries.push({ paths: [item], envFiles: [] });
      continue;
    }
    const paths = scalars(child(item, 'path'));
    if (item.kind !== 'map' || paths.length === 0) {
      problems.push({
        file: item.ctx.file,
        range: item.loc.range,
        message: `${baseName(item.ctx.file)}: an \`include\` entry must be a path or have a \`path\`, found ${describeNode(item)}.`,
      });
      continue;
    }
    const entry: IncludeEntry = { paths, envFiles: scalars(child(item, 'env_file')) };
    const projectDirectory = scalarChild(item, 'project_directory');
    if (projectDirectory) entry.projectDirectory = projectDirectory;
    entries.push(entry);
  }
  return entries;
}

function scalars(node: ComposeNode | undefined): ScalarNode[] {
  if (!node) return [];
  if (node.kind === 'scalar') return node.isNull ? [] : [node];
  if (node.kind !== 'seq') return [];
  return node.items.filter((item): item is ScalarNode => item.kind === 'scalar' && !item.isNull);
}
