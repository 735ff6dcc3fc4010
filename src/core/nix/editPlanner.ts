/**
 * The Nix edit planner: turns desired settings (option path + value) into the smallest edits of the user's own
 * modules that make them true, the way a NixOS user would write them by hand.
 *
 * For each setting, in order:
 * - already there (same value; a list that already has the items) → nothing;
 * - defined with another value → that value is replaced in place (`110` → `lib.mkForce 110`);
 * - a list defined as a literal → the missing items are appended to it;
 * - otherwise a binding is inserted into the attribute set that declares the nearest parent, in the file that
 *   declares it (never a generated hardware-configuration.nix; a parent only as generic as `hardware` does not
 *   pull a setting into another file than the entry). In a dotted file the binding goes after the last binding
 *   sharing the longest prefix; inside a nested set with its siblings. Settings that share a parent missing in
 *   that set are written as one nested binding (`fileSystems."/mnt/x" = { device = …; fsType = …; };`).
 * When the parent cannot take a binding (its value is `mkIf …`, a function call, `with`, `let`, or a computed name
 * may clash), the setting goes to another module: the entry, else `homelab.nix` beside it (created and imported).
 * With fixTarget "module", new bindings always go to `homelab.nix`. Finally `lib`/`pkgs` are added to the formals
 * of every module that now mentions them. Every intermediate text is re-parsed: a plan that would not parse is
 * refused, never written.
 */
import * as path from 'node:path';
import type { FileCreation, FileEdit } from '../edits/model';
import { attrPath, renderNix, type NixExpr } from '../edits/nixExpr';
import type { DesiredSetting } from '../edits/setting';
import type { NixConfiguration } from './model';
import type { FileReader } from '../types';
import { loadPlanFile, planOutput, PlanFile } from './editFiles';
import { addImportToPlanFile } from './editImports';
import { appendToList, insertBinding, lineIndentAt } from './editInsert';
import { listItemKey, listTarget, listItemKeys } from './editLists';
import { chooseInsertion, definitionsIn, HOMELAB_MODULE, placeIn, type PlacedDefinition } from './editPlace';
import { isPrefixOf, sharedLength, type AttrScope, type ScopeEntry } from './editScopes';
import { normalizeNixText, withLineEnding } from './editText';
import { ensureModuleArgument } from './moduleArgs';
import { parseNix } from './syntax';

export interface PlanTarget {
  configuration: NixConfiguration;
  reader: FileReader;
  fixTarget: 'entry' | 'module';
}

export type PlanResult = { edits: FileEdit[]; creates: FileCreation[] } | { error: string };

/** Plans the edits that make every setting true. Requires `initNixParser()`; never throws on bad input. */
export function planSettings(settings: DesiredSetting[], target: PlanTarget): PlanResult {
  const planner = new Planner(target);
  const loaded = planner.load();
  if (loaded) return { error: loaded };
  const error = planner.plan(settings);
  if (error) return { error };
  return planOutput(planner.files.values());
}

type Definition = PlacedDefinition<PlanFile>;

type Resolution =
  | { kind: 'satisfied' }
  | { kind: 'replace'; file: PlanFile; entry: ScopeEntry }
  | { kind: 'append'; file: PlanFile; items: NixExpr[]; definition: Definition }
  | { kind: 'insert'; file: PlanFile; scope: AttrScope; after: ScopeEntry | undefined; shared: number; value: NixExpr }
  | { kind: 'error'; message: string };

class Planner {
  readonly files = new Map<string, PlanFile>();
  private readonly order: string[] = [];
  private readonly needs = { lib: new Set<PlanFile>(), pkgs: new Set<PlanFile>() };
  private spotTaken = false;

  constructor(private readonly target: PlanTarget) {}

  load(): string | undefined {
    for (const file of this.target.configuration.files) {
      const loaded = loadPlanFile(file, this.target.reader);
      if ('error' in loaded) return loaded.error;
      this.add(loaded);
    }
    return this.files.size === 0 ? `Cannot read the NixOS configuration ${this.target.configuration.entry}` : undefined;
  }

  private add(file: PlanFile): void {
    this.files.set(file.file, file);
    this.order.push(file.file);
  }

  /** The files in the order NixOS reads them (the entry first), homelab.nix last once the plan adds it. */
  private get ordered(): PlanFile[] {
    return this.order.map((name) => this.files.get(name) as PlanFile);
  }

  private get entry(): PlanFile {
    return this.files.get(this.order[0] as string) as PlanFile;
  }

  plan(settings: DesiredSetting[]): string | undefined {
    const pending = [...settings];
    while (pending.length > 0) {
      const setting = pending.shift() as DesiredSetting;
      const resolution = this.resolve(setting);
      let error: string | undefined;
      switch (resolution.kind) {
        case 'satisfied': continue;
        case 'error': return resolution.message;
        case 'replace': error = this.replace(resolution.file, resolution.entry, setting.value); break;
        case 'append': error = this.append(resolution.file, resolution.definition, resolution.items); break;
        case 'insert': {
          const group = [{ setting, value: resolution.value }, ...this.companions(setting, resolution, pending)];
          error = this.insert(resolution, group);
          for (const member of group) this.noteNeeds(member.setting, resolution.file);
          continue;
        }
      }
      if (error) return error;
      this.noteNeeds(setting, resolution.file);
    }
    return this.ensureArguments();
  }

  /**
   * Remembers where the first setting is written (FileEdit.spot). Only an offset of the original text can be
   * reported, so a file already edited (or created) by the plan gives no spot.
   */
  private markSpot(file: PlanFile, offset: number): void {
    if (this.spotTaken) return;
    this.spotTaken = true;
    if (!file.created && !file.draft.changed) file.spot = offset;
  }

  private noteNeeds(setting: DesiredSetting, file: PlanFile): void {
    if (setting.needsLib) this.needs.lib.add(file);
    if (setting.needsPkgs) this.needs.pkgs.add(file);
  }

  private resolve(setting: DesiredSetting): Resolution {
    const definitions = definitionsIn(this.ordered, setting.path);
    if (definitions.length === 0) return this.insertion(setting.path, setting.value);
    const first = definitions[0] as Definition;
    if (setting.mode === 'set') {
      const wanted = normalizeNixText(renderNix(setting.value, '', first.file.unit));
      const same = definitions.some(({ file, entry }) => entry.value && normalizeNixText(file.text.slice(entry.value.start, entry.value.end)) === wanted);
      return same ? { kind: 'satisfied' } : { kind: 'replace', file: first.file, entry: first.entry };
    }
    const items = setting.value.kind === 'list' ? setting.value.items : [setting.value];
    const present = new Set(definitions.flatMap(({ file, entry }) => (entry.value ? listItemKeys(file.text, entry.value) : [])));
    const missing = items.filter((item) => !present.has(listItemKey(renderNix(item, '', '  '))));
    if (missing.length === 0) return { kind: 'satisfied' };
    // A dedicated module keeps the user's own files untouched: NixOS concatenates list definitions across modules.
    const editable = definitions.filter((definition) => listTarget(definition.entry.value) && (this.target.fixTarget === 'entry' || definition.file.file === this.homelabPath()));
    const chosen = editable[0];
    if (chosen) return { kind: 'append', file: chosen.file, items: missing, definition: chosen };
    return this.insertion(setting.path, { kind: 'list', items: missing }, true);
  }

  private homelabPath(): string {
    return path.join(path.dirname(this.entry.file), HOMELAB_MODULE);
  }

  /** Where a new binding for `optionPath` goes (see the file comment and editPlace.ts for the order of preference). */
  private insertion(optionPath: string[], value: NixExpr, forceModule = false): Resolution {
    const place = this.target.fixTarget === 'module' || forceModule ? undefined : chooseInsertion(this.ordered, optionPath);
    return place ? { kind: 'insert', ...place, value } : this.inHomelab(optionPath, value);
  }

  private inHomelab(optionPath: string[], value: NixExpr): Resolution {
    const homelab = this.homelab();
    if ('error' in homelab) return { kind: 'error', message: homelab.error };
    const place = placeIn(homelab, optionPath);
    return place ? { kind: 'insert', ...place, value } : { kind: 'error', message: `Cannot add \`${attrPath(optionPath)}\` to ${homelab.file}: an existing definition there cannot be merged into; add it by hand` };
  }

  /** homelab.nix beside the entry: loaded when it exists, created otherwise, and imported by the entry. */
  private homelab(): PlanFile | { error: string } {
    const file = this.homelabPath();
    const existing = this.files.get(file);
    if (existing) return existing;
    let planFile: PlanFile;
    if (this.target.reader.exists(file)) {
      const loaded = loadPlanFile(file, this.target.reader);
      if ('error' in loaded) return loaded;
      planFile = loaded;
    } else {
      const eol = this.entry.eol;
      const text = withLineEnding(`# Settings for the Docker Compose homelab, added by nixos-homelab quick fixes.\n{ config, lib, pkgs, ... }:\n\n{\n}\n`, eol);
      planFile = new PlanFile(file, text, parseNix(text), true, { eol, unit: this.entry.unit });
    }
    const imported = this.importInEntry(`./${HOMELAB_MODULE}`);
    if (imported) return { error: imported };
    this.add(planFile);
    return planFile;
  }

  /** Adds a path to the entry's `imports` (creating `imports = [ … ];` when there is none). */
  private importInEntry(written: string): string | undefined {
    return addImportToPlanFile(this.entry, written);
  }

  /** Pending settings that join `first` in one nested binding: same set, same neighbour, one more shared segment (two at least). */
  private companions(first: DesiredSetting, at: Extract<Resolution, { kind: 'insert' }>, pending: DesiredSetting[]): { setting: DesiredSetting; value: NixExpr }[] {
    const group: { setting: DesiredSetting; value: NixExpr }[] = [];
    const paths = [first.path];
    // Grouping by a bare namespace (`hardware = { … }`) reads oddly; NixOS modules group from two segments down.
    const needed = Math.max(at.shared + 1, 2);
    for (let index = 0; index < pending.length; index++) {
      const candidate = pending[index] as DesiredSetting;
      if (sharedLength(candidate.path, first.path) < needed) continue;
      if (paths.some((p) => isPrefixOf(p, candidate.path) || isPrefixOf(candidate.path, p))) continue;
      const resolution = this.resolve(candidate);
      if (resolution.kind !== 'insert' || resolution.file !== at.file || resolution.scope.set.start !== at.scope.set.start || resolution.shared !== at.shared) continue;
      group.push({ setting: candidate, value: resolution.value });
      paths.push(candidate.path);
      pending.splice(index, 1);
      index--;
    }
    return group;
  }

  private insert(at: Extract<Resolution, { kind: 'insert' }>, group: { setting: DesiredSetting; value: NixExpr }[]): string | undefined {
    const { file, scope } = at;
    const base = scope.prefix.length;
    const relative = group.map(({ setting, value }) => ({ path: setting.path.slice(base), value }));
    const common = relative.length === 1 ? (relative[0]?.path ?? []) : commonPrefix(relative.map((r) => r.path));
    const value = relative.length === 1 ? (relative[0] as { value: NixExpr }).value : nestedValue(relative.map((r) => ({ path: r.path.slice(common.length), value: r.value })));
    const render = (indent: string, unit: string): string => withLineEnding(`${attrPath(common)} = ${renderNix(value, indent, unit)};`, file.eol);
    const splice = insertBinding(file.text, scope, at.after, file.unit, file.eol, render);
    this.markSpot(file, splice.start);
    return file.splice(...spliceArgs(splice));
  }

  private replace(file: PlanFile, entry: ScopeEntry, value: NixExpr): string | undefined {
    const written = entry.entry.kind === 'binding' ? entry.entry.value : undefined;
    if (!written) return `\`${entry.path.join('.')}\` in ${file.file} is set by \`inherit\`: change it by hand to ${renderNix(value, '', file.unit)}`;
    const indent = lineIndentAt(file.text, entry.entry.start);
    this.markSpot(file, written.start);
    return file.splice(written.start, written.end, withLineEnding(renderNix(value, indent, file.unit), file.eol));
  }

  private append(file: PlanFile, definition: Definition, items: NixExpr[]): string | undefined {
    const target = definition.entry.value && listTarget(definition.entry.value);
    if (!target) return `Cannot append to the list at ${file.file}`;
    const indent = lineIndentAt(file.text, target.list.start);
    const rendered = items.map((item) => {
      const text = renderNix(item, indent, file.unit);
      // Inside `with pkgs; [ … ]` the list names packages bare, as the user does.
      return target.withPkgs && /^pkgs\.[A-Za-z_][\w'-]*$/.test(text) ? text.slice('pkgs.'.length) : text;
    });
    const splice = appendToList(file.text, target.list, rendered, file.eol);
    this.markSpot(file, splice.start);
    return file.splice(...spliceArgs(splice));
  }

  /** Adds `lib`/`pkgs` to the formals of modules that now use them (no-op when already bound). */
  private ensureArguments(): string | undefined {
    for (const name of ['lib', 'pkgs'] as const) {
      for (const file of this.needs[name]) {
        const edit = ensureModuleArgument(file.text, file.tree, name);
        if (!edit) continue;
        file.draft.applyTextEdit({ range: edit.range, newText: withLineEnding(edit.newText, file.eol) });
        const error = file.reparse();
        if (error) return error;
      }
    }
    return undefined;
  }
}

function spliceArgs(splice: { start: number; end: number; text: string }): [number, number, string] {
  return [splice.start, splice.end, splice.text];
}

function commonPrefix(paths: string[][]): string[] {
  const [first, ...rest] = paths;
  if (!first) return [];
  let length = first.length;
  for (const other of rest) length = Math.min(length, sharedLength(first, other));
  return first.slice(0, length);
}

interface TrieNode {
  value?: NixExpr;
  children: Map<string, TrieNode>;
}

/** Settings below a common parent as one attribute set, single-child chains written dotted (`daemon.settings = { … }`). */
function nestedValue(entries: { path: string[]; value: NixExpr }[]): NixExpr {
  const root: TrieNode = { children: new Map() };
  for (const { path: entryPath, value } of entries) {
    let node = root;
    for (const segment of entryPath) {
      let next = node.children.get(segment);
      if (!next) {
        next = { children: new Map() };
        node.children.set(segment, next);
      }
      node = next;
    }
    node.value = value;
  }
  const toExpr = (node: TrieNode): NixExpr => {
    if (node.value) return node.value;
    const attrs: [string[], NixExpr][] = [];
    for (const [segment, child] of node.children) {
      const key = [segment];
      let current = child;
      while (!current.value && current.children.size === 1) {
        const [nextSegment, nextChild] = [...current.children][0] as [string, TrieNode];
        key.push(nextSegment);
        current = nextChild;
      }
      attrs.push([key, toExpr(current)]);
    }
    return { kind: 'attrs', entries: attrs };
  };
  return toExpr(root);
}
