import type { DefinitionParams, Location } from 'vscode-languageserver/node';
import { explainComposeValue } from '../../core/explain';
import type { ServerContext } from '../context';
import { documentHandler } from '../handler';
import { DEFINITION_PARAMS } from '../requestParams';
import { pathToUri } from '../uri';

/** Go to definition from a compose value to the Nix declaration it maps to (user, group, fileSystems, graphics). */
export function definitionHandler(ctx: ServerContext) {
  return documentHandler<DefinitionParams, Location[] | null>('definition', ctx, DEFINITION_PARAMS, (_document, file, params) => {
    const { analysis } = ctx.analysisFor(file);
    const targets = explainComposeValue(analysis, file, params.position)?.targets ?? [];
    if (targets.length === 0) return null;
    return targets.map((target) => ({ uri: ctx.documents.uriOf(target.file) ?? pathToUri(target.file), range: target.range }));
  });
}
