import type { ServerContext } from '../context';
import { RequestRefusedError } from '../handler';
import { uriToPath } from '../uri';
import type { AnalysedRoot } from '../workspaceIndex';

/** The analysed workspace folder a migration request is about (`folder` URI, else the first folder). */
export function folderRoot(ctx: ServerContext, folderUri: string | undefined): AnalysedRoot {
  const folders = ctx.index.folders().filter((root) => root.isFolder);
  if (folderUri === undefined) {
    const first = folders[0];
    if (!first) throw new RequestRefusedError('open a folder first: the migration commands work on a workspace folder');
    return first;
  }
  const folder = uriToPath(folderUri);
  const root = folders.find((candidate) => candidate.root === folder);
  if (!root) throw new RequestRefusedError(`${folder ?? folderUri} is not a workspace folder the server analyses`);
  return root;
}
