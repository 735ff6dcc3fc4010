import type { ServerContext } from '../context';
import { uriToPath } from '../uri';

/**
 * `nixosHomelab/snapshotWritten`: a snapshot folder was replaced as a whole (a rename). Treated like a creation:
 * cached texts are dropped and every folder is analysed again, so diagnostics reflect the new snapshot at once.
 */
export function snapshotWrittenHandler(ctx: ServerContext) {
  return (params: { folder: string }): void => {
    const folder = uriToPath(params.folder);
    if (!folder) return;
    ctx.log.info(`Snapshot written to ${folder}: analysing again`);
    ctx.index.fileChanged(folder, 'created');
    ctx.runner.scheduleAll();
  };
}
