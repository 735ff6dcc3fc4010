import type { NixConfiguration } from '../../nix/model';
import type { NixAttrName } from '../../nix/syntaxTree';
import type { Finding, FileReader } from '../../types';
import type { CodeFix } from '../model';
import { removeEntry } from './bindingEdits';
import { FixDraft } from './fixDraft';
import { definitionOfFinding } from './findingDefinition';
import { locateBinding, type LocatedBinding } from './placeBinding';

/** Renames the segment of a binding's attribute path that stands for `path[index]`. */
function renameSegment(draft: FixDraft, located: LocatedBinding, index: number, newName: string): boolean {
  const segment: NixAttrName | undefined = located.binding.attrpath.segments[index - located.container.length];
  if (!segment) return true; // the segment is written by an enclosing binding, renamed there
  return draft.replace(located.source.file, segment.start, segment.end, newName);
}

/**
 * opengl-renamed: in the binding that names `opengl`, `opengl` → `graphics`, `driSupport` bindings removed,
 * `driSupport32Bit` → `enable32Bit` (the dotted and the nested forms alike).
 */
export function openglFixes(finding: Finding, nix: NixConfiguration, reader: FileReader): CodeFix[] {
  const def = definitionOfFinding(finding, nix);
  if (!def) return [];
  const draft = new FixDraft(reader, nix);
  const outer = locateBinding(draft, def);
  if (!outer) return [];
  const { start, end } = outer.binding;
  const inside = nix.definitionsUnder(['hardware', 'opengl']).filter((other) => other.file === def.file);
  let ok = true;
  const removesItself = def.path.length === 3 && def.path[2] === 'driSupport';
  if (!removesItself) ok = renameSegment(draft, outer, 1, 'graphics') && ok;
  for (const other of inside) {
    if (other.path.length !== 3) continue;
    const located = other === def ? outer : locateBinding(draft, other);
    if (!located || located.binding.start < start || located.binding.end > end) continue;
    if (other.path[2] === 'driSupport') ok = removeEntry(draft, located.source, located.binding) && ok;
    else if (other.path[2] === 'driSupport32Bit') ok = renameSegment(draft, located, 2, 'enable32Bit') && ok;
  }
  const fix = ok ? draft.toFix('Rename hardware.opengl to hardware.graphics (NixOS 24.11)', finding.code, true) : undefined;
  return fix ? [fix] : [];
}
