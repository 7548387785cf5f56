// Line-by-line reading of a source, streamed: a 1 GB file is never held whole. Counts bytes so
// the caller can report progress against the file's size.
import fs from 'node:fs';
import readline from 'node:readline';
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
  const input = fs.createReadStream(source.path, { highWaterMark: 1 << 20 });
  input.on('data', (d) => (read += d.length));
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
