import { AbstractMessageReader, Disposable, type DataCallback, type Message, type MessageReader } from 'vscode-languageserver/node';

/**
 * The stdio reader: `Content-Length` frames in, JSON-RPC messages out — and, unlike vscode-jsonrpc's
 * StreamMessageReader, a bad frame costs that frame only. vscode-jsonrpc stops at a header without `:` or a missing
 * or non-numeric length, reads a negative length as a slice from the end, and waits for a too-large body forever:
 * one malformed frame left the server deaf for the rest of the session.
 *
 * The policy, per kind of bad input — every kind is dropped and the reader resynchronises, none ends the process:
 * - a header line without `:`, a header name that is not an HTTP token, control bytes or binary garbage, a header
 *   block over 8 KiB, no `Content-Length`, a length that is not plain digits (negative, fractional, hex, empty), two
 *   different lengths, a length of 0 or over MAX_CONTENT_LENGTH (64 MiB): the frame is dropped from its first byte;
 * - a length too large for the body (the next frame's header turns up inside it): dropped up to that header;
 * - a length too small, a body that is not JSON or not a JSON object: the body is dropped, and so is what follows
 *   up to the next header (the rest of a cut-off body).
 * After a drop, reading resumes at the next `Content-Length: <digits>` line. That line can never occur inside a
 * valid JSON body (outside strings a `C` is not JSON; inside strings a raw line break is not allowed), so it is a
 * safe place to start again, and a too-large length is noticed as soon as the next frame arrives rather than when
 * enough bytes have piled up. Skipped bytes are not kept (only a short tail that may hold the start of a header),
 * so a huge or endless bad frame costs no memory. A dropped request gets no answer (its id is unknown); each drop is
 * one stderr line, which VS Code shows in the server's output channel.
 *
 * Exiting instead — so that the client restarts the server — was the alternative; it is not taken because only the
 * client writes to stdin and resynchronising is always possible, while a restart re-indexes the workspace. The
 * process still ends when stdin does (server.ts).
 *
 * LF-only line ends in the header (`Content-Length: 52\n\n`) are accepted: the frame is unambiguous, and other
 * language servers read it too. Other headers (`Content-Type`) are read past: bodies are UTF-8, the only charset
 * LSP allows.
 */

/** Larger messages are refused: the biggest real one (a 4 MB document opened) is far below. */
export const MAX_CONTENT_LENGTH = 64 * 1024 * 1024;
/** A header block (normally `Content-Length: N` and maybe `Content-Type`) longer than this is garbage. */
export const MAX_HEADER_BYTES = 8 * 1024;

/** A frame start: the place reading resumes after a drop. At most 8 spaces and 20 digits keep the match short. */
const FRAME_START = /content-length:[ \t]{0,8}\d{1,20}[ \t]{0,8}\r?\n/i;
/** Bytes kept while skipping: longer than any FRAME_START match, so one split across chunks is still found. */
const SKIP_TAIL = 64;
const INITIAL_BUFFER = 64 * 1024;
const MAX_IDLE_BUFFER = 1024 * 1024;
const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;

/** Input dropped between two good frames: how many bytes and why (the first reason, when several overlapped). */
export interface DroppedInput {
  bytes: number;
  reason: string;
}

export interface DecodedInput {
  messages: object[];
  dropped: DroppedInput[];
}

interface PendingBody {
  frameStart: number;
  bodyStart: number;
  length: number;
  /** Where the search for a header inside the body has got to. */
  searchedTo: number;
}

/** Splits a byte stream into JSON-RPC message objects, dropping bad frames (see the policy above). */
export class FrameDecoder {
  private data = Buffer.alloc(INITIAL_BUFFER);
  private start = 0;
  private end = 0;
  private body: PendingBody | undefined;
  /** Set while bytes are being skipped up to the next frame start. */
  private skipping: DroppedInput | undefined;

  constructor(private readonly maxContentLength = MAX_CONTENT_LENGTH) {}

  /** Bytes held for a frame not complete yet (bounded: at most a header block, a body, or a short tail). */
  get bufferedBytes(): number {
    return this.end - this.start;
  }

  push(chunk: Uint8Array): DecodedInput {
    this.append(chunk);
    const out: DecodedInput = { messages: [], dropped: [] };
    while (this.step(out));
    if (this.start === this.end) {
      this.start = this.end = 0;
      // A large message grew the buffer; do not keep its size for the rest of the session.
      if (this.data.length > MAX_IDLE_BUFFER) this.data = Buffer.alloc(INITIAL_BUFFER);
    }
    return out;
  }

  /** One step of the state machine; false when more input is needed. */
  private step(out: DecodedInput): boolean {
    if (this.skipping) return this.skip(out);
    if (this.body) return this.readBody(out);
    return this.readHeader();
  }

  private readHeader(): boolean {
    const data = this.data.subarray(0, this.end); // bytes past `end` are stale
    let lineStart = this.start;
    let length: string | undefined;
    for (;;) {
      const lineEnd = data.indexOf(LF, lineStart);
      const stop = lineEnd === -1 ? this.end : lineEnd;
      if (stop - this.start > MAX_HEADER_BYTES) return this.drop(`a header block longer than ${MAX_HEADER_BYTES / 1024} KiB`);
      // CR LF or LF alone; a CR last in a partial line may be the first half of a CR LF.
      const contentEnd = stop > lineStart && data[stop - 1] === CR ? stop - 1 : stop;
      const problem = headerLineProblem(data, lineStart, contentEnd, lineEnd !== -1);
      if (problem) return this.drop(problem);
      if (lineEnd === -1) return false;
      if (contentEnd === lineStart) {
        lineStart = lineEnd + 1; // past the empty line that ends the header
        break;
      }
      const colon = data.indexOf(COLON, lineStart);
      const name = data.toString('latin1', lineStart, colon).toLowerCase();
      const value = data.toString('latin1', colon + 1, contentEnd).trim();
      if (name === 'content-length') {
        if (length !== undefined && length !== value) return this.drop(`two different Content-Length headers (${length.slice(0, 40)}, ${value.slice(0, 40)})`);
        length = value;
      }
      lineStart = lineEnd + 1;
    }
    if (length === undefined) return this.drop('a header without Content-Length');
    if (!/^\d+$/.test(length)) return this.drop(`Content-Length \`${length.slice(0, 40)}\` is not a number of bytes`);
    const bytes = Number(length);
    if (bytes === 0) return this.drop('Content-Length 0 (an empty body is no message)');
    if (bytes > this.maxContentLength) return this.drop(`Content-Length ${length.slice(0, 40)} is over the ${formatBytes(this.maxContentLength)} limit`);
    this.body = { frameStart: this.start, bodyStart: lineStart, length: bytes, searchedTo: lineStart };
    return true;
  }

  private readBody(out: DecodedInput): boolean {
    const body = this.body!;
    const bodyEnd = body.bodyStart + body.length;
    const searchEnd = Math.min(this.end, bodyEnd);
    const header = findFrameStart(this.data, Math.max(body.bodyStart, body.searchedTo - SKIP_TAIL), searchEnd);
    if (header !== -1) {
      this.body = undefined;
      out.dropped.push({ bytes: header - body.frameStart, reason: `Content-Length ${body.length} is larger than the message (the next header starts inside it)` });
      this.start = header;
      return true;
    }
    body.searchedTo = searchEnd;
    if (this.end < bodyEnd) return false;
    this.body = undefined;
    const message = parseMessage(this.data.subarray(body.bodyStart, bodyEnd));
    if (typeof message === 'string') {
      // A length too small leaves the rest of the body to skip; a length too large by a few bytes may have cut
      // the next header in two. Skipping from the body's start finds that header either way (none lies wholly
      // inside the body: that was searched for above).
      this.skipping = { bytes: body.bodyStart - body.frameStart, reason: message };
      this.start = body.bodyStart;
      return true;
    }
    this.start = bodyEnd;
    out.messages.push(message);
    return true;
  }

  /** Drops the frame at `start` from its first byte and skips to the next frame start. */
  private drop(reason: string): boolean {
    this.skipping = { bytes: 1, reason };
    this.start++;
    return true;
  }

  private skip(out: DecodedInput): boolean {
    const skipping = this.skipping!;
    const next = findFrameStart(this.data, this.start, this.end);
    if (next !== -1) {
      skipping.bytes += next - this.start;
      this.start = next;
      this.skipping = undefined;
      out.dropped.push(skipping);
      return true;
    }
    const keep = Math.max(this.start, this.end - SKIP_TAIL);
    skipping.bytes += keep - this.start;
    this.start = keep;
    return false;
  }

  private append(chunk: Uint8Array): void {
    if (this.end + chunk.length > this.data.length) {
      const held = this.end - this.start;
      const needed = held + chunk.length;
      // Body offsets are relative to the buffer: shift them with the bytes.
      const shift = this.start;
      const target = needed > this.data.length / 2 ? Buffer.allocUnsafe(Math.max(needed, this.data.length * 2)) : this.data;
      this.data.copy(target, 0, this.start, this.end);
      this.data = target;
      this.start = 0;
      this.end = held;
      if (this.body) {
        this.body.frameStart -= shift;
        this.body.bodyStart -= shift;
        this.body.searchedTo -= shift;
      }
    }
    this.data.set(chunk, this.end);
    this.end += chunk.length;
  }
}

/** Why a header line (or the part of it received so far) cannot be a header; undefined when it can. */
function headerLineProblem(data: Buffer, start: number, end: number, complete: boolean): string | undefined {
  let colon = -1;
  for (let i = start; i < end; i++) {
    const byte = data[i]!;
    if (colon === -1) {
      if (byte === COLON) {
        if (i === start) return 'a header line without a name before `:`';
        colon = i;
      } else if (!isTokenByte(byte)) return isPrintable(byte) ? 'a header line without `:`' : 'binary bytes where a header was expected';
    } else if (byte !== 0x09 && !isPrintable(byte)) {
      return 'control bytes in a header value';
    }
  }
  if (complete && colon === -1 && end > start) return 'a header line without `:`';
  return undefined;
}

/** HTTP token characters (RFC 9110), the only ones a header name may have. */
function isTokenByte(byte: number): boolean {
  return (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || "!#$%&'*+-.^_`|~".includes(String.fromCharCode(byte));
}

function isPrintable(byte: number): boolean {
  return byte >= 0x20 && byte < 0x7f;
}

/** The offset of the next frame start in [from, to), or -1. */
function findFrameStart(data: Buffer, from: number, to: number): number {
  if (to <= from) return -1;
  const match = FRAME_START.exec(data.toString('latin1', from, to));
  return match ? from + match.index : -1;
}

/** The message object of a body, or why it is none. */
function parseMessage(bytes: Buffer): object | string {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf-8'));
  } catch {
    return `a body that is not JSON (${bytes.length} bytes; a wrong Content-Length?)`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'a body that is JSON but not a JSON-RPC message object';
  return value;
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / 1024 / 1024} MiB` : `${bytes} bytes`;
}

/** After this many drop lines, only every REPORT_EVERY-th is written (a stream of garbage must not flood the log). */
const REPORT_FIRST = 100;
const REPORT_EVERY = 1000;

/** Reads frames from a byte stream with FrameDecoder; each drop is reported as one line. */
export class FrameReader extends AbstractMessageReader implements MessageReader {
  private readonly decoder: FrameDecoder;
  private drops = 0;

  constructor(
    private readonly stream: NodeJS.ReadableStream,
    private readonly report: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
    maxContentLength = MAX_CONTENT_LENGTH,
  ) {
    super();
    this.decoder = new FrameDecoder(maxContentLength);
  }

  listen(callback: DataCallback): Disposable {
    const onData = (chunk: Buffer | string): void => {
      const { messages, dropped } = this.decoder.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf-8') : chunk);
      for (const drop of dropped) this.reportDrop(drop);
      for (const message of messages) callback(message as Message);
    };
    const onError = (error: Error): void => this.fireError(error);
    const onClose = (): void => this.fireClose();
    this.stream.on('data', onData);
    this.stream.on('error', onError);
    this.stream.on('close', onClose);
    return Disposable.create(() => {
      this.stream.off('data', onData);
      this.stream.off('error', onError);
      this.stream.off('close', onClose);
    });
  }

  private reportDrop(drop: DroppedInput): void {
    this.drops++;
    if (this.drops > REPORT_FIRST && this.drops % REPORT_EVERY !== 0) return;
    const count = this.drops > REPORT_FIRST ? ` (${this.drops} drops so far; only every ${REPORT_EVERY}th is reported)` : '';
    this.report(`nixos-homelab language server: dropped ${drop.bytes} bytes of input: ${drop.reason}; reading on from the next Content-Length header${count}`);
  }
}
