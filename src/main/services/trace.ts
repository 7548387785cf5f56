// Inspection queries beyond the log tree: usage aggregates for the dashboard and a session's
// recorded log with chunk timings for replay (read as stored; nothing is asked of a model).
import type { ChannelInput, ReplayLog, UsageReport } from '../../shared/ipc';
import type { LogsRepository } from '../logs';
import type { UsageRepository } from '../repositories';

export class TraceService {
  readonly #usage: UsageRepository;
  readonly #logs: LogsRepository;

  constructor(deps: { usage: UsageRepository; logs: LogsRepository }) {
    this.#usage = deps.usage;
    this.#logs = deps.logs;
  }

  usage(input: ChannelInput<'trace.usage'>): Promise<UsageReport> {
    return this.#usage.report({ from: input.from, to: input.to });
  }

  replay(input: ChannelInput<'trace.replay'>): Promise<ReplayLog> {
    return this.#logs.sessionLog(input.sessionId);
  }
}
