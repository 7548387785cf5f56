// What every export module implements: a header, then the session's pages in tree order (each
// page's nodes with their chunks), then a footer. Modules keep only what a page needs.
import type { AgentVersion, Session } from '../../../shared/domain.js';
import type { LogPageWithChunks } from '../../logs/stream-export.js';
import type { TextOut } from './out.js';

export interface ExportHeader {
  session: Session;
  agentName: string;
  pinnedVersion: AgentVersion;
  exportedAt: string;
  /** Node count (from the same snapshot as the pages). */
  total: number;
}

export interface SessionExporter {
  begin(h: ExportHeader, out: TextOut): Promise<void> | void;
  page(p: LogPageWithChunks, out: TextOut): Promise<void> | void;
  end(out: TextOut): Promise<void> | void;
}
