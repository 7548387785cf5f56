-- Storage care settings (docs/storage.md): how many days the trash keeps sessions before it
-- empties itself, whether Paddock backs up daily, and when it last did. One row (id = 1),
-- created with the defaults: the trash empties after 30 days, no daily backup.

-- migrate:up
CREATE TABLE storage_settings (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  trash_days INTEGER CHECK (trash_days IS NULL OR (trash_days >= 1 AND trash_days <= 3650)),
  daily_backup INTEGER NOT NULL DEFAULT 0 CHECK (daily_backup IN (0, 1)),
  last_daily_backup_at TEXT CHECK (last_daily_backup_at IS NULL OR strftime('%Y-%m-%dT%H:%M:%fZ', last_daily_backup_at) = last_daily_backup_at)
) STRICT;
INSERT INTO storage_settings (id, trash_days, daily_backup) VALUES (1, 30, 0);

-- migrate:down
DROP TABLE storage_settings;
