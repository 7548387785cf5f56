// Line-by-line reading of a source, streamed: a 1 GB file is never held whole. Counts bytes so
// the caller can report progress against the file's size.
import fs from 'node:fs';
import readline from 'node:readline';
import { Readable } from 'node:stream';
import type { SourceLine } from './types.js';

export type ImportSource = { path: string } | { text: string };

export interface LineReader {
  lines: AsyncIterable<SourceLine>;
  /** UTF-8 bytes consumed so far (approximate while a line is in flight). */
  bytesRead(): number;
  totalBytes: number | null;
}

export async function openLines(source: ImportSource): Promise<LineReader> {
  let read = 0;
  let totalBytes: number | null;
  let input: Readable;
  if ('path' in source) {
    totalBytes = (await fs.promises.stat(source.path)).size;
    const stream = fs.createReadStream(source.path, { highWaterMark: 1 << 20 });
    stream.on('data', (d) => (read += d.length));
    input = stream;
  } else {
    totalBytes = Buffer.byteLength(source.text);
    input = Readable.from([source.text]);
    read = totalBytes;
  }
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  async function* numbered(): AsyncGenerator<SourceLine> {
    let no = 0;
    try {
      for await (const text of rl) {
        no++;
        // A BOM on the first line is an editor's, not the data's.
        yield { text: no === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, no };
      }
    } finally {
      rl.close();
      input.destroy();
    }
  }
  return { lines: numbered(), bytesRead: () => read, totalBytes };
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
