import { AbstractMessageWriter, type Message, type MessageWriter } from 'vscode-languageserver/node';

/**
 * Diagnostics are re-published on every keystroke, and almost all of them are the same as one keystroke earlier:
 * only their `data` (which carries the document version) is new. An object marked with `JSON_BASE` is its base's
 * fields (the same values) plus fields of its own, and the stdio writer below copies the base's cached JSON bytes
 * instead of serialising those fields again (JSON.stringify of ~180 diagnostics, ~130 KB, was the largest single
 * cost of an edit). JSON.stringify skips symbol keys, so the mark never reaches the client.
 */
export const JSON_BASE = Symbol.for('nixos-homelab.jsonBase');

/** An object whose fields are `base`'s (never changed afterwards) plus its own. */
export interface WithJsonBase {
  [JSON_BASE]?: object;
}

const baseBytes = new WeakMap<object, Buffer>();

/**
 * A message as JSON (UTF-8), exactly as JSON.stringify writes it, with one fast path: the diagnostics of
 * `textDocument/publishDiagnostics` marked with `JSON_BASE` are written from their base's cached bytes. `framed`
 * puts the `Content-Length` header in front, so that header and body go out in one write.
 */
export function encodeMessage(msg: Message, framed = false): Buffer {
  const published = publishedDiagnostics(msg);
  const chunks: (Buffer | string)[] = [];
  if (!published) chunks.push(JSON.stringify(msg));
  else {
    // `{…,"params":{…,"diagnostics":[…],…},…}`: only the diagnostics are written another way.
    pushObject(chunks, msg, (key) => {
      if (key !== 'params') return false;
      pushObject(chunks, published.params, (inner) => {
        if (inner !== 'diagnostics') return false;
        pushDiagnostics(chunks, published.diagnostics);
        return true;
      });
      return true;
    });
  }
  let length = 0;
  for (const chunk of chunks) length += typeof chunk === 'string' ? Buffer.byteLength(chunk, 'utf-8') : chunk.length;
  const header = framed ? `Content-Length: ${length}\r\n\r\n` : '';
  const out = Buffer.allocUnsafe(header.length + length);
  let offset = out.write(header, 0, 'ascii');
  for (const chunk of chunks) offset += typeof chunk === 'string' ? out.write(chunk, offset, 'utf-8') : chunk.copy(out, offset);
  return out;
}

/** A plain object as JSON.stringify writes it; `pushValue` writes the values it takes (returns true) itself. */
function pushObject(chunks: (Buffer | string)[], object: object, pushValue: (key: string) => boolean): void {
  let separator = '{';
  for (const [key, value] of Object.entries(object)) {
    const keyJson = `${separator}${JSON.stringify(key)}:`;
    chunks.push(keyJson);
    if (pushValue(key)) {
      separator = ',';
      continue;
    }
    const json = JSON.stringify(value) as string | undefined;
    if (json === undefined) chunks.pop(); // undefined, functions and symbols are left out, key and all
    else {
      chunks.push(json);
      separator = ',';
    }
  }
  chunks.push(separator === '{' ? '{}' : '}');
}

function pushDiagnostics(chunks: (Buffer | string)[], diagnostics: readonly unknown[]): void {
  chunks.push('[');
  diagnostics.forEach((diagnostic, index) => {
    if (index > 0) chunks.push(',');
    const marked = typeof diagnostic === 'object' && diagnostic !== null ? (diagnostic as WithJsonBase & Record<string, unknown>) : undefined;
    const base = marked?.[JSON_BASE];
    if (!marked || !base) {
      chunks.push(JSON.stringify(diagnostic) ?? 'null');
      return;
    }
    let bytes = baseBytes.get(base);
    if (!bytes) {
      bytes = Buffer.from(JSON.stringify(base).slice(0, -1), 'utf-8'); // without the closing brace
      baseBytes.set(base, bytes);
    }
    chunks.push(bytes);
    let own = '';
    for (const key in marked) {
      if (key in base) continue;
      const value = key === 'data' ? dataJson(base, marked[key]) : (JSON.stringify(marked[key]) as string | undefined);
      if (value !== undefined) own += `,${JSON.stringify(key)}:${value}`;
    }
    chunks.push(`${bytes.length > 1 ? own : own.slice(1)}}`);
  });
  chunks.push(']');
}

/**
 * A diagnostic's `data` leads with the document version, the one field that changes on every keystroke
 * (DiagnosticData: version, fixable, host). The JSON of the rest is kept per base while the rest holds the same
 * values (===), so a re-published diagnostic writes only its version (the host object's JSON, a path, was half the
 * cost of the diagnostics' own fields). Anything else is JSON.stringify's.
 */
const dataRests = new WeakMap<object, { data: Record<string, unknown>; keys: string[]; rest: string }>();
const VERSION_KEY = '{"version":';

function dataJson(base: object, data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return JSON.stringify(data) as string | undefined;
  const record = data as Record<string, unknown>;
  const version = record['version'];
  if (version !== null && typeof version !== 'number') return JSON.stringify(data);
  const cached = dataRests.get(base);
  if (cached && sameRest(cached, record)) return `${VERSION_KEY}${JSON.stringify(version)}${cached.rest}`;
  const json = JSON.stringify(data);
  const head = `${VERSION_KEY}${JSON.stringify(version)}`;
  if (json.startsWith(head)) dataRests.set(base, { data: record, keys: Object.keys(record), rest: json.slice(head.length) });
  return json;
}

/** Whether two `data` objects have the same keys in the same order, with the same values (===) but for `version`. */
function sameRest({ data: known, keys }: { data: Record<string, unknown>; keys: string[] }, data: Record<string, unknown>): boolean {
  let index = 0;
  for (const key in data) {
    if (keys[index++] !== key) return false;
    if (key !== 'version' && known[key] !== data[key]) return false;
  }
  return index === keys.length;
}

function publishedDiagnostics(msg: Message): { params: object; diagnostics: unknown[] } | undefined {
  const { method, params } = msg as { method?: unknown; params?: unknown };
  if (method !== 'textDocument/publishDiagnostics' || typeof params !== 'object' || params === null) return undefined;
  const diagnostics = (params as { diagnostics?: unknown }).diagnostics;
  return Array.isArray(diagnostics) ? { params, diagnostics } : undefined;
}

/**
 * Writes each message (header and body) with one write, in the order given: a 130 KB publish is one wake-up of the
 * client instead of two (vscode-jsonrpc's stream writer sends the header first, then the body once that write ends).
 */
export class StreamFrameWriter extends AbstractMessageWriter implements MessageWriter {
  private errorCount = 0;

  constructor(private readonly stream: NodeJS.WritableStream) {
    super();
    stream.on('error', (error: Error) => this.fireError(error));
    stream.on('close', () => this.fireClose());
  }

  write(msg: Message): Promise<void> {
    return new Promise((resolve, reject) => {
      const failed = (error: unknown): void => {
        this.errorCount++;
        this.fireError(error, msg, this.errorCount);
        reject(error);
      };
      try {
        this.stream.write(encodeMessage(msg, true), (error) => (error ? failed(error) : resolve()));
      } catch (error) {
        failed(error);
      }
    });
  }

  end(): void {
    this.stream.end();
  }
}
