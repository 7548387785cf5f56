// A streaming node's delta timing, packed as the writer accepts each delta, in log_timings' own
// format (spans.ts: two unsigned LEB128 varints per delta, its UTF-8 length and its at_ms step).
// When the node ends, its batch hands the packed timing to the fold (fold.ts) instead of asking
// SQLite to rebuild it from the chunk rows: measured side by side against the writer before the
// fold existed, the SQL rebuild (a window over the rows, a printf per varint, the rows inserted
// and then deleted) made the worker's CPU time 1.3–1.6× what it was.

import { Buffer } from 'node:buffer';
import type { LogKind } from '../../../shared/domain.js';
import { MAX_VARINT } from '../spans.js';
import { isWellFormed } from './surrogates.js';

/**
 * What the fold of one node needs from the writer: every delta's length and step, packed; 'sql'
 * when the writer could not pack them (see OpenNode.timing) and the SQL fold rebuilds them.
 */
export interface FoldTiming {
  /** Deltas the node received (all of them: chunk seqs 0..count-1). */
  count: number;
  /** Sum of their UTF-8 lengths. */
  bytes: number;
  /** The packed varints, as hex text (it travels inside a JSON parameter). */
  hex: string;
}

export type NodeFold = FoldTiming | 'sql';

/** A node this writer started and has not finished. */
export interface OpenNode {
  sessionId: string;
  kind: LogKind;
  startPerf: number;
  startEpoch: number;
  nextChunk: number;
  /** Accepts deltas (status is 'streaming'). */
  streaming: boolean;
  /** The high half of a surrogate pair that ended the last delta, waiting for its low half (surrogates.ts). */
  heldHalf: string;
  /**
   * Its deltas' timing so far; null once one could not be packed exactly (a time step back, a
   * value past MAX_VARINT, or text that is not well-formed UTF-16, whose UTF-8 length SQLite and
   * Node may count differently). Such a node's chunks take the SQL fold (spans.ts) instead.
   */
  timing: TimingPacker | null;
}


export class TimingPacker {
  private buf = new Uint8Array(64);
  private len = 0;
  private count = 0;
  private bytes = 0;
  private lastAtMs = 0;

  /** Adds one delta; false when it cannot be packed exactly (the node then keeps no packer). */
  push(text: string, atMs: number): boolean {
    const dt = atMs - this.lastAtMs;
    if (dt < 0 || !isWellFormed(text)) return false;
    const size = Buffer.byteLength(text, 'utf8');
    if (size > MAX_VARINT || dt > MAX_VARINT) return false;
    this.varint(size);
    this.varint(dt);
    this.lastAtMs = atMs;
    this.count++;
    this.bytes += size;
    return true;
  }

  /** The timing of every delta pushed, or null when there were none (nothing to fold). */
  result(): FoldTiming | null {
    if (this.count === 0) return null;
    return { count: this.count, bytes: this.bytes, hex: Buffer.from(this.buf.buffer, 0, this.len).toString('hex') };
  }

  private varint(v: number): void {
    if (this.len + 8 > this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2);
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
    }
    // Division, not >>: values reach 2^49, past 32-bit shifts.
    while (v >= 128) {
      this.buf[this.len++] = (v % 128) | 128;
      v = Math.floor(v / 128);
    }
    this.buf[this.len++] = v;
  }
}

/**
 * What a node leaving 'streaming' hands its batch: its packed timing, 'sql' when it could not be
 * packed, undefined when it had no deltas (nothing to fold).
 */
export function foldOf(node: OpenNode): NodeFold | undefined {
  if (node.timing === null) return node.nextChunk > 0 ? 'sql' : undefined;
  return node.timing.result() ?? undefined;
}
