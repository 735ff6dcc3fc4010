import type { MessageReader, MessageWriter } from 'vscode-languageserver/node';
import { FrameReader } from './frameReader';
import { StreamFrameWriter } from './publish';

/**
 * The reader and writer for `--stdio`; undefined for the other transports (`--node-ipc`, which sends
 * objects, not bytes; `--socket`, `--pipe`), which createConnection sets up from the command line itself. The
 * reader survives malformed frames (frameReader.ts); the writer sends each message in one write, re-published
 * diagnostics from their cached JSON (publish/stdioWriter.ts).
 */
export function stdioTransport(argv: readonly string[] = process.argv): { reader: MessageReader; writer: MessageWriter } | undefined {
  if (!argv.slice(2).includes('--stdio')) return undefined;
  return { reader: new FrameReader(process.stdin), writer: new StreamFrameWriter(process.stdout) };
}
