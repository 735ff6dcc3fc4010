import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { FrameDecoder, FrameReader, MAX_HEADER_BYTES } from '../../../src/server/frameReader';

const message = (id: number): object => ({ jsonrpc: '2.0', id, method: 'shutdown' });
const frame = (value: object, length?: number | string): Buffer => {
  const body = Buffer.from(JSON.stringify(value), 'utf-8');
  return Buffer.concat([Buffer.from(`Content-Length: ${length ?? body.length}\r\n\r\n`, 'ascii'), body]);
};
const good = frame(message(99));

/** Decodes `input` in one push and again byte by byte (a frame split anywhere must read the same). */
function decode(input: Buffer): { ids: unknown[]; dropped: number } {
  const whole = new FrameDecoder(1024 * 1024);
  const once = whole.push(input);
  const split = new FrameDecoder(1024 * 1024);
  const byByte = { messages: [] as object[], dropped: [] as unknown[] };
  for (let i = 0; i < input.length; i++) {
    const out = split.push(input.subarray(i, i + 1));
    byByte.messages.push(...out.messages);
    byByte.dropped.push(...out.dropped);
  }
  const ids = once.messages.map((m) => (m as { id: unknown }).id);
  assert.deepEqual(byByte.messages.map((m) => (m as { id: unknown }).id), ids, 'byte by byte reads the same messages');
  return { ids, dropped: once.dropped.length };
}

const badFrames: [string, Buffer][] = [
  ['Content-Length too small', frame(message(1), 20)],
  ['Content-Length too large', frame(message(1), 400)],
  ['Content-Length too large by a few bytes (cuts the next header)', frame(message(1), JSON.stringify(message(1)).length + 5)],
  ['negative Content-Length', frame(message(1), -5)],
  ['huge Content-Length', frame(message(1), '99999999999999999999')],
  ['Content-Length over the limit', Buffer.from(`Content-Length: ${1024 * 1024 + 1}\r\n\r\n{"jsonrpc":"2.0"}`)],
  ['missing Content-Length', Buffer.from('Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{"jsonrpc":"2.0","id":1,"method":"x"}')],
  ['non-numeric Content-Length', frame(message(1), 'abc')],
  ['empty Content-Length', frame(message(1), '')],
  ['fractional Content-Length', frame(message(1), '12.5')],
  ['hexadecimal Content-Length', frame(message(1), '0x20')],
  ['Content-Length with trailing text', frame(message(1), '37abc')],
  ['Content-Length 0', frame(message(1), 0)],
  ['header without a colon', Buffer.from('Content-Length 37\r\n\r\n{"jsonrpc":"2.0","id":1,"method":"x"}')],
  ['header name with a space', Buffer.from('Content Length: 37\r\n\r\n{"jsonrpc":"2.0","id":1,"method":"x"}')],
  ['lone CR line ends', Buffer.from('Content-Length: 37\r\r{"jsonrpc":"2.0","id":1,"method":"x"}')],
  ['binary garbage', Buffer.from([0, 255, 13, 10, 1, 2, 58, 13, 10, 13, 10, 200, 0, 7])],
  ['text without a line end', Buffer.from('hello')],
  ['a body that is not JSON', Buffer.from('Content-Length: 5\r\n\r\n{{{{{')],
  ['a body that is a JSON array', Buffer.from('Content-Length: 2\r\n\r\n[]')],
  ['two different Content-Length headers', Buffer.from('Content-Length: 37\r\nContent-Length: 38\r\n\r\n{"jsonrpc":"2.0","id":1,"method":"x"}')],
  ['a header block over the limit', Buffer.from(`X-Long: ${'a'.repeat(MAX_HEADER_BYTES + 10)}\r\nContent-Length: 37\r\n\r\n`)],
  ['invalid UTF-8 in the body', Buffer.concat([Buffer.from('Content-Length: 4\r\n\r\n'), Buffer.from([0xc3, 0x28, 0xa0, 0xa1])])],
  ['an empty header block', Buffer.from('\r\n\r\n')],
];

for (const [kind, bad] of badFrames) {
  test(`${kind}: dropped, and the next frame is read`, () => {
    const { ids, dropped } = decode(Buffer.concat([bad, good, frame(message(100))]));
    assert.ok(dropped >= 1, 'the bad input is reported');
    assert.deepEqual(ids, [99, 100], 'the bad frame is not read, the two after it are');
  });
}

test('good frames in one chunk, LF-only headers and extra headers are read', () => {
  const lfOnly = Buffer.from(`content-length: ${JSON.stringify(message(2)).length}\n\n${JSON.stringify(message(2))}`);
  const typed = Buffer.concat([Buffer.from('Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n'), frame(message(3))]);
  const unicode = frame({ jsonrpc: '2.0', id: 4, method: 'x', params: { text: 'ünïcode ✓ \u2028 Content-Length: 5\r\n' } });
  assert.deepEqual(decode(Buffer.concat([frame(message(1)), lfOnly, typed, unicode])), { ids: [1, 2, 3, 4], dropped: 0 });
});

test('a body that claims too much is given up as soon as the next header arrives, not when the bytes pile up', () => {
  const decoder = new FrameDecoder();
  assert.deepEqual(decoder.push(frame(message(1), 1_000_000)).messages, []);
  const out = decoder.push(good);
  assert.deepEqual(out.messages, [message(99)]);
  assert.match(out.dropped[0]?.reason ?? '', /larger than the message/);
});

test('skipped input is not kept: a huge bad frame costs no memory', () => {
  const decoder = new FrameDecoder(1024 * 1024);
  decoder.push(Buffer.from('Content-Length: 99999999999\r\n\r\n'));
  const junk = Buffer.alloc(64 * 1024, 'x');
  for (let i = 0; i < 200; i++) {
    decoder.push(junk);
    assert.ok(decoder.bufferedBytes <= 64, `buffered ${decoder.bufferedBytes}`);
  }
  const out = decoder.push(good);
  assert.deepEqual(out.messages, [message(99)]);
  assert.equal(out.dropped.length, 1);
  assert.ok(out.dropped[0]!.bytes > 200 * 64 * 1024);
});

test('a large good message split into many chunks is read whole', () => {
  const big = frame({ jsonrpc: '2.0', id: 5, method: 'x', params: { text: 'y'.repeat(3 * 1024 * 1024) } });
  const decoder = new FrameDecoder();
  const messages: object[] = [];
  for (let i = 0; i < big.length; i += 65536) messages.push(...decoder.push(big.subarray(i, i + 65536)).messages);
  assert.equal(messages.length, 1);
  assert.equal((messages[0] as { params: { text: string } }).params.text.length, 3 * 1024 * 1024);
});

test('the reader reports each drop as one line and delivers the messages', async () => {
  const stream = new PassThrough();
  const lines: string[] = [];
  const reader = new FrameReader(stream, (line) => lines.push(line));
  const received: unknown[] = [];
  reader.listen((msg) => received.push(msg));
  stream.write(Buffer.concat([Buffer.from('Content-Length: -1\r\n\r\n{}'), good]));
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(received, [message(99)]);
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /dropped \d+ bytes of input: Content-Length `-1` is not a number of bytes; reading on from the next Content-Length header/);
});
