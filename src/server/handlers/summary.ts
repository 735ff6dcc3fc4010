import type { WorkspaceSummary } from '../../shared/protocol';
import type { ServerContext } from '../context';
import { handler } from '../handler';
import { NO_PARAMS } from '../requestParams';

/** `nixosHomelab/workspaceSummary`: findings counts for the status bar. */
export function summaryHandler(ctx: ServerContext) {
  return handler<void, WorkspaceSummary>('workspaceSummary', ctx, NO_PARAMS, () => {
    ctx.runner.flush();
    return ctx.runner.summary();
  });
}
