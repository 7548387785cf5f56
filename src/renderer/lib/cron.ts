// Schedule validation for the agent editor: croner parses the expression (5 or 6 fields,
// nicknames like @daily) and tells when it would next run.
import { Cron } from 'croner';

export type CronCheck = { ok: true; next: Date | null } | { ok: false; message: string };

export function checkCron(expression: string, from: Date = new Date()): CronCheck {
  const trimmed = expression.trim();
  if (trimmed === '') return { ok: false, message: 'Enter a cron expression, or clear the schedule.' };
  try {
    const job = new Cron(trimmed, { paused: true });
    const next = job.nextRun(from);
    job.stop();
    return { ok: true, next };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `Not a valid cron expression: ${detail}` };
  }
}
