import { join } from 'node:path';
import { FILE_START, LineIndex, type Range } from '../text';
import type { InputProblem } from '../types';
import type { DirHost } from './dirHost';
import { loadSnapshotFromFiles } from './loadSnapshot';
import type { HostSnapshot } from './model';
import { classifyRawFile } from './rawFiles';

/**
 * Loads the snapshot folder `dir` (default in a workspace: `.nixos-homelab/snapshot/`) through `host`. A missing
 * folder, or one without any snapshot file, gives no snapshot and no problem: the rules then work without one.
 * Problems carry the file's path and the line they are about (the file start otherwise).
 */
export function loadSnapshotDir(dir: string, host: DirHost): { snapshot?: HostSnapshot; problems: InputProblem[] } {
  const names = host.listDir(dir);
  if (names === undefined) return { problems: [] };
  const files = new Map<string, string>();
  for (const name of names) {
    if (classifyRawFile(name) === undefined) continue;
    const text = host.readText(join(dir, name));
    if (text !== undefined) files.set(name, text);
  }
  if (files.size === 0) return { problems: [] };
  const loaded = loadSnapshotFromFiles(files, 'files');
  const problems = loaded.problems.map((problem) => {
    const text = files.get(problem.file) ?? '';
    return { file: join(dir, problem.file), range: lineRange(text, problem.line), message: `${problem.file}: ${problem.message}` };
  });
  return { snapshot: loaded.snapshot, problems };
}

/** The whole of a 1-based line, or the file start when there is no line. */
function lineRange(text: string, line: number | undefined): Range {
  if (line === undefined) return FILE_START;
  const index = new LineIndex(text);
  const start = index.lineStart(line - 1);
  const end = line < index.lineCount ? index.lineStart(line) : text.length;
  return index.rangeOf(start, Math.max(start, end - (text.slice(start, end).match(/\r?\n$|\r$/)?.[0].length ?? 0)));
}
