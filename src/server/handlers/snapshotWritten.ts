import type { ServerContext } from '../context';
import { describeInvalidParams, SNAPSHOT_WRITTEN_PARAMS } from '../requestParams';
import { uriToPath } from '../uri';

/**
 * `nixosHomelab/snapshotWritten`: a snapshot folder was replaced as a whole (a rename). Treated like a creation:
 * cached texts are dropped and every folder is analysed again, so diagnostics reflect the new snapshot at once.
 */
export function snapshotWrittenHandler(ctx: ServerContext) {
  return (raw: unknown): void => {
    const params = SNAPSHOT_WRITTEN_PARAMS.safeParse(raw);
    if (!params.success) {
      ctx.log.info(`nixosHomelab/snapshotWritten ignored: invalid params: ${describeInvalidParams(params.error)}`);
      return;
    }
    const folder = uriToPath(params.data.folder);
    if (!folder) return;
    ctx.log.info(`Snapshot written to ${folder}: analysing again`);
    ctx.index.fileChanged(folder, 'created');
    ctx.runner.scheduleAll();
  };
}
