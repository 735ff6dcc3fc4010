import * as v8 from 'node:v8';
import * as vm from 'node:vm';

let collect: (() => void) | undefined;

/**
 * Indexing a large homelab allocates a lot of short-lived garbage (YAML documents, syntax trees) and V8 keeps the
 * grown heap afterwards. One full collection once the first analysis is published gives that memory back, so a
 * long-running editor session does not sit at its start-up peak. Runs once; a no-op if the flag is refused.
 */
export function releaseIndexingGarbage(): void {
  try {
    if (!collect) {
      v8.setFlagsFromString('--expose-gc');
      collect = vm.runInNewContext('gc') as () => void;
    }
    collect();
  } catch {
    collect = () => undefined;
  }
}
