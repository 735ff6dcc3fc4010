/**
 * The requests behind the editor's migration commands: each answers from the folder's current analysis (open
 * buffers included) with the same core functions the CLI's `extract`, `generate` and `verify` use.
 */
import * as path from 'node:path';
import type { DerivedTargets } from '../../core/generate/extractionTargets';
import { collectNeeds, deriveExtractionTargets, expectationFromNeeds, generateModule, type NeedsOptions } from '../../core/generate';
import type { VerifyExpectation } from '../../core/verify';
import type { FolderParams, GenerateModuleParams, GenerateModuleResult, MigrationReportData } from '../../shared/protocol';
import type { ServerContext } from '../context';
import { handler, RequestRefusedError } from '../handler';
import { FOLDER_PARAMS, GENERATE_MODULE_PARAMS } from '../requestParams';
import { pathToUri, uriToPath } from '../uri';
import type { AnalysedRoot } from '../workspaceIndex';
import { folderRoot } from './folderRoot';

/** `nixosHomelab/extractionTargets`. */
export function extractionTargetsHandler(ctx: ServerContext) {
  return handler<FolderParams, DerivedTargets>('extractionTargets', ctx, FOLDER_PARAMS, (params) => {
    const root = folderRoot(ctx, params.folder);
    return deriveExtractionTargets(ctx.runner.analysisOf(root).projects);
  });
}

/** `nixosHomelab/generateModule`. */
export function generateModuleHandler(ctx: ServerContext) {
  return handler<GenerateModuleParams, GenerateModuleResult>('generateModule', ctx, GENERATE_MODULE_PARAMS, (params) => {
    const root = folderRoot(ctx, params.folder);
    const analysis = ctx.runner.analysisOf(root);
    if (analysis.projects.length === 0) throw new RequestRefusedError(`no compose files found in ${root.root}: the module is generated from the stacks' compose files`);
    const replaces = params.replaces ? uriToPath(params.replaces) : undefined;
    const generated = generateModule(analysis, { ...needsOptions(root), snapshotLabel: root.settings.snapshotPath, ...(replaces ? { replaces } : {}) });
    const entry = analysis.configurations[0]?.entry;
    return { text: generated.text, notes: generated.notes, stacks: generated.needs.stacks.length, ...(entry ? { entry: pathToUri(entry) } : {}) };
  });
}

/** `nixosHomelab/verifyExpectation`. */
export function verifyExpectationHandler(ctx: ServerContext) {
  return handler<FolderParams, VerifyExpectation>('verifyExpectation', ctx, FOLDER_PARAMS, (params) => {
    const root = folderRoot(ctx, params.folder);
    return expectationFromNeeds(collectNeeds(ctx.runner.analysisOf(root), needsOptions(root)));
  });
}

/** `nixosHomelab/migrationReportData`. */
export function migrationReportDataHandler(ctx: ServerContext) {
  return handler<FolderParams, MigrationReportData>('migrationReportData', ctx, FOLDER_PARAMS, (params) => {
    const root = folderRoot(ctx, params.folder);
    const analysis = ctx.runner.analysisOf(root);
    const findings = analysis.findings.map((finding) => ({
      file: path.relative(root.root, finding.file).split(path.sep).join('/') || path.basename(finding.file),
      line: finding.range.start.line + 1,
      rule: finding.code,
      severity: finding.severity,
      message: finding.message,
      ...(finding.explanation ? { explanation: finding.explanation } : {}),
    }));
    return analysis.snapshot ? { findings, snapshot: analysis.snapshot } : { findings };
  });
}

function needsOptions(root: AnalysedRoot): NeedsOptions {
  const stacksRoot = root.settings.stacksRoot.replace(/\/+$/, '');
  return { workspaceRoot: root.root, mountRoots: root.settings.mountRoots, ...(root.settings.stacksRoot ? { stacksRoot: stacksRoot || '/' } : {}) };
}
