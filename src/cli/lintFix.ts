/**
 * `lint --fix`: applies every preferred quick fix in memory (re-analysing after each, in the order of fixOrder.ts),
 * then writes each changed file once, atomically. When any file cannot be written (changed on disk since the
 * analysis, read-only), nothing at all is written and the command fails with one line.
 *
 * Fixes edit only files inside the folders the user gave (the PATH arguments) and the files named with `--nix`:
 * a module imported from elsewhere (`../../outside/users.nix`) is left alone unless `--fix-outside` is given, and
 * the summary names every file outside that would have been, or was, changed. A file that is a symbolic link is
 * written through to the file it points to.
 */
import * as path from 'node:path';
import { fixAll } from '../core/applyFixes';
import type { FileSource } from '../core/analysis/fileSource';
import { describeChange } from '../core/fixes/changeSummary';
import type { FixHint } from '../core/fixes/model';
import type { WorkspaceOptions } from '../core/analysis/types';
import { checkWritable, resolveWriteTarget, writeFileAtomic } from '../platform/atomicWrite';
import { CliError } from './args';

export interface FixRun {
  /** One line per changed file: what the fixes did there. */
  summary: string[];
  /** Why some findings were left (e.g. run extract for a data disk without snapshot facts). */
  hints: string[];
  /** Files outside the given folders: the ones left alone (without --fix-outside) or changed (with it). */
  outside: string[];
}

export interface LintFixOptions {
  /** `--fix-outside`: also edit files outside the folders given. */
  fixOutside?: boolean;
}

/** Applies and writes the fixes; throws CliError (exit 2) when a write is refused. */
export function runLintFix(options: WorkspaceOptions, source: FileSource, cwd: string, fixOptions: LintFixOptions = {}): FixRun {
  const isInside = insideGivenPaths(options);
  const display = (file: string): string => path.relative(cwd, file) || file;
  // Without --fix-outside, a fix that would edit a file outside is not applied (and later fixes see the workspace
  // without it): partial fixes never leave an import pointing at nothing.
  const { changes, hints, leftAlone: leftOutside } = fixAll(options, source, fixOptions.fixOutside ? {} : { mayEdit: isInside });

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
    const target = resolveWriteTarget(file);
    const written = writeFileAtomic(file, change.after, { baseText: change.before });
    if (!written.ok) throw new CliError(`lint --fix: ${written.message}${summary.length ? ` (already written: ${summary.length} file(s))` : ''}`);
    const items = describeChange(file, change.before, change.after);
    const through = target.ok && target.linked ? ` (through the link, to ${display(target.path)})` : '';
    summary.push(`${display(file)}${change.before === undefined ? ' (new)' : ''}${through}: ${items.length ? items.join(', ') : 'edited'}`);
  }

  const given = givenPathsText(options, cwd);
  const outside: string[] = [];
  if (fixOptions.fixOutside) {
    const changedOutside = files.filter((file) => !isInside(file));
    if (changedOutside.length > 0) outside.push(`changed outside ${given} (--fix-outside): ${changedOutside.map(display).join(', ')}`);
  } else {
    for (const [file, titles] of [...leftOutside].sort(([a], [b]) => a.localeCompare(b))) {
      outside.push(`not changed: ${display(file)} is outside ${given}; it would get: ${[...titles].join('; ')}. Run again with --fix-outside to allow editing it`);
    }
  }
  return { summary, hints: uniqueHints(hints), outside };
}

/**
 * Whether a file lies in one of the folders given (or is a file given: a PATH or `--nix FILE`). Judged by the
 * path as the workspace reaches it, so a configuration.nix that is a link into a dotfiles repository counts as
 * inside: the user put the link there.
 */
function insideGivenPaths(options: WorkspaceOptions): (file: string) => boolean {
  const roots = options.roots.map((root) => path.resolve(root));
  const files = new Set((options.nixFiles ?? []).map((file) => path.resolve(file)));
  return (file) => {
    const resolved = path.resolve(file);
    if (files.has(resolved)) return true;
    return roots.some((root) => {
      const relative = path.relative(root, resolved);
      return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
    });
  };
}

function givenPathsText(options: WorkspaceOptions, cwd: string): string {
  const names = options.roots.map((root) => path.relative(cwd, root) || '.');
  return names.length === 1 ? `the folder given (${names[0]})` : `the folders given (${names.join(', ')})`;
}

function uniqueHints(hints: FixHint[]): string[] {
  return [...new Set(hints.map((hint) => `hint [${hint.code}]: ${hint.message}`))];
}
