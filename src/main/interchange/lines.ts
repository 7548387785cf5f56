// Line-by-line reading of a source, streamed: a 1 GB file is never held whole. Counts bytes so
// the caller can report progress against the file's size.
import fs from 'node:fs';
import type { SourceLine } from './types.js';

export type ImportSource = { path: string } | { text: string };

export interface LineReader {
  lines: AsyncIterable<SourceLine>;
  /** UTF-8 bytes consumed so far (approximate while a line is in flight). */
  bytesRead(): number;
  totalBytes: number | null;
}

export async function openLines(source: ImportSource): Promise<LineReader> {
  if ('text' in source) {
    const totalBytes = Buffer.byteLength(source.text);
    return { lines: textLines(source.text), bytesRead: () => totalBytes, totalBytes };
  }
  const totalBytes = (await fs.promises.stat(source.path)).size;
  let read = 0;
  return { lines: fileLines(source.path, (n) => (read += n)), bytesRead: () => read, totalBytes };
}

const READ_BYTES = 1 << 20;
const NEWLINE = 0x0a;
const CR = 0x0d;

/**
 * Lines of a file read in 1 MB pieces, split on '\n' (a '\r' before it dropped) in the bytes
 * and decoded one line at a time: a UTF-8 character never contains the byte 0x0A, so no
 * character is cut. About twice as fast as node:readline, whose per-line events and
 * regular-expression split cost more than the JSON parse of a short line. A line longer than one
 * piece is gathered from its pieces and joined once.
 */
async function* fileLines(file: string, onBytes: (n: number) => void): AsyncGenerator<SourceLine> {
  const fh = await fs.promises.open(file, 'r');
  try {
    let no = 0;
    /** The start of a line begun in earlier pieces (copies: the read buffer is reused). */
    let pending: Buffer[] = [];
    const emit = (bytes: Buffer, start: number, end: number): SourceLine => {
      let text: string;
      if (pending.length > 0) {
        pending.push(bytes.subarray(start, end));
        text = Buffer.concat(pending).toString('utf8');
        pending = [];
      } else text = bytes.toString('utf8', start, end);
      if (text.charCodeAt(text.length - 1) === CR) text = text.slice(0, -1);
      no++;
      // A BOM on the first line is an editor's, not the data's.
      return { text: no === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, no };
    };
    const buf = Buffer.allocUnsafe(READ_BYTES);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, READ_BYTES, null);
      if (bytesRead === 0) break;
      onBytes(bytesRead);
      const data = buf.subarray(0, bytesRead);
      let start = 0;
      for (let nl = data.indexOf(NEWLINE, 0); nl >= 0; nl = data.indexOf(NEWLINE, start)) {
        yield emit(data, start, nl);
        start = nl + 1;
      }
      if (start < bytesRead) pending.push(Buffer.from(data.subarray(start)));
    }
    if (pending.length > 0) yield emit(Buffer.alloc(0), 0, 0);
  } finally {
    await fh.close();
  }
}

/**
 * Lines of a string already in memory (a file sent by the browser), without a stream: readline
 * over Readable.from(string) never yielded a line in the bundled host.
 */
async function* textLines(text: string): AsyncGenerator<SourceLine> {
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let no = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end);
    yield { text: line, no: ++no };
    start = end + 1;
  }
}

/** Each non-blank line parsed as JSON; a line that is not JSON is an error naming its number. */
export async function* jsonLines(
  lines: AsyncIterable<SourceLine>,
  fail: (no: number, message: string) => Error,
): AsyncGenerator<{ value: unknown; no: number }> {
  for await (const { text, no } of lines) {
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw fail(no, `not valid JSON (${(e as Error).message})`);
    }
    yield { value, no };
  }
}
