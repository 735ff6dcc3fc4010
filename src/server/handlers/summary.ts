import type { WorkspaceSummary } from '../../shared/protocol';
import type { ServerContext } from '../context';
import { handler } from '../handler';

/** `nixosHomelab/workspaceSummary`: findings counts for the status bar. */
export function summaryHandler(ctx: ServerContext) {
  return handler<void, WorkspaceSummary>('workspaceSummary', ctx, () => {
    ctx.runner.flush();
    return ctx.runner.summary();
  });
}
