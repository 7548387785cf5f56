// The shapes every format module speaks. An import module turns a file into a session header and
// a stream of nodes (parents always before their children, ids local to the file); an export
// module turns pages of stored nodes into text written to a stream.
import type { JsonValue } from '../../shared/domain.js';
import type { StreamNode } from '../logs/stream-import.js';

export const IMPORT_FORMATS = ['paddock', 'claude-code', 'codex', 'ag-ui', 'otlp'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export const EXPORT_FORMATS = ['markdown', 'ag-ui', 'otlp', 'paddock'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** One node as a format module produces it; the importer places it and gives it a stored id. */
export type ForeignNode = StreamNode;

/** What a file says about its session (filled in as it is read; final once the stream ends). */
export interface ForeignSession {
  /** The other tool's id for the session (dedupe and the record of where it came from). */
  sourceId: string | null;
  title: string | null;
  /** Anything about the session without a column: cwd, tool version, git branch, … */
  metadata: Record<string, JsonValue>;
}

/**
 * Yielded between nodes when no later node will have an earlier one as its parent (a turn is
 * over): the importer then forgets their places, so memory stays bounded by one turn.
 */
export const TURN_END = Symbol('turn end');
export type TurnEnd = typeof TURN_END;

/** A parsed file: the session header, completed while `nodes` is consumed. */
export interface ForeignTranscript {
  session: ForeignSession;
  nodes: AsyncIterable<ForeignNode | TurnEnd>;
}

/** One line of a text source, numbered from 1. */
export interface SourceLine {
  text: string;
  no: number;
}

export interface Progress {
  phase: 'reading' | 'writing' | 'done';
  /** Nodes read or written so far. */
  nodes: number;
  /** Bytes of the source read so far (imports) or written (exports). */
  bytes: number;
  /** Source size in bytes when known (imports), else null. */
  totalBytes: number | null;
  /** Nodes to write when known (exports), else absent. */
  totalNodes?: number | null;
}
