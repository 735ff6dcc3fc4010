import * as path from 'node:path';
import type { OpenDocuments } from './documents';

/**
 * A test hook. With `NIXOS_HOMELAB_TEST_FAULT=<marker>` in the server's environment, an analysis throws while an
 * open document contains the marker. The LSP tests use it to check that an exception in the pipeline costs that
 * analysis only: the real inputs that threw (issue #13) are being fixed in core one by one, so none of them can be
 * relied on to keep throwing. Without the variable (the client never sets it) this does nothing.
 */
const marker = process.env['NIXOS_HOMELAB_TEST_FAULT'];

export function throwInjectedFault(documents: OpenDocuments): void {
  if (!marker) return;
  for (const file of documents.files()) {
    if (documents.textOf(file)?.includes(marker)) throw new Error(`injected fault: ${path.basename(file)} contains the NIXOS_HOMELAB_TEST_FAULT marker`);
  }
}
