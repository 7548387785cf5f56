// Storage care (docs/storage.md): the self-check at launch and in the background, guided repair,
// retention rules with a preview, backups (list, back up now, verify, look inside, restore) and
// their settings.
import { z } from 'zod';
import { defineDomain, event, request, returns } from '../define';
import { idSchema, noInputSchema } from '../schemas';

/** What a problem found by the self-check lets the user do about it. */
export const STORAGE_REPAIRS = ['rebuild_index', 'remove_orphans', 'restore_backup', 'export_readable'] as const;
export type StorageRepair = (typeof STORAGE_REPAIRS)[number];

export interface StorageProblem {
  /** Stable code, e.g. 'schema_missing', 'fts_index', 'orphan_rows', 'integrity', 'span_range'. */
  code: string;
  /** What is wrong, in words for the user. */
  message: string;
  /** Repairs that address it, most useful first. */
  repairs: StorageRepair[];
}

export interface StorageHealth {
  /** 'attention': something is wrong (problems say what); 'checking': only the quick check has run. */
  state: 'ok' | 'checking' | 'attention';
  problems: StorageProblem[];
  /** How long the launch check took (ms). */
  quickMs: number;
  /** The background check: not yet run, running, or done (when). */
  deep: { state: 'pending' | 'running' | 'done'; finishedAt: string | null; ms: number | null };
}

export const RETENTION_STATES = ['trashed', 'archived', 'archived_or_trashed', 'ended'] as const;

export const retentionRuleSchema = z.strictObject({
  /** Which sessions: in the trash, archived, either, or any session that is not running. */
  state: z.enum(RETENTION_STATES),
  /** Last activity (updated_at; for the trash: moved there) at least this many days ago. */
  olderThanDays: z.number().int().min(0).max(36500).optional(),
  /** Only sessions whose log holds at least this many megabytes. */
  largerThanMb: z.number().min(0).max(1_000_000).optional(),
  /** Only this agent's sessions. */
  agentId: idSchema.optional(),
});
export type RetentionRule = z.output<typeof retentionRuleSchema>;

export interface RetentionPreview {
  sessions: number;
  nodes: number;
  /** Bytes of log text, arguments and results those sessions hold. */
  bytes: number;
  /** The first sessions that would go (newest activity first), to show by name. */
  examples: { id: string; name: string; agentName: string; updatedAt: string; bytes: number }[];
}

export interface RetentionResult extends Omit<RetentionPreview, 'examples'> {
  /** Bytes the database file gave back to the file system. */
  reclaimedBytes: number;
}

export interface StorageOverview {
  /** The database file, its WAL, and pages inside it that are free for reuse. */
  fileBytes: number;
  walBytes: number;
  freeBytes: number;
  /** 'incremental': deleted data is given back to the file system; otherwise compact() converts. */
  autoVacuum: 'none' | 'full' | 'incremental';
  /** Local file databases only: backups, restore and compaction need a file. */
  local: boolean;
  backupsDir: string | null;
}

export interface StorageSettings {
  /** The trash empties itself of sessions there longer than this; null: never. */
  trashDays: number | null;
  dailyBackup: boolean;
  lastDailyBackupAt: string | null;
}

export const storageSettingsSchema = z.strictObject({
  trashDays: z.number().int().min(1).max(3650).nullable(),
  dailyBackup: z.boolean(),
});

export interface BackupInfo {
  /** File name inside the backups folder (the handle for the other backup calls). */
  name: string;
  kind: 'manual' | 'daily' | 'pre-migration' | 'pre-restore' | 'other';
  createdAt: string;
  bytes: number;
  /** Paddock version that wrote it; null for backups made before Paddock recorded it. */
  appVersion: string | null;
  /** integrity_check passed ('ok'), failed, or has not been run on it yet. */
  verified: 'ok' | 'failed' | 'unknown';
}

export interface BackupContents {
  name: string;
  agents: { id: string; name: string; deleted: boolean }[];
  sessions: { id: string; name: string; agentName: string; status: string; updatedAt: string; nodes: number }[];
  providers: { name: string; kind: string }[];
}

/** A backup's file name: no folders, only what takeBackup() writes. */
const backupNameSchema = z.strictObject({ name: z.string().regex(/^[A-Za-z0-9._-]{1,200}\.bak$/, 'Expected a backup file name') });

export const storageDomain = defineDomain({
  requests: {
    health: request(noInputSchema, returns<StorageHealth>()),
    /** Runs the deep check now (integrity, full-text index, orphans); resolves with the result. */
    checkNow: request(noInputSchema, returns<StorageHealth>()),
    repair: request(z.strictObject({ action: z.enum(['rebuild_index', 'remove_orphans']) }), returns<StorageHealth>()),
    /** Saves every session that can still be read as Paddock JSON into a folder beside the database. */
    exportReadable: request(noInputSchema, returns<{ folder: string; sessions: number; failed: number }>()),
    overview: request(noInputSchema, returns<StorageOverview>()),
    /** Rewrites the file once (VACUUM) so that later deletions give space back. */
    compact: request(noInputSchema, returns<StorageOverview>()),
    settings: request(noInputSchema, returns<StorageSettings>()),
    saveSettings: request(storageSettingsSchema, returns<StorageSettings>()),
    retentionPreview: request(retentionRuleSchema, returns<RetentionPreview>()),
    retentionRun: request(retentionRuleSchema, returns<RetentionResult>()),
    backups: request(noInputSchema, returns<BackupInfo[]>()),
    backupNow: request(noInputSchema, returns<BackupInfo>()),
    verifyBackup: request(backupNameSchema, returns<BackupInfo>()),
    inspectBackup: request(backupNameSchema, returns<BackupContents>()),
    /**
     * Backs up the current state, then puts the backup in place: at once when the host can
     * reopen the database, else at the next start (restartRequired).
     */
    restoreBackup: request(backupNameSchema, returns<{ safetyBackup: string; restartRequired: boolean }>()),
  },
  events: {
    healthChanged: event(z.custom<StorageHealth>((v) => typeof v === 'object' && v !== null)),
    /** Retention progress: sessions deleted so far of the total. */
    retentionProgress: event(z.strictObject({ done: z.number().int().min(0), total: z.number().int().min(0) })),
  },
});

/** The request channels this file declares (the core serves them; see src/main/ipc/handlers.ts). */
export type StorageChannel = `storage.${keyof typeof storageDomain.requests & string}`;
