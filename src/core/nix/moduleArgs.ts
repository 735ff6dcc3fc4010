/**
 * Makes a module's function bind `lib` (or `pkgs`) so that a fix may write `lib.mkForce …` or `pkgs.…`.
 *
 * NixOS passes every module `config`, `lib`, `pkgs`, `options`, … by name, so a module binds one by listing it in
 * its formals. `with lib;` does not bind the name `lib` itself, and `args@{ … }` binds `args`, not `lib`: both
 * still need the formal. A `let lib = …; in` at the top of the body does bind it.
 */
import { parseNix } from './syntax';
import type { NixBindingEntry, NixExpression, NixFormals, NixSyntaxTree } from './syntaxTree';
import { LineIndex } from '../text';
import type { TextEdit } from '../edits/model';

/** Module arguments a fix may need. */
export type ModuleArgumentName = 'lib' | 'pkgs';

/**
 * The edit that makes the module in `fileText` bind `name`, or undefined when it already does (or the file has no
 * expression to edit). Keeps the file's style: `{ config, pkgs, ... }:` → `{ config, lib, pkgs, ... }:` (sorted
 * position, same separators, one per line or comma-first alike); a bare attribute set gains `{ lib, ... }:` on a
 * line of its own; a plain `args:` parameter becomes `args@{ lib, ... }:`.
 * `tree` is the parse of `fileText` when the caller has one (requires `initNixParser()` otherwise).
 */
export function ensureModuleArgument(fileText: string, tree: NixSyntaxTree | undefined, name: ModuleArgumentName): TextEdit | undefined {
  const root = (tree ?? parseNix(fileText)).root;
  if (!root) return undefined;
  const lines = new LineIndex(fileText);
  const edit = (start: number, end: number, newText: string): TextEdit => ({ range: lines.rangeOf(start, end), newText });

  let module = unparenthesize(root);
  // `{ inputs, ... }: { config, pkgs, ... }: { … }`: a function returning the module; the innermost one is the module.
  for (let depth = 0; module.kind === 'function' && module.body && depth < 4; depth++) {
    const body = unparenthesize(module.body);
    if (body.kind !== 'function') break;
    module = body;
  }
  if (module.kind !== 'function') {
    if (letBinds(module, name)) return undefined;
    // A bare module (`{ … }`, `let … in { … }`): make it a function of the argument it needs.
    return edit(root.start, root.start, `{ ${name}, ... }:\n`);
  }
  if (module.formals) {
    if (module.formals.formals.some((formal) => formal.name === name)) return undefined;
    if (module.body && letBinds(unparenthesize(module.body), name)) return undefined;
    return addFormal(module.formals, name, fileText, edit);
  }
  if (module.body && letBinds(unparenthesize(module.body), name)) return undefined;
  if (module.parameter) {
    // `args: …` → `args@{ lib, ... }: …`: the body keeps `args`, and now also has `lib`.
    return edit(module.parameter.end, module.parameter.end, `@{ ${name}, ... }`);
  }
  return undefined;
}

/** Inserts `name` among the formals in sorted position, copying the separator the file already uses. */
function addFormal(formals: NixFormals, name: string, text: string, edit: (start: number, end: number, newText: string) => TextEdit): TextEdit {
  const elements = [...formals.formals.map((formal) => ({ start: formal.start, end: formal.end, name: formal.name as string | undefined }))];
  if (formals.ellipsis) elements.push({ start: formals.ellipsis.start, end: formals.ellipsis.end, name: undefined });
  elements.sort((a, b) => a.start - b.start);
  if (elements.length === 0) {
    // `{ }:` or `{}:`
    const close = formals.close?.start ?? formals.open.end;
    return edit(formals.open.end, close, ` ${name} `);
  }
  const separatorAfter = (index: number): string | undefined => {
    const current = elements[index];
    const next = elements[index + 1];
    return current && next ? text.slice(current.end, next.start) : undefined;
  };
  // The separator style: the first one between two elements, `, ` when there is only one element.
  const separator = separatorAfter(0) ?? ', ';
  const beforeIndex = elements.findIndex((element) => element.name === undefined || element.name.localeCompare(name) > 0);
  if (beforeIndex >= 0) {
    const before = elements[beforeIndex] as { start: number };
    const ownSeparator = beforeIndex > 0 ? separatorAfter(beforeIndex - 1) ?? separator : separator;
    return edit(before.start, before.start, `${name}${ownSeparator}`);
  }
  const last = elements[elements.length - 1] as { end: number };
  const ownSeparator = separatorAfter(elements.length - 2) ?? separator;
  return edit(last.end, last.end, `${ownSeparator}${name}`);
}

/** True when `expression` is a `let` (possibly under `with`) that binds `name`. */
function letBinds(expression: NixExpression, name: string): boolean {
  let current: NixExpression | undefined = expression;
  for (let depth = 0; current && depth < 8; depth++) {
    if (current.kind === 'let') {
      if (bindsName(current.bindings, name)) return true;
      current = current.body ? unparenthesize(current.body) : undefined;
    } else if (current.kind === 'with' || current.kind === 'assert') {
      current = current.body ? unparenthesize(current.body) : undefined;
    } else {
      return false;
    }
  }
  return false;
}

function bindsName(bindings: NixBindingEntry[], name: string): boolean {
  return bindings.some((entry) =>
    entry.kind === 'binding'
      ? entry.attrpath.segments.length === 1 && entry.attrpath.segments[0]?.name === name
      : entry.attrs.some((attr) => attr.name === name),
  );
}

function unparenthesize(expression: NixExpression): NixExpression {
  let current = expression;
  while (current.kind === 'parenthesized' && current.expression) current = current.expression;
  return current;
}
