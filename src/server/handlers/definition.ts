import type { DefinitionParams, Location } from 'vscode-languageserver/node';
import { explainComposeValue } from '../../core/explain';
import { computeFixes, configurationForCompose } from '../../core/fixes';
import { fixSpot } from '../../core/fixes/fixSpot';
import { sameRange, type Range, type SourceLocation } from '../../core/text';
import type { Finding } from '../../core/types';
import type { WorkspaceAnalysis } from '../../core/analysis/types';
import type { ServerContext } from '../context';
import { documentHandler } from '../handler';
import { DEFINITION_PARAMS } from '../requestParams';
import { pathToUri } from '../uri';
import type { AnalysedRoot } from '../workspaceIndex';

/**
 * Go to definition from a compose value to the Nix declaration it maps to (user, group, fileSystems, graphics).
 * A PUID / PGID / `user:` id that no user or group has yet goes where it would belong: the user or group its
 * finding's fix edits (`users.users.palav`), else where the fix would declare it.
 */
export function definitionHandler(ctx: ServerContext) {
  return documentHandler<DefinitionParams, Location[] | null>('definition', ctx, DEFINITION_PARAMS, (_document, file, params) => {
    const { root, analysis } = ctx.analysisFor(file);
    const explanation = explainComposeValue(analysis, file, params.position);
    if (!explanation) return null;
    const targets = explanation.targets.length > 0 ? explanation.targets : wouldBelongTo(ctx, root, analysis, file, explanation.range);
    if (targets.length === 0) return null;
    return targets.map((target) => ({ uri: ctx.documents.uriOf(target.file) ?? pathToUri(target.file), range: target.range }));
  });
}

/** The id findings whose declaration is missing: the value's own, or one it was grouped into (a related location). */
const UNMAPPED_ID_CODES = new Set(['puid-unmapped', 'pgid-unmapped']);

function wouldBelongTo(ctx: ServerContext, root: AnalysedRoot, analysis: WorkspaceAnalysis, file: string, range: Range): SourceLocation[] {
  const finding = analysis.findings.find((f) => UNMAPPED_ID_CODES.has(f.code) && f.file === file && (sameRange(f.range, range) || f.related.some((r) => r.location.file === file && sameRange(r.location.range, range))));
  if (!finding) return [];
  const declared = declarationOf(finding, analysis);
  if (declared) return [declared];
  const fix = computeFixes(finding, analysis, ctx.index.source, root.settings).fixes.find((candidate) => candidate.preferred);
  const spot = fix && fixSpot(fix);
  return spot ? [spot] : [];
}

/** `users.users.<userName>` (puid) or `users.groups.<groupName>` (pgid) of the finding's data, where declared. */
function declarationOf(finding: Finding, analysis: WorkspaceAnalysis): SourceLocation | undefined {
  const nix = configurationForCompose(finding.file, analysis);
  const name = (key: string): string | undefined => (typeof finding.data?.[key] === 'string' ? (finding.data[key] as string) : undefined);
  const declaredAt = finding.code === 'puid-unmapped' ? nix?.users.get(name('userName') ?? '')?.declaredAt : nix?.groups.get(name('groupName') ?? '')?.declaredAt;
  return declaredAt ? { file: declaredAt.file, range: declaredAt.loc.range } : undefined;
}
