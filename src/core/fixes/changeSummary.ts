/**
 * One line per changed file saying what a batch of fixes did, in NixOS terms for modules
 * (`+users.users.palav.uid, +users.groups.render.gid (mkForce 110), users.users.palav.extraGroups += "render"`)
 * and as the new lines for other files (compose YAML).
 */
import { parseNix, readModule } from '../nix';
import type { NixDefinition } from '../nix/model';
import { attrPath } from '../edits/nixExpr';
import { moduleAttrSet } from '../nix/editScopes';
import type { NixExpression } from '../nix/syntaxTree';
import { LineIndex, type Position } from '../text';

/** What changed between two texts of one file, as short items (empty when nothing readable changed). */
export function describeChange(file: string, before: string | undefined, after: string): string[] {
  if (file.endsWith('.nix')) return describeNixChange(file, before ?? '', after);
  return describeLineChange(before ?? '', after);
}

function describeNixChange(file: string, before: string, after: string): string[] {
  const old = readDefinitions(file, before);
  const now = readDefinitions(file, after);
  const items: string[] = [];
  const added = formalsOf(after).filter((name) => !formalsOf(before).includes(name));
  if (added.length) items.push(`+${added.join(', +')} (module argument${added.length > 1 ? 's' : ''})`);
  for (const target of now.imports) if (!old.imports.includes(target)) items.push(`+imports ${target}`);
  for (const [key, definition] of now.leaves) {
    const previous = old.leaves.get(key);
    const text = after.slice(offsetOf(after, definition.exprLoc.range.start), offsetOf(after, definition.exprLoc.range.end));
    const name = attrPath(definition.path);
    if (!previous) {
      items.push(definition.priority === 'force' ? `+${name} (${text.replace(/^lib\./, '')})` : `+${name}`);
      continue;
    }
    const oldText = before.slice(offsetOf(before, previous.exprLoc.range.start), offsetOf(before, previous.exprLoc.range.end));
    if (oldText === text) continue;
    if (definition.value.kind === 'list' && previous.value.kind === 'list') {
      const oldItems = new Set(previous.value.items.map(itemText));
      const newItems = definition.value.items.map(itemText).filter((item) => !oldItems.has(item));
      if (newItems.length) {
        items.push(`${name} += ${newItems.join(' ')}`);
        continue;
      }
    }
    items.push(`${name} = ${text.replace(/\s+/g, ' ')}`);
  }
  return items;
}

function itemText(value: NixDefinition['value']): string {
  switch (value.kind) {
    case 'string': return JSON.stringify(value.value);
    case 'int': case 'float': return String(value.value);
    case 'bool': return String(value.value);
    case 'path': return value.value;
    case 'unknown': return value.text;
    default: return value.kind;
  }
}

function readDefinitions(file: string, text: string): { leaves: Map<string, NixDefinition>; imports: string[] } {
  const contents = readModule(parseNix(text), file);
  const leaves = new Map<string, NixDefinition>();
  for (const definition of contents.definitions) {
    // Sets are containers; their leaves say what changed. The first definition of a path stands for it.
    if (definition.value.kind === 'attrs' || (definition.path.length === 1 && definition.path[0] === 'imports')) continue;
    const key = definition.path.join('\u0000');
    if (!leaves.has(key)) leaves.set(key, definition);
  }
  return { leaves, imports: contents.imports.map((reference) => reference.written) };
}

function formalsOf(text: string): string[] {
  const tree = parseNix(text);
  let root: NixExpression | undefined = tree.root;
  while (root?.kind === 'parenthesized') root = root.expression;
  if (root?.kind !== 'function' || !moduleAttrSet(tree)) return [];
  return root.formals?.formals.map((formal) => formal.name) ?? [];
}

function offsetOf(text: string, position: Position): number {
  return new LineIndex(text).offsetAt(position);
}

/** The lines `after` has that `before` does not (each line counted as often as it occurs), trimmed. */
function describeLineChange(before: string, after: string): string[] {
  const remaining = new Map<string, number>();
  for (const line of before.split(/\r?\n/)) remaining.set(line, (remaining.get(line) ?? 0) + 1);
  const items: string[] = [];
  for (const line of after.split(/\r?\n/)) {
    const count = remaining.get(line) ?? 0;
    if (count > 0) remaining.set(line, count - 1);
    else if (line.trim()) items.push(line.trim());
  }
  return items;
}
