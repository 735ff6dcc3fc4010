/**
 * The code action "Use <folder>/ as host snapshot" on findings a snapshot would change (rules/snapshotDependent.ts),
 * while the analysis uses none and the workspace holds a snapshot folder elsewhere (host/snapshotFolders.ts): the
 * code-action face of the client's one-time notification. It runs the client's command `nixosHomelab.useSnapshotFolder`,
 * which writes `nixosHomelab.snapshotPath` into the workspace settings.
 */
import * as path from 'node:path';
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver/node';
import { snapshotFolderCandidates } from '../core/host/snapshotFolders';
import type { WorkspaceAnalysis } from '../core/analysis/types';
import type { AnalysedRoot } from './workspaceIndex';
import { pathToUri } from './uri';

/** Client command (src/client/commands/commandList.ts) the action runs, with the folder's URI. */
export const USE_SNAPSHOT_FOLDER_COMMAND = 'nixosHomelab.useSnapshotFolder';

/** The action for `diagnostics` (those of snapshot-dependent findings), or undefined when there is nothing to offer. */
export function snapshotOfferAction(root: AnalysedRoot, analysis: WorkspaceAnalysis, diagnostics: Diagnostic[]): CodeAction | undefined {
  if (diagnostics.length === 0 || analysis.snapshot || !root.isFolder) return undefined;
  const configured = path.resolve(root.root, root.settings.snapshotPath);
  const [candidate] = snapshotFolderCandidates(root.root, analysis.files.snapshotMarkers ?? [], configured);
  if (!candidate) return undefined;
  const title = `Use ${candidate.relative === '.' ? 'the workspace folder' : `${candidate.relative}/`} as host snapshot`;
  return { title, kind: CodeActionKind.QuickFix, diagnostics, command: { title, command: USE_SNAPSHOT_FOLDER_COMMAND, arguments: [pathToUri(candidate.dir)] } };
}
