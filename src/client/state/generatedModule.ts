/**
 * Whether an entry module already imports a generated module, from the entry's text. Free of `vscode` (unit-tested).
 * A cheap text check (the server's `addImport` plans the real edit and says "already imported" itself); it only
 * decides whether "Add to imports" is offered in the status menu and the report, so a false "not imported" costs an
 * offer whose click then says the module is already imported.
 */
import * as path from 'node:path';

/** The first line of every module `nixos-homelab generate` (and the editor's Generate) writes contains this. */
export const GENERATED_MARKER = 'written by `nixos-homelab generate`';

/** True when `text` is a module written by the generator (its header says so). */
export function isGeneratedModuleText(text: string): boolean {
  return text.slice(0, 400).includes(GENERATED_MARKER);
}

/**
 * True when the `imports` list of `entryText` names `moduleFile` (relative to `entryFile`, as `./homelab.nix` or
 * `../modules/homelab.nix`, or absolute). Comments are ignored.
 */
export function entryImportsModule(entryFile: string, entryText: string, moduleFile: string): boolean {
  const withoutComments = entryText.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/#[^\n]*/g, ' ');
  const relative = path.relative(path.dirname(entryFile), moduleFile).split(path.sep).join('/');
  const written = new Set([relative.startsWith('../') ? relative : `./${relative}`, moduleFile]);
  for (const list of withoutComments.matchAll(/\bimports\s*=\s*\[([^\]]*)\]/g)) {
    const items = (list[1] ?? '').split(/\s+/).filter(Boolean).map((item) => item.replace(/^\.\/\.\//, './'));
    if (items.some((item) => written.has(item))) return true;
    // `(./. + "/my dir/homelab.nix")`: the form the planner writes for paths a Nix literal cannot hold.
    if ((list[1] ?? '').includes(`"/${relative}"`)) return true;
  }
  return false;
}
