/**
 * Where a finding about a missing setting points its related information: the place the setting's quick fix
 * writes, chosen by the planner's own rules (editPlace.ts) — the definition it changes, else
 * the line of the binding the new one goes after (a `virtualisation.docker.*` binding, the `users.users.palav =
 * { … };` it joins, the last binding above `system.stateVersion`), else the `{` of the empty set it goes into —
 * instead of the entry module's first line. When the setting moves to another module (`virtualisation.docker` set
 * in homelab.nix), so does the spot; with fixTarget "module" new settings go to homelab.nix, and so does the spot
 * (or, before homelab.nix exists, to the entry's `imports`, which the fix extends).
 *
 * Read from the syntax trees the configuration was loaded from, once per configuration and option path: the rules
 * ask for a handful of paths, nothing is planned, and the scopes of an unchanged file are read once (per tree).
 */
import * as path from 'node:path';
import { LineIndex, type SourceLocation } from '../text';
import { chooseInsertion, definitionsIn, HOMELAB_MODULE, isGeneratedModule, placeIn, type PlaceFile } from './editPlace';
import { defaultAnchor } from './editInsert';
import { readModuleScopes, type ModuleScopes } from './editScopes';
import type { NixConfiguration } from './model';
import { isNixParserReady, parseNix } from './syntax';
import type { NixSyntaxTree } from './syntaxTree';

class SpotFile implements PlaceFile {
  private index: LineIndex | undefined;

  constructor(
    readonly file: string,
    readonly text: string,
    readonly scopes: ModuleScopes,
    readonly generated: boolean,
  ) {}

  /** The range of `[start, end)`. */
  range(start: number, end: number): SourceLocation {
    return { file: this.file, range: this.lines.rangeOf(start, end) };
  }

  /** The last line of `[start, end)` from its first non-blank character: `};` of a nested set, or a whole one-line binding. */
  lastLine(start: number, end: number): SourceLocation {
    const { line } = this.lines.positionAt(end);
    let from = Math.max(start, this.lines.offsetAt({ line, character: 0 }));
    while (from < end && (this.text[from] === ' ' || this.text[from] === '\t')) from++;
    return this.range(from, end);
  }

  private get lines(): LineIndex {
    return (this.index ??= new LineIndex(this.text));
  }
}

interface Spots {
  files: SpotFile[];
  byPath: Map<string, SourceLocation | undefined>;
}

/** Per configuration: a configuration never changes once built, and its findings ask for the same few paths. */
const spotsOf = new WeakMap<NixConfiguration, Spots>();
/** Per tree: the language server keeps the tree of an unchanged file, so a Nix edit re-reads the edited file only. */
const scopesOf = new WeakMap<NixSyntaxTree, ModuleScopes>();

/**
 * Where the fix of a missing `optionPath` writes, in the files as they are: the location to show with "… is missing
 * here". Undefined without a configuration or when none of its files can be read.
 */
export function settingSpot(nix: NixConfiguration | undefined, optionPath: readonly string[], fixTarget: 'entry' | 'module' = 'entry'): SourceLocation | undefined {
  if (!nix) return undefined;
  let spots = spotsOf.get(nix);
  if (!spots) {
    spots = { files: spotFiles(nix), byPath: new Map() };
    spotsOf.set(nix, spots);
  }
  const key = `${fixTarget}\u0000${optionPath.join('\u0000')}`;
  if (spots.byPath.has(key)) return spots.byPath.get(key);
  const spot = spotIn(spots.files, optionPath, fixTarget);
  spots.byPath.set(key, spot);
  return spot;
}

function spotFiles(nix: NixConfiguration): SpotFile[] {
  const files: SpotFile[] = [];
  for (const file of nix.files) {
    const text = nix.sourceText?.(file);
    if (text === undefined) continue;
    const tree = nix.syntaxTree?.(file) ?? (isNixParserReady() ? parseNix(text) : undefined);
    if (!tree) continue;
    let scopes = scopesOf.get(tree);
    if (!scopes) {
      scopes = readModuleScopes(tree);
      scopesOf.set(tree, scopes);
    }
    files.push(new SpotFile(file, text, scopes, isGeneratedModule(file, text)));
  }
  return files;
}

/** The planner's choice (editPlanner.ts `resolve`/`insertion`), as a location instead of an edit. */
function spotIn(files: SpotFile[], optionPath: readonly string[], fixTarget: 'entry' | 'module'): SourceLocation | undefined {
  // Defined already with another value: the fix changes that definition (or appends to that list).
  const [definition] = definitionsIn(files, optionPath);
  if (definition) return definition.file.range(definition.entry.entry.start, definition.entry.entry.end);
  const entry = files[0];
  if (!entry) return undefined;
  // No user module can take it: the planner writes homelab.nix beside the entry, imported by the entry.
  const homelab = files.find((file) => file.file === path.join(path.dirname(entry.file), HOMELAB_MODULE));
  const place = (fixTarget === 'entry' ? chooseInsertion(files, optionPath) : undefined) ?? placeIn(homelab, optionPath);
  if (!place) {
    const imports = entry.scopes.root?.entries.find((candidate) => candidate.path.length === 1 && candidate.path[0] === 'imports');
    // The whole binding: the new element goes onto the end of the list, on whichever line that is.
    return imports ? entry.range(imports.entry.start, imports.entry.end) : entry.range(0, 0);
  }
  const anchor = place.after ?? defaultAnchor(place.scope);
  if (anchor) return place.file.lastLine(anchor.entry.start, anchor.entry.end);
  return place.file.range(place.scope.set.open.start, place.scope.set.open.end);
}
