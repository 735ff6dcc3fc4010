/**
 * Adding a module to an entry module's `imports`: used by the edit planner (fixTarget "module" creates
 * homelab.nix and imports it) and by "Generate NixOS Module…" ("Add to imports"), so both write the same edit.
 */
import * as path from 'node:path';
import type { FileEdit } from '../edits/model';
import { quoteString } from '../edits/nixExpr';
import type { FileReader } from '../types';
import { loadPlanFile, planOutput, type PlanFile } from './editFiles';
import { appendToList, insertBinding, lineIndentAt } from './editInsert';
import { listItemKey, listItemKeys, listTarget } from './editLists';

/**
 * Adds `written` (a Nix path as it appears in the list, e.g. `./homelab.nix`) to the `imports` of `entry`, creating
 * `imports = [ … ];` as the module's first binding when there is none. Returns an error message, or undefined when
 * the edit was made (or the path was already imported).
 */
export function addImportToPlanFile(entry: PlanFile, written: string): string | undefined {
  const moduleSet = entry.scopes.moduleSet;
  if (!moduleSet) return `Cannot add ${written} to the imports of ${entry.file}: its body is not a plain attribute set; import it by hand`;
  const binding = moduleSet.bindings.find((b) => b.kind === 'binding' && b.attrpath.segments.length === 1 && b.attrpath.segments[0]?.name === 'imports');
  if (binding?.kind === 'binding') {
    const list = binding.value && listTarget(binding.value);
    if (!list) return `Cannot add ${written} to the imports of ${entry.file}: \`imports\` is not a list literal; add it by hand`;
    if (binding.value && listItemKeys(entry.text, binding.value).includes(listItemKey(written))) return undefined;
    return splice(entry, appendToList(entry.text, list.list, [written], entry.eol));
  }
  const first = moduleSet.bindings[0];
  if (first) {
    const indent = lineIndentAt(entry.text, first.start);
    return entry.splice(first.start, first.start, `imports = [ ${written} ];${entry.eol}${indent}`);
  }
  const scope = entry.scopes.all.find((s) => s.set === moduleSet);
  if (!scope) return `Cannot add ${written} to the imports of ${entry.file}`;
  return splice(entry, insertBinding(entry.text, scope, undefined, entry.unit, entry.eol, () => `imports = [ ${written} ];`));
}

export type AddImportPlan = { kind: 'edit'; edit: FileEdit; written: string } | { kind: 'already-imported'; written: string } | { kind: 'error'; message: string };

/**
 * Plans the edit that imports `moduleFile` from the entry module `entryFile` (both absolute). Requires
 * `initNixParser()`. A module already in the list is reported as such; an entry that does not parse, or whose
 * `imports` is not a list literal, is an error to show. Never throws.
 */
export function planAddImport(entryFile: string, moduleFile: string, reader: FileReader): AddImportPlan {
  const written = importPathFor(entryFile, moduleFile);
  const entry = loadPlanFile(entryFile, reader);
  if ('error' in entry) return { kind: 'error', message: entry.error };
  const error = addImportToPlanFile(entry, written);
  if (error) return { kind: 'error', message: error };
  const edit = planOutput([entry]).edits[0];
  return edit ? { kind: 'edit', edit, written } : { kind: 'already-imported', written };
}

/**
 * How an entry module imports a module file: a relative path (`./homelab.nix`, `../modules/homelab.nix`) when it is
 * near the entry, else the absolute path. A path with characters a Nix path literal cannot hold (spaces…) is
 * written as a path plus a string, `(./. + "/my dir/homelab.nix")`, which Nix reads as the same path.
 */
export function importPathFor(entryFile: string | undefined, moduleFile: string): string {
  if (!entryFile) return `./${path.basename(moduleFile)}`;
  const rel = path.relative(path.dirname(entryFile), moduleFile).split(path.sep).join('/');
  const ups = rel.split('/').filter((part) => part === '..').length;
  // Nix strings, not JSON ones: JSON leaves `${` live (a folder named `${…}` would be code) and writes `\u0001`,
  // which Nix reads as `u0001`.
  if (ups > 2) return NIX_PATH_CHARS.test(moduleFile) ? moduleFile : `(/. + ${quoteString(moduleFile)})`;
  if (!NIX_PATH_CHARS.test(rel)) return `(./. + ${quoteString(`/${rel}`)})`;
  return rel.startsWith('../') ? rel : `./${rel}`;
}

/** What a Nix path literal may contain. */
const NIX_PATH_CHARS = /^[A-Za-z0-9._+/-]+$/;

function splice(file: PlanFile, at: { start: number; end: number; text: string }): string | undefined {
  return file.splice(at.start, at.end, at.text);
}
