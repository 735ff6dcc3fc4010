/**
 * The fix engine's entry point: the quick fixes (preferred first) and hints for one finding. The language server
 * turns the fixes into code actions, `lint --fix` and "Apply All Fixes" apply the preferred ones.
 */
import * as path from 'node:path';
import type { Settings } from '../settings';
import type { NixConfiguration } from '../nix/model';
import type { FileReader, Finding } from '../types';
import type { WorkspaceAnalysis } from '../analysis/types';
import { composeSideFixes, COMPOSE_SIDE_FIX_CODES, type FixOutcome } from './composeSide';
import { nixSideFixes } from './nixSide';
import { dependsOnUnreadableImport, UNREADABLE_IMPORT_KEY } from '../rules/unreadableModules';
import { EVALUATED_ONLY_KEY } from '../evaluation/keys';

/**
 * Fixes for one finding of `analysis`, computed against the texts `reader` serves now (every FileEdit carries the
 * exact text it was computed from). Never throws: a fix that cannot be planned becomes a hint.
 */
export function computeFixes(finding: Finding, analysis: WorkspaceAnalysis, reader: FileReader, settings: Settings): FixOutcome {
  try {
    // A module we did not read may already hold the block: writing another could conflict with it.
    if (dependsOnUnreadableImport(finding.data)) {
      return { fixes: [], hints: [{ code: finding.code, message: `no fix: \`${String(finding.data?.[UNREADABLE_IMPORT_KEY])}\` is not read here and may already declare it` }] };
    }
    // A host known only from Nix: no module of it was read, nothing to write a fix into.
    if (finding.data?.[EVALUATED_ONLY_KEY] === true) return { fixes: [], hints: [{ code: finding.code, message: 'no fix: the host is known only from Nix (no module of it was read here to write into)' }] };
    if (COMPOSE_SIDE_FIX_CODES.includes(finding.code)) {
      return composeSideFixes({ finding, nix: configurationForCompose(finding.file, analysis), snapshot: analysis.snapshot, release: analysis.release, reader, fixTarget: settings.fixTarget });
    }
    const nix = configurationForNix(finding.file, analysis);
    return nix ? { fixes: nixSideFixes(finding, nix, reader), hints: [] } : { fixes: [], hints: [] };
  } catch (error) {
    return { fixes: [], hints: [{ code: finding.code, message: `internal error while computing the fix: ${(error as Error).message}; please report it` }] };
  }
}

/** The configuration the stack holding `composeFile` was checked against. */
export function configurationForCompose(composeFile: string, analysis: WorkspaceAnalysis): NixConfiguration | undefined {
  const project = analysis.projects.find((p) => p.files.includes(composeFile) || p.envFiles.includes(composeFile)) ?? analysis.projects.find((p) => path.dirname(p.file) === path.dirname(composeFile));
  const entry = project ? analysis.entryForProject.get(project.file) : undefined;
  return analysis.configurations.find((c) => c.entry === entry) ?? (analysis.configurations.length === 1 ? analysis.configurations[0] : undefined);
}

/** The configuration a Nix file belongs to (the first that reads it). */
export function configurationForNix(nixFile: string, analysis: WorkspaceAnalysis): NixConfiguration | undefined {
  return analysis.configurations.find((c) => c.files.includes(nixFile));
}
