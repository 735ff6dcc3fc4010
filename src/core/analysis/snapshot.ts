import * as path from 'node:path';
import { loadSnapshotDir } from '../host';
import type { HostSnapshot } from '../host/model';
import { problemText } from '../messages';
import { INPUT_FINDINGS } from '../rules';
import { toFinding } from '../rules/toFinding';
import type { Finding } from '../types';
import type { FileSource } from './fileSource';
import type { WorkspaceOptions } from './types';

/** Loads the snapshot folder; a missing folder is no snapshot, a broken one a finding. */
export function loadWorkspaceSnapshot(options: WorkspaceOptions, source: FileSource): { snapshot?: HostSnapshot; findings: Finding[] } {
  const base = path.resolve(options.roots[0] ?? '.');
  const dir = path.resolve(base, options.snapshotDir ?? options.settings.snapshotPath);
  const loaded = loadSnapshotDir(dir, source);
  const findings = loaded.problems
    .map((problem) => toFinding(INPUT_FINDINGS.snapshotError, { file: problem.file, range: problem.range, ...problemText(problem), related: [] }, options.settings))
    .filter((finding): finding is Finding => finding !== undefined);
  return { snapshot: loaded.snapshot, findings };
}
