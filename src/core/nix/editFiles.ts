/**
 * The files an edit plan works on: each with its draft text, its current parse and scopes, and its style. A file
 * that does not parse is refused here, before anything is planned, so a fix never writes into a broken file.
 */
import * as path from 'node:path';
import type { FileCreation, FileEdit } from '../edits/model';
import type { FileReader } from '../types';
import { isGeneratedModule } from './editPlace';
import { readModuleScopes, type ModuleScopes } from './editScopes';
import { detectIndentUnit, detectLineEnding, TextDraft } from './editText';
import { applyEdits } from '../edits/applyEdits';
import type { TextEdit } from '../edits/model';
import { LineIndex } from '../text';
import { parseNix } from './syntax';
import type { NixSyntaxTree } from './syntaxTree';

export class PlanFile {
  readonly draft: TextDraft;
  readonly eol: string;
  readonly unit: string;
  tree: NixSyntaxTree;
  scopes: ModuleScopes;
  /** Where the plan's first setting is written, as an offset into the original text (see FileEdit.spot). */
  spot: number | undefined;

  constructor(
    readonly file: string,
    text: string,
    tree: NixSyntaxTree,
    /** Created by the plan (homelab.nix): reported as a creation, not as edits. */
    readonly created: boolean,
    style?: { eol: string; unit: string },
  ) {
    this.draft = new TextDraft(text);
    this.tree = tree;
    this.scopes = readModuleScopes(tree);
    this.eol = style?.eol ?? detectLineEnding(text);
    this.unit = style?.unit ?? detectIndentUnit(text);
  }

  get text(): string {
    return this.draft.text;
  }

  /** Never a place for new settings (editPlace.ts). */
  get generated(): boolean {
    return isGeneratedModule(this.file, this.draft.original);
  }

  /** Replaces a stretch of the current text and re-reads the file; a result that does not parse is an internal error. */
  splice(start: number, end: number, text: string): string | undefined {
    this.draft.replace(start, end, text);
    return this.reparse();
  }

  reparse(): string | undefined {
    this.tree = parseNix(this.draft.text);
    this.scopes = readModuleScopes(this.tree);
    const error = this.tree.errors[0];
    if (!error) return undefined;
    const position = new LineIndex(this.draft.text).positionAt(error.start);
    return `internal error: the planned edit of ${this.file} would not parse (line ${position.line + 1}: ${error.message}); nothing was changed`;
  }
}

/** Loads one file of the configuration; a file with syntax errors is refused with where the first error is. */
export function loadPlanFile(file: string, reader: FileReader): PlanFile | { error: string } {
  const text = reader.readText(file);
  if (text === undefined) return { error: `Cannot read ${file}: quick fixes need every file of the NixOS configuration` };
  const tree = parseNix(text);
  const first = tree.errors[0];
  if (first) {
    const position = new LineIndex(text).positionAt(first.start);
    return { error: `${file} has a Nix syntax error at line ${position.line + 1}, column ${position.character + 1} (${first.message}): fix it before applying quick fixes; nothing was changed` };
  }
  return new PlanFile(file, text, tree, false);
}

/** The edits and creations a set of plan files amounts to. */
export function planOutput(files: Iterable<PlanFile>): { edits: FileEdit[]; creates: FileCreation[] } {
  const edits: FileEdit[] = [];
  const creates: FileCreation[] = [];
  for (const file of files) {
    if (file.created) creates.push({ file: file.file, text: file.text });
    else if (file.draft.changed) {
      const edit: FileEdit = { file: file.file, baseText: file.draft.original, edits: checkedEdits(file) };
      if (file.spot !== undefined) edit.spot = new LineIndex(file.draft.original).positionAt(file.spot);
      edits.push(edit);
    }
  }
  return { edits, creates };
}

/**
 * The draft's edits, verified to reproduce the draft; should composing them ever go wrong, one edit spanning the
 * changed stretch is returned instead (correct, merely less minimal).
 */
function checkedEdits(file: PlanFile): TextEdit[] {
  const { original, text } = file.draft;
  const edits = file.draft.edits();
  if (applyEdits(original, edits) === text) return edits;
  let prefix = 0;
  while (prefix < original.length && prefix < text.length && original[prefix] === text[prefix]) prefix++;
  let suffix = 0;
  while (suffix < original.length - prefix && suffix < text.length - prefix && original[original.length - 1 - suffix] === text[text.length - 1 - suffix]) suffix++;
  const lines = new LineIndex(original);
  return [{ range: lines.rangeOf(prefix, original.length - suffix), newText: text.slice(prefix, text.length - suffix) }];
}
