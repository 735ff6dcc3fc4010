import * as path from 'node:path';
import { findMainComposeFile, isComposeOverrideName } from '../compose';
import type { FileSource } from './fileSource';

/**
 * One stack per folder, as `docker compose` run there sees it: the first main file in Compose's order of
 * preference (overrides are merged into it by the loader, never stacks of their own).
 */
export function stackMainFiles(composeFiles: string[], source: FileSource): string[] {
  const mains = new Set<string>();
  for (const file of composeFiles) {
    if (isComposeOverrideName(path.basename(file))) continue;
    mains.add(findMainComposeFile(path.dirname(file), source) ?? file);
  }
  return [...mains];
}
