// Committed-snapshot comparison for grammar tests: `UPDATE_SNAPSHOTS=1` rewrites, otherwise a mismatch
// fails with the first differing lines rather than two walls of text.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { repoRoot } from './tokenize';

/**
 * Describes where two snapshots first differ: the line number, a few lines of shared context, then the
 * differing expected (`-`) and actual (`+`) lines. Returns undefined when they are equal.
 */
export function describeFirstDifference(expected: string[], actual: string[], shown = 6): string | undefined {
  let index = 0;
  while (index < expected.length && index < actual.length && expected[index] === actual[index]) index++;
  if (index === expected.length && index === actual.length) return undefined;
  const context = expected.slice(Math.max(0, index - 2), index).map((line) => `  ${line}`);
  const removed = expected.slice(index, index + shown).map((line) => `- ${line}`);
  const added = actual.slice(index, index + shown).map((line) => `+ ${line}`);
  return [
    `first difference at snapshot line ${index + 1} (expected ${expected.length} lines, got ${actual.length}):`,
    ...context,
    ...removed,
    ...added,
  ].join('\n');
}

/** Outcome of {@link matchSnapshot}: `written` when UPDATE_SNAPSHOTS=1 rewrote the file. */
export type SnapshotResult = { status: 'match' | 'written' } | { status: 'mismatch'; message: string };

/** Compares `lines` with the snapshot file, or rewrites it when the environment asks for it. */
export function matchSnapshot(snapshotPath: string, lines: string[]): SnapshotResult {
  const actualText = lines.join('\n') + '\n';
  const shortName = relative(repoRoot, snapshotPath);
  if (process.env.UPDATE_SNAPSHOTS === '1') {
    writeFileSync(snapshotPath, actualText);
    return { status: 'written' };
  }
  if (!existsSync(snapshotPath)) {
    return { status: 'mismatch', message: `${shortName} does not exist; run with UPDATE_SNAPSHOTS=1 to create it` };
  }
  const expected = readFileSync(snapshotPath, 'utf8').replace(/\n$/, '').split('\n');
  const difference = describeFirstDifference(expected, lines);
  if (difference === undefined) return { status: 'match' };
  return {
    status: 'mismatch',
    message: `${shortName}: ${difference}\nIf the change is intended, rerun with UPDATE_SNAPSHOTS=1 and review the diff.`,
  };
}
