import { join } from 'node:path';
import { FILE_START, LineIndex, type Range } from '../text';
import type { DirReader, InputProblem } from '../types';
import { loadSnapshotFromFiles } from './loadSnapshot';
import type { HostSnapshot } from './model';
import { classifyRawFile } from './rawFiles';

/**
 * Loads the snapshot folder `dir` (default in a workspace: `.nixos-homelab/snapshot/`) through `reader`. A missing
 * folder, or one without any snapshot file, gives no snapshot and no problem: the rules then work without one.
 * Problems carry the file's path and the line they are about (the file start otherwise); a snapshot file that cannot
 * be read (permissions, not a regular file, too large for the host) is one of them.
 */
export function loadSnapshotDir(dir: string, reader: DirReader): { snapshot?: HostSnapshot; problems: InputProblem[] } {
  const names = reader.listDir(dir);
  if (names === undefined) return { problems: [] };
  const files = new Map<string, string>();
  const unreadable: InputProblem[] = [];
  for (const name of [...names].sort()) {
    if (classifyRawFile(name) === undefined) continue;
    const file = join(dir, name);
    const text = reader.readText(file);
    if (text !== undefined) files.set(name, text);
    else {
      // Skipping it silently would leave the user wondering why the snapshot lacks what the file holds.
      const reason = reader.readFailure?.(file) ?? 'cannot be read';
      unreadable.push({ file, range: FILE_START, message: `${name} ${reason}. The rest of the snapshot is used; extract it again or fix the file.` });
    }
  }
  if (files.size === 0) return { problems: unreadable };
  const loaded = loadSnapshotFromFiles(files, 'files');
  const indexes = new Map<string, LineIndex>();
  const problems = loaded.problems.map((problem) => {
    const text = files.get(problem.file) ?? '';
    // One index per file, not per problem: a file of thousands of unreadable lines has thousands of problems.
    let index = indexes.get(problem.file);
    if (problem.line !== undefined && !index) {
      index = new LineIndex(text);
      indexes.set(problem.file, index);
    }
    return { file: join(dir, problem.file), range: lineRange(text, index, problem.line), message: `${problem.file}: ${problem.message}` };
  });
  return { snapshot: loaded.snapshot, problems: [...unreadable, ...problems] };
}

/** The whole of a 1-based line, or the file start when there is no line. */
function lineRange(text: string, index: LineIndex | undefined, line: number | undefined): Range {
  if (line === undefined || !index) return FILE_START;
  const start = index.lineStart(line - 1);
  const end = line < index.lineCount ? index.lineStart(line) : text.length;
  return index.rangeOf(start, Math.max(start, end - (text.slice(start, end).match(/\r?\n$|\r$/)?.[0].length ?? 0)));
}
