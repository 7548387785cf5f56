// Read side of session logs for the UI, plus the translation of the log writer's commits into
// the contract's push events (text deltas included, so a view grows a streaming message).
import type { LogChunk, LogNode, Page } from '../../shared/domain';
import { PaddockError, type ChannelInput, type LogLocation, type LogNodeUpdate, type LogSearchHit, type LogWhole } from '../../shared/ipc';
import type { EventBus } from '../ipc/events';
import type { LogCommit, LogsRepository } from '../logs';
import type { RawJson } from '../raw-json';

export class LogsService {
  readonly #logs: LogsRepository;

  constructor(logs: LogsRepository) {
    this.#logs = logs;
  }

  // tree and page answer as JSON text (the biggest answers; see RawJson): the dispatcher parses
  // it for Electron IPC, the browser host sends it untouched.
  tree(sessionId: string): Promise<RawJson<LogNode[]>> {
    return this.#logs.treeJson(sessionId);
  }

  page(input: ChannelInput<'logs.page'>): Promise<RawJson<Page<LogNode>>> {
    return this.#logs.pageJson(input.sessionId, { limit: input.limit, cursor: input.cursor ?? null });
  }

  whole(input: ChannelInput<'logs.whole'>): Promise<RawJson<LogWhole>> {
    return this.#logs.wholeJson(input.sessionId, { maxNodes: input.maxNodes, maxBytes: input.maxBytes });
  }

  children(input: ChannelInput<'logs.children'>): Promise<LogNode[]> {
    const parent = input.parentId ?? { sessionId: input.sessionId, parentId: null };
    return this.#logs.children(parent, {
      ...(input.afterSeq === undefined ? {} : { afterSeq: input.afterSeq }),
      ...(input.limit === undefined ? {} : { limit: input.limit }),
    });
  }

  search(input: ChannelInput<'logs.search'>): Promise<LogSearchHit[]> {
    return this.#logs.search({
      query: input.query,
      ...(input.sessionId ? { sessionId: input.sessionId } : {}),
      limit: input.limit,
      order: input.order,
    });
  }

  searchPage(input: ChannelInput<'logs.searchPage'>): Promise<Page<LogSearchHit>> {
    const { cursor, sessionId, agentId, kinds, from, to, ...rest } = input;
    return this.#logs.searchPage({
      ...rest,
      cursor: cursor ?? null,
      ...(sessionId === undefined ? {} : { sessionId }),
      ...(agentId === undefined ? {} : { agentId }),
      ...(kinds === undefined ? {} : { kinds }),
      ...(from === undefined ? {} : { from }),
      ...(to === undefined ? {} : { to }),
    });
  }

  async locate(id: string): Promise<LogLocation> {
    const location = await this.#logs.locate(id);
    if (!location) throw new PaddockError('NOT_FOUND', `Log node ${id} not found`);
    return location;
  }

  async get(id: string): Promise<LogNode> {
    const node = await this.#logs.get(id);
    if (!node) throw new PaddockError('NOT_FOUND', `Log node ${id} not found`);
    return node;
  }

  count(sessionId: string): Promise<number> {
    return this.#logs.count(sessionId);
  }

  chunks(nodeId: string): Promise<LogChunk[]> {
    return this.#logs.chunks(nodeId);
  }
}

/**
 * Publishes one writer commit as events, per session and in the writer's order: new nodes
 * (`logs.appended`), then appended text and replaced snapshots (`logs.updated`).
 */
export function publishLogCommit(events: EventBus, commit: LogCommit): void {
  const appended = new Map<string, LogNode[]>();
  for (const node of commit.inserted) {
    let list = appended.get(node.sessionId);
    if (!list) appended.set(node.sessionId, (list = []));
    list.push(node);
  }
  for (const [sessionId, nodes] of appended) events.emit('logs.appended', { sessionId, nodes });

  const updates = new Map<string, LogNodeUpdate[]>();
  const push = (sessionId: string, update: LogNodeUpdate) => {
    let list = updates.get(sessionId);
    if (!list) updates.set(sessionId, (list = []));
    list.push(update);
  };
  for (const delta of commit.deltas) push(delta.sessionId, { nodeId: delta.nodeId, textDelta: delta.text });
  for (const node of commit.updated) {
    const { id, sessionId, ...changes } = node;
    push(sessionId, { nodeId: id, changes });
  }
  for (const [sessionId, list] of updates) events.emit('logs.updated', { sessionId, updates: list });
}
