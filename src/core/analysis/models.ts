/**
 * Stage 2 of the pipeline (pipeline.ts): reading the models — a host's NixOS configuration, a stack's compose
 * project, the syntax errors of .nix files no configuration imports — each with the findings reading it produced.
 * The incremental analysis (incremental.ts) calls the same functions and keeps their results while their reads hold.
 */
import * as path from 'node:path';
import { loadComposeProject, type LoadComposeOptions } from '../compose';
import type { ComposeProject } from '../compose/model';
import { evaluationFindings, mergeEvaluation } from '../evaluation';
import { isNixOnlyHost } from './nixOnlyHosts';
import { problemText, splitMessage } from '../messages';
import { parseNix } from '../nix';
import type { NixConfiguration } from '../nix/model';
import type { NixSyntaxTree } from '../nix/syntaxTree';
import { INPUT_FINDINGS } from '../rules';
import { unreadableImportMessage } from '../rules/unreadableModules';
import { toFinding } from '../rules/toFinding';
import { FILE_START, LineIndex } from '../text';
import type { Finding } from '../types';
import type { Settings } from '../settings';
import type { FileSource } from './fileSource';
import { loadHostConfiguration } from './hostConfiguration';
import { hostKey } from './nixosHosts';
import type { DiscoveredFiles, NixosHost, WorkspaceOptions } from './types';

export interface ReadConfiguration {
  configuration: NixConfiguration;
  /** Parse errors, unreadable imports, what evaluation reported. */
  findings: Finding[];
}

/**
 * Reads a host's configuration from its modules; what Nix evaluated for the host (evaluation/merge.ts) replaces
 * the static guesses for what it projects. `parse` lets a caller reuse syntax trees (the language server's).
 */
export function readConfiguration(host: NixosHost, source: FileSource, options: WorkspaceOptions, parse?: (file: string, text: string) => NixSyntaxTree): ReadConfiguration {
  const evaluation = options.evaluations?.get(hostKey(host));
  const read = loadHostConfiguration(host, source, parse ? { parse } : {});
  const configuration = evaluation ? mergeEvaluation(read, evaluation, { nixOnly: isNixOnlyHost(host) }) : read;
  const findings: Finding[] = [];
  for (const problem of configuration.problems) {
    const finding = toFinding(INPUT_FINDINGS.nixParseError, { ...problem, ...problemText(problem), related: [] }, options.settings);
    if (finding) findings.push(finding);
  }
  for (const unreadable of configuration.unreadableImports) {
    const text = unreadableImportMessage(unreadable);
    if (text === undefined) continue;
    const finding = toFinding(INPUT_FINDINGS.nixImportUnreadable, { file: unreadable.loc.file, range: unreadable.loc.range, ...text, related: [], data: { written: unreadable.written, kind: unreadable.kind } }, options.settings);
    if (finding) findings.push(finding);
  }
  findings.push(...evaluationFindings(configuration, options.settings));
  return { configuration, findings };
}

export interface ReadStack {
  /** Undefined when the main file cannot be read (the finding says why). */
  project: ComposeProject | undefined;
  /** Parse problems of the stack's files. */
  findings: Finding[];
}

/** Loads a stack from its main compose file (with its override, includes and extends). */
export function readStack(file: string, source: FileSource, settings: Settings, load: LoadComposeOptions = {}): ReadStack {
  const findings: Finding[] = [];
  if (source.readText(file) === undefined) {
    const message = `${path.basename(file)} ${source.readFailure(file) ?? 'cannot be read'}`;
    const finding = toFinding(INPUT_FINDINGS.composeParseError, { file, range: FILE_START, ...splitMessage(message), related: [] }, settings);
    return { project: undefined, findings: finding ? [finding] : [] };
  }
  const project = loadComposeProject(file, source, load);
  for (const problem of project.problems) {
    const finding = toFinding(INPUT_FINDINGS.composeParseError, { ...problem, ...problemText(problem), related: [] }, settings);
    if (finding) findings.push(finding);
  }
  return { project, findings };
}

/**
 * The discovered .nix files that no configuration read: a module not imported yet, a broken leftover, a flake.nix
 * (read for its hosts' names, never parsed as a module).
 */
export function unimportedNixFiles(files: DiscoveredFiles, configurations: Iterable<NixConfiguration>): string[] {
  const read = new Set<string>();
  for (const configuration of configurations) for (const file of configuration.files) read.add(file);
  return [...files.configurationFiles, ...files.flakeFiles, ...(files.nixFiles ?? [])].filter((file) => !read.has(file));
}

/**
 * The syntax errors of a .nix file no configuration imports: a module being written before it is imported, or one
 * left broken in the repository, still deserves them. `text` undefined (unreadable, too large): nothing to say here.
 */
export function unimportedNixErrors(file: string, text: string | undefined, settings: Settings): Finding[] {
  if (text === undefined) return [];
  const tree = parseNix(text);
  if (tree.errors.length === 0) return [];
  const lines = new LineIndex(text);
  return tree.errors
    .map((error) => toFinding(INPUT_FINDINGS.nixParseError, { file, range: lines.rangeOf(error.start, error.end), ...splitMessage(`${path.basename(file)}: ${error.message}`), related: [] }, settings))
    .filter((finding): finding is Finding => finding !== undefined);
}
