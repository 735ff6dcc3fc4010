/**
 * The language server's publish path, from a file's findings to the bytes on stdout, and the performance machinery
 * only the server needs (the CLI prints each finding once):
 *
 * - diagnostics.ts: a finding as an LSP diagnostic; everything but its `data` is made once per finding object (the
 *   analysis hands back the same objects for findings an edit did not change: core's FindingInterner);
 * - stdioWriter.ts: the `--stdio` writer, which copies those parts' cached JSON bytes instead of serialising ~180
 *   diagnostics again on every keystroke, and sends header and body in one write;
 * - memory.ts: one forced garbage collection once the first indexing is done;
 * - publisher.ts: the publish step (a file's findings sent when they changed, the workspace summary), and what each
 *   document was last sent, so that code actions find a diagnostic's finding by key.
 *
 * The rest of the server imports from here only.
 */
export { releaseIndexingGarbage } from './memory';
export { StreamFrameWriter } from './stdioWriter';
export { Publisher } from './publisher';
