// The session log store: reads (LogsRepository), the live write path (LogWriter) and the
// start-up recovery sweep.

export { LogsRepository, SNIPPET_MATCH_START, SNIPPET_MATCH_END, MAX_PAGE_SIZE, MAX_DEPTH, importLogNodeSchema, toFtsQuery } from './repository.js';
export type { ImportLogNode, ImportOptions, ImportResult, LogLocation, LogPageOptions, LogSearchFilters, LogSearchHit, LogSearchPageQuery, LogSearchQuery } from './repository.js';
export { LogWriter, DEFAULT_FLUSH_INTERVAL_MS, DEFAULT_MAX_BUFFER_BYTES } from './writer.js';
export type { FinishNodeInput, LogCommit, LogDelta, LogWriterEvents, LogWriterOptions, LogWriterStats, StartNodeInput, ToolLogStatus } from './writer.js';
export { openWorkerConnection, type WriterConnection } from './worker-connection.js';
export { recoverInterrupted, type RecoveryResult } from './recovery.js';
export { LogsError, type LogsErrorCode } from './errors.js';
export { LOG_ROLES, OPEN_LOG_STATUSES, FINAL_LOG_STATUSES, TOOL_LOG_STATUSES, type LogRole } from './validation.js';
export { StreamedSessionImport, type SessionFinish, type SessionSourceRecord, type StreamChunk, type StreamNode } from './stream-import.js';
export { openSessionLogReader, type LogPageWithChunks, type SessionLogReader } from './stream-export.js';
