// Where an export writes: a file stream fed in pieces of about 1 MB, waiting for the disk when
// the stream's buffer is full, so an export never holds more than a page and a piece in memory.
import fs from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';

const PIECE = 1 << 20;

export class TextOut {
  #parts: string[] = [];
  #pending = 0;
  #bytes = 0;
  readonly #stream: Writable;

  constructor(stream: Writable) {
    this.#stream = stream;
  }

  static toFile(file: string): TextOut {
    return new TextOut(fs.createWriteStream(file, { flags: 'wx' }));
  }

  /** Characters written so far (bytes for ASCII; progress only). */
  get written(): number {
    return this.#bytes + this.#pending;
  }

  write(text: string): Promise<void> | undefined {
    this.#parts.push(text);
    this.#pending += text.length;
    return this.#pending >= PIECE ? this.flush() : undefined;
  }

  async flush(): Promise<void> {
    if (this.#parts.length === 0) return;
    const piece = this.#parts.join('');
    this.#parts = [];
    this.#bytes += this.#pending;
    this.#pending = 0;
    if (!this.#stream.write(piece)) await once(this.#stream, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) => this.#stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }

  /** Copies a readable (a spool file) into the output, after what was written so far. */
  async pipeFrom(input: NodeJS.ReadableStream): Promise<void> {
    await this.flush();
    for await (const piece of input) {
      const buf = piece as Buffer;
      this.#bytes += buf.length;
      if (!this.#stream.write(buf)) await once(this.#stream, 'drain');
    }
  }

  destroy(): void {
    this.#stream.destroy();
  }
}
