// The spans of an OTLP file, kept on disk instead of in memory. Spans arrive in any order (a
// span is written when it ends, so children usually come before their parent), so the tree can
// only be built once the whole file was read. Each span is appended as one JSON line to a temp
// file as it is read; memory keeps only numbers per span (where its line is, its parent, start
// and sibling key) plus one map of span ids. The walk then reads each span back by its offset,
// in tree order. The temp folder is removed when the store is closed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The fields of a span the tree needs before its body is read. */
export interface SpanKeys {
  spanId: string;
  parentSpanId: string | null;
  /** Start, epoch ms (canonical timestamps sort the same way as their ms). */
  startMs: number;
  /** Sibling order Paddock wrote (paddock.node seq), when the span has one. */
  seq: number | null;
}

const WRITE_BYTES = 1 << 20;

export class SpanSpill<T> {
  readonly #dir: string;
  readonly #fd: number;
  #pending: string[] = [];
  #pendingBytes = 0;
  #written = 0;
  readonly #offset: number[] = [];
  readonly #length: number[] = [];
  readonly #startMs: number[] = [];
  readonly #seq: number[] = [];
  /** Span id -> a small number, given at first sight (as a span or as someone's parent). */
  readonly #ids = new Map<string, number>();
  /** Per span: its own id number and its parent's (-1: none). */
  readonly #own: number[] = [];
  readonly #parent: number[] = [];

  constructor() {
    this.#dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-otlp-'));
    this.#fd = fs.openSync(path.join(this.#dir, 'spans.jsonl'), 'w+');
  }

  /** The temp folder (removed by close()). */
  get dir(): string {
    return this.#dir;
  }

  get size(): number {
    return this.#own.length;
  }

  #idNum(id: string): number {
    let n = this.#ids.get(id);
    if (n === undefined) this.#ids.set(id, (n = this.#ids.size));
    return n;
  }

  add(keys: SpanKeys, body: T): void {
    const text = JSON.stringify(body);
    const bytes = Buffer.byteLength(text);
    this.#offset.push(this.#written + this.#pendingBytes);
    this.#length.push(bytes);
    this.#startMs.push(keys.startMs);
    this.#seq.push(keys.seq ?? Number.NaN);
    this.#own.push(this.#idNum(keys.spanId));
    this.#parent.push(keys.parentSpanId === null ? -1 : this.#idNum(keys.parentSpanId));
    this.#pending.push(text);
    this.#pendingBytes += bytes;
    if (this.#pendingBytes >= WRITE_BYTES) this.#flush();
  }

  #flush(): void {
    if (this.#pending.length === 0) return;
    const buf = Buffer.from(this.#pending.join(''));
    fs.writeSync(this.#fd, buf, 0, buf.length, this.#written);
    this.#written += buf.length;
    this.#pending = [];
    this.#pendingBytes = 0;
  }

  /**
   * The roots (spans whose parent is not in the file) and each span's children, in sibling order:
   * by start then file order; under a span Paddock wrote (it has a seq) by seq, else start.
   */
  index(): { roots: number[]; children: (i: number) => number[] } {
    this.#flush();
    // The first span with an id is the one its children hang under.
    const spanOf = new Int32Array(this.#ids.size).fill(-1);
    this.#own.forEach((idn, i) => {
      if (spanOf[idn] === -1) spanOf[idn] = i;
    });
    this.#ids.clear();
    const kids = new Map<number, number[]>();
    const roots: number[] = [];
    this.#parent.forEach((p, i) => {
      const ps = p < 0 ? -1 : spanOf[p]!;
      if (ps < 0 || ps === i) return void roots.push(i);
      let l = kids.get(ps);
      if (!l) kids.set(ps, (l = []));
      l.push(i);
    });
    const byStart = (a: number, b: number) => this.#startMs[a]! - this.#startMs[b]! || a - b;
    const bySeq = (a: number, b: number) => this.seqKey(a) - this.seqKey(b) || a - b;
    roots.sort(byStart);
    for (const [p, l] of kids) l.sort(Number.isNaN(this.#seq[p]!) ? byStart : bySeq);
    return { roots, children: (i) => kids.get(i) ?? [] };
  }

  /** The sibling key of span i under a span Paddock wrote (its seq, else its start). */
  seqKey(i: number): number {
    return Number.isNaN(this.#seq[i]!) ? this.#startMs[i]! : this.#seq[i]!;
  }

  read(i: number): T {
    const buf = Buffer.allocUnsafe(this.#length[i]!);
    fs.readSync(this.#fd, buf, 0, buf.length, this.#offset[i]!);
    return JSON.parse(buf.toString('utf8')) as T;
  }

  close(): void {
    try {
      fs.closeSync(this.#fd);
    } catch {
      // already closed
    }
    fs.rmSync(this.#dir, { recursive: true, force: true });
  }
}
