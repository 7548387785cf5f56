// The shape of a placed batch, apart from placement.ts so the statements built from it
// (statements.ts) need not import the code that places it.
import type { LogNode } from '../../../shared/domain.js';

export interface Place {
  sessionId: string;
  path: string;
  depth: number;
  nextChild: number;
}

/** Where a buffer's new nodes go, as placed for its batch. */
export interface Placed {
  rows: unknown[][];
  inserted: LogNode[];
  places: Map<string, Place>;
  rootNext: Map<string, number>;
  dropped: Set<string>;
  /** Sessions the database says do not exist (their nodes are in `dropped`). */
  missingSessions: Set<string>;
  /** What was dropped or changed, reported once the batch is really sent (see the pipeline's reportPlacement). */
  problems: string[];
}
