import { AbstractMessageWriter, type Message, type MessageWriter } from 'vscode-languageserver/node';

/**
 * Diagnostics are re-published on every keystroke, and almost all of them are the same as one keystroke earlier:
 * only their `data` (which carries the document version) is new. An object marked with `JSON_BASE` is its base's
 * fields (the same values, in the same order) followed by `data` and nothing else (diagnostics.ts makes them so),
 * and the stdio writer below writes the base's cached JSON instead of serialising those fields again
 * (JSON.stringify of ~180 diagnostics, ~130 KB, was the largest single cost of an edit). JSON.stringify skips symbol
 * keys, so the mark never reaches the client.
 */
export const JSON_BASE = Symbol.for('nixos-homelab.jsonBase');

/** An object whose fields are `base`'s (never changed afterwards) and then `data`. */
export interface WithJsonBase {
  [JSON_BASE]?: object;
  data?: unknown;
}

/** Each base's JSON without its closing brace. */
const baseJson = new WeakMap<object, string>();

/**
 * A message as JSON (UTF-8), exactly as JSON.stringify writes it, with one fast path: the diagnostics of
 * `textDocument/publishDiagnostics` marked with `JSON_BASE` are written from their base's cached JSON. The message
 * is built as one string and encoded once (measured: cheaper than copying per-diagnostic buffers, whose lengths
 * and copies cost more than the encoding). `framed` puts the `Content-Length` header in front, so that header and
 * body go out in one write.
 */
export function encodeMessage(msg: Message, framed = false): Buffer {
  const published = publishedDiagnostics(msg);
  let json: string;
  if (!published) json = JSON.stringify(msg);
  else {
    // `{…,"params":{…,"diagnostics":[…],…},…}`: only the diagnostics are written another way.
    json = objectJson(msg, (key) => (key === 'params' ? objectJson(published.params, (inner) => (inner === 'diagnostics' ? diagnosticsJson(published.diagnostics) : undefined)) : undefined));
  }
  const length = Buffer.byteLength(json, 'utf-8');
  const header = framed ? `Content-Length: ${length}\r\n\r\n` : '';
  const out = Buffer.allocUnsafe(header.length + length);
  out.write(header, 0, 'ascii');
  out.write(json, header.length, 'utf-8');
  return out;
}

/** A plain object as JSON.stringify writes it; `valueJson` gives the JSON of the values it writes itself. */
function objectJson(object: object, valueJson: (key: string) => string | undefined): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(object)) {
    const written = valueJson(key) ?? (JSON.stringify(value) as string | undefined);
    // undefined, functions and symbols are left out, key and all
    if (written !== undefined) parts.push(parts.length === 0 ? '{' : ',', JSON.stringify(key), ':', written);
  }
  return parts.length === 0 ? '{}' : `${parts.join('')}}`;
}

function diagnosticsJson(diagnostics: readonly unknown[]): string {
  // Pieces joined once: a string built with += is a rope, which the UTF-8 encoding then flattens piece by piece
  // (measured: ~4× the cost of one join for a 110 KB publish).
  const parts: string[] = ['['];
  for (let index = 0; index < diagnostics.length; index++) {
    if (index > 0) parts.push(',');
    const diagnostic = diagnostics[index];
    const marked = typeof diagnostic === 'object' && diagnostic !== null ? (diagnostic as WithJsonBase) : undefined;
    const base = marked?.[JSON_BASE];
    if (!marked || !base) {
      parts.push((JSON.stringify(diagnostic) as string | undefined) ?? 'null');
      continue;
    }
    let fields = baseJson.get(base);
    if (fields === undefined) {
      fields = JSON.stringify(base).slice(0, -1); // without the closing brace
      baseJson.set(base, fields);
    }
    parts.push(fields);
    const data = dataJson(base, marked.data);
    if (data !== undefined) parts.push(fields.length > 1 ? ',"data":' : '"data":', data);
    parts.push('}');
  }
  parts.push(']');
  return parts.join('');
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
