export * from './types.js';
export { splitStatements, SqlSplitError } from './splitter.js';
export { parseMigration, loadMigrations, checksumOf, normaliseText, MIGRATION_FILE_RE } from './parse.js';
export { schemaFingerprint, schemaObjects, MIGRATOR_TABLES } from './fingerprint.js';
export {
  takeBackup,
  listBackups,
  backupDirFor,
  pruneBackups,
  restoreBackup,
  verifyBackup,
  cleanBackupLeftovers,
  DEFAULT_KEEP_BACKUPS,
  type BackupKind,
} from './backup.js';
export { readMigrationsDir } from './sources.js';
export {
  Migrator,
  MIGRATION_BUSY_TIMEOUT_MS,
  type MigratorOptions,
  type MigrateOptions,
  type RollbackOptions,
  type RepairResult,
} from './migrator.js';
