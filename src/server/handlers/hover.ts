import { MarkupKind, type Hover, type HoverParams } from 'vscode-languageserver/node';
import { explainComposeValue, explainFindingsAt } from '../../core/explain';
import type { ServerContext } from '../context';
import { documentHandler } from '../handler';
import { HOVER_PARAMS } from '../requestParams';

/**
 * Hover: the explanation of the findings under the cursor (their diagnostics carry only the headline; VS Code shows
 * those in the same hover, above this), then, on PUID/PGID/`user:`/`group_add`/devices/GPU requests/bind mounts,
 * what the value maps to on NixOS.
 */
export function hoverHandler(ctx: ServerContext) {
  return documentHandler<HoverParams, Hover | null>('hover', ctx, HOVER_PARAMS, (_document, file, params) => {
    const { analysis } = ctx.analysisFor(file);
    const findings = explainFindingsAt(analysis.findings, file, params.position);
    const explanation = explainComposeValue(analysis, file, params.position);
    if (!explanation) return findings ? { contents: { kind: MarkupKind.Markdown, value: findings } } : null;
    const value = findings ? `${findings}\n\n---\n\n${explanation.markdown}` : explanation.markdown;
    return { contents: { kind: MarkupKind.Markdown, value }, range: explanation.range };
  });
}
