import { parseNix } from '../../nix/syntax';
import type { NixSyntaxTree } from '../../nix/syntaxTree';
import type { NixConfiguration } from '../../nix/model';
import { LineIndex } from '../../text';
import type { FileReader } from '../../types';
import type { FileEdit, TextEdit } from '../../edits/model';
import type { CodeFix } from '../model';

/** One file a fix edits: its text (the fix's base), line index and syntax tree. */
export interface SourceFile {
  file: string;
  text: string;
  lines: LineIndex;
  tree: NixSyntaxTree;
}

/**
 * Collects the text edits of one quick fix across files, each computed against the text the model was read from.
 * A file whose current text differs from that text (edited since the analysis) is refused: its offsets are stale.
 */
export class FixDraft {
  private readonly sources = new Map<string, SourceFile | null>();
  private readonly edits = new Map<string, { start: number; end: number; newText: string }[]>();

  constructor(
    private readonly reader: FileReader,
    private readonly nix: NixConfiguration,
  ) {}

  /** The file as the model saw it, parsed; undefined when unreadable or changed since the analysis. */
  source(file: string): SourceFile | undefined {
    const cached = this.sources.get(file);
    if (cached !== undefined) return cached ?? undefined;
    const text = this.reader.readText(file);
    const modelText = this.nix.sourceText?.(file);
    const usable = text !== undefined && (modelText === undefined || modelText === text);
    const source = usable ? { file, text, lines: new LineIndex(text), tree: parseNix(text) } : undefined;
    this.sources.set(file, source ?? null);
    return source;
  }

  /** Replaces [start, end) of the file; false when the file cannot be edited or the edit overlaps another one. */
  replace(file: string, start: number, end: number, newText: string): boolean {
    if (!this.source(file)) return false;
    const list = this.edits.get(file) ?? [];
    if (list.some((edit) => start < edit.end && edit.start < end)) return false;
    list.push({ start, end, newText });
    this.edits.set(file, list);
    return true;
  }

  insert(file: string, offset: number, newText: string): boolean {
    return this.replace(file, offset, offset, newText);
  }

  /** Adds an edit already expressed as a range (e.g. from ensureModuleArgument). */
  addTextEdit(file: string, edit: TextEdit): boolean {
    const source = this.source(file);
    if (!source) return false;
    return this.replace(file, source.lines.offsetAt(edit.range.start), source.lines.offsetAt(edit.range.end), edit.newText);
  }

  get isEmpty(): boolean {
    return this.edits.size === 0;
  }

  fileEdits(): FileEdit[] {
    const result: FileEdit[] = [];
    for (const [file, list] of this.edits) {
      const source = this.source(file);
      if (!source) continue;
      result.push({ file, baseText: source.text, edits: list.map((edit) => ({ range: source.lines.rangeOf(edit.start, edit.end), newText: edit.newText })) });
    }
    return result;
  }

  /** The quick fix, or undefined when nothing could be edited. */
  toFix(title: string, code: string, preferred: boolean): CodeFix | undefined {
    if (this.isEmpty) return undefined;
    return { title, preferred, code, edits: this.fileEdits(), creates: [] };
  }
}
