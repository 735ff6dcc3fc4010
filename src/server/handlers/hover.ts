import { MarkupKind, type Hover, type HoverParams } from 'vscode-languageserver/node';
import { explainComposeValue } from '../../core/explain';
import type { ServerContext } from '../context';
import { documentHandler } from '../handler';
import { HOVER_PARAMS } from '../requestParams';

/** Hover on PUID/PGID/`user:`/`group_add`/devices/GPU requests/bind mounts: what it maps to on NixOS. */
export function hoverHandler(ctx: ServerContext) {
  return documentHandler<HoverParams, Hover | null>('hover', ctx, HOVER_PARAMS, (_document, file, params) => {
    const { analysis } = ctx.analysisFor(file);
    const explanation = explainComposeValue(analysis, file, params.position);
    if (!explanation) return null;
    return { contents: { kind: MarkupKind.Markdown, value: explanation.markdown }, range: explanation.range };
  });
}
