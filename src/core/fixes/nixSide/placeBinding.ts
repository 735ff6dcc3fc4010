import type { NixConfiguration, NixDefinition } from '../../nix/model';
import type { NixAttrSetExpression, NixBinding } from '../../nix/syntaxTree';
import { attrPath } from '../../edits/nixExpr';
import { insertAfterEntry, insertIntoSet } from './bindingEdits';
import type { FixDraft, SourceFile } from './fixDraft';
import { attrsetAt, bindingAt, moduleDefinitionsSet } from './syntaxLookup';

/** A definition's binding in its file, and the option path of the attribute set that holds it. */
export interface LocatedBinding {
  source: SourceFile;
  binding: NixBinding;
  set: NixAttrSetExpression;
  /** The path the holding set stands for (`['systemd','services','stacks']` for `after = …;` inside it). */
  container: string[];
}

function isPrefix(prefix: string[], path: string[]): boolean {
  return prefix.length <= path.length && prefix.every((segment, index) => path[index] === segment);
}

function commonPrefixLength(a: string[], b: string[]): number {
  let length = 0;
  while (length < a.length && length < b.length && a[length] === b[length]) length++;
  return length;
}

/** Finds the binding a definition was read from (undefined for `inherit`, computed names, unreadable files). */
export function locateBinding(draft: FixDraft, def: NixDefinition): LocatedBinding | undefined {
  const source = draft.source(def.file);
  if (!source) return undefined;
  const found = bindingAt(source.tree, source.lines.offsetAt(def.loc.range.start));
  if (!found) return undefined;
  const names = found.binding.attrpath.segments.map((segment) => segment.name);
  const written = def.path.slice(def.path.length - names.length);
  if (names.length > def.path.length || names.some((name, index) => name !== written[index])) return undefined;
  return { source, ...found, container: def.path.slice(0, def.path.length - names.length) };
}

/** `a.b = value;` for `target` written inside a set standing for `container`. */
export function bindingText(container: string[], target: string[], valueText: string): string {
  return `${attrPath(target.slice(container.length))} = ${valueText};`;
}

/** Puts `target = value;` on the line after `anchor`'s binding when they share its attribute set. */
export function insertNextTo(draft: FixDraft, anchor: NixDefinition, target: string[], valueText: string): boolean {
  const located = locateBinding(draft, anchor);
  if (!located || !isPrefix(located.container, target)) return false;
  return insertAfterEntry(draft, located.source, located.binding, bindingText(located.container, target, valueText));
}

interface Placement {
  score: number;
  apply: () => boolean;
}

/**
 * Adds the definition `target = value;` where it belongs: inside the deepest existing attribute set on its path
 * (`hardware.nvidia = { … }` gains `open = true;`), else after the sibling binding sharing most of its path, else
 * at the end of the module's definitions in `fallbackFile` (default: the entry module). Conditional (`mkIf`) sets
 * are left alone: the new definition must always apply.
 */
export function insertBinding(draft: FixDraft, nix: NixConfiguration, target: string[], valueText: string, fallbackFile: string = nix.entry): boolean {
  let best: Placement | undefined;
  const consider = (placement: Placement): void => {
    if (!best || placement.score >= best.score) best = placement;
  };
  for (const def of nix.definitions) {
    if (def.conditional) continue;
    const located = locateBinding(draft, def);
    if (!located || !isPrefix(located.container, target)) continue;
    if (def.value.kind === 'attrs' && isPrefix(def.path, target) && def.path.length < target.length) {
      const set = attrsetAt(located.source.tree, located.source.lines.offsetAt(def.valueLoc.range.start));
      // Inside the set beats after a sibling with the same shared path.
      if (set) consider({ score: def.path.length + 0.5, apply: () => insertIntoSet(draft, located.source, set, bindingText(def.path, target, valueText)) });
      continue;
    }
    if (isPrefix(def.path, target)) continue;
    const score = commonPrefixLength(def.path, target);
    if (score >= 1) consider({ score, apply: () => insertAfterEntry(draft, located.source, located.binding, bindingText(located.container, target, valueText)) });
  }
  if (best) return best.apply();
  const source = draft.source(fallbackFile);
  const set = source ? moduleDefinitionsSet(source.tree) : undefined;
  return source !== undefined && set !== undefined && insertIntoSet(draft, source, set, bindingText([], target, valueText));
}
