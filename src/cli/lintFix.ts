/**
 * `lint --fix`: applies every preferred quick fix in memory (re-analysing after each, in the order of fixOrder.ts),
 * then writes each changed file once, atomically. When any file cannot be written (changed on disk since the
 * analysis, read-only), nothing at all is written and the command fails with one line.
 */
import * as path from 'node:path';
import { applyPreferredFixes } from '../core/applyFixes';
import type { DiskHost } from '../core/fileHost';
import { describeChange } from '../core/fixes/changeSummary';
import { fixPhase } from '../core/fixes/fixOrder';
import { computeFixes } from '../core/fixes';
import type { FixHint } from '../core/fixes/model';
import { createOverlayHost } from '../core/hostLayers';
import type { WorkspaceOptions } from '../core/workspace';
import { checkWritable, writeFileAtomic } from '../platform/atomicWrite';
import { CliError } from './args';

export interface FixRun {
  /** One line per changed file: what the fixes did there. */
  summary: string[];
  /** Why some findings were left (e.g. run extract for a data disk without snapshot facts). */
  hints: string[];
}

/** Applies and writes the fixes; throws CliError (exit 2) when a write is refused. */
export function runLintFix(options: WorkspaceOptions, host: DiskHost, cwd: string): FixRun {
  const first = applyPreferredFixes(options, host, computeFixes, (finding) => fixPhase(finding.code) === 1);
  const staged = new Map([...first.changes].map(([file, change]) => [file, change.after]));
  const layered = createOverlayHost(host, { textOf: (file) => staged.get(file), files: () => staged.keys() });
  const second = applyPreferredFixes(options, layered, computeFixes);

  const changes = new Map(first.changes);
  for (const [file, change] of second.changes) changes.set(file, { before: first.changes.get(file)?.before ?? change.before, after: change.after });
  for (const [file, change] of changes) if (change.before === change.after) changes.delete(file);

  const files = [...changes.keys()].sort();
  for (const file of files) {
    const change = changes.get(file);
    const checked = change && checkWritable(file, { baseText: change.before });
    if (checked && !checked.ok) throw new CliError(`lint --fix: ${checked.message}`);
  }
  const summary: string[] = [];
  for (const file of files) {
    const change = changes.get(file);
    if (!change) continue;
    const written = writeFileAtomic(file, change.after, { baseText: change.before });
    if (!written.ok) throw new CliError(`lint --fix: ${written.message}${summary.length ? ` (already written: ${summary.length} file(s))` : ''}`);
    const items = describeChange(file, change.before, change.after);
    const name = path.relative(cwd, file) || file;
    summary.push(`${name}${change.before === undefined ? ' (new)' : ''}: ${items.length ? items.join(', ') : 'edited'}`);
  }
  return { summary, hints: uniqueHints([...first.hints, ...second.hints]) };
}

function uniqueHints(hints: FixHint[]): string[] {
  return [...new Set(hints.map((hint) => `hint [${hint.code}]: ${hint.message}`))];
}
