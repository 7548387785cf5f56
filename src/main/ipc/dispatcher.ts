// The one entry point for contract calls, shared by the Electron and browser hosts: unknown
// channel, oversized or malformed payload, thrown error — each becomes a typed envelope, and
// nothing a renderer sends can make it throw.
import {
  DEFAULT_MAX_PAYLOAD_BYTES,
  fail,
  getRequestDef,
  isRequestChannel,
  ok,
  type ChannelInput,
  type ChannelOutput,
  type Envelope,
  type RequestChannel,
} from '../../shared/ipc';
import { RawJson } from '../raw-json';
import { consoleLogger, errorToEnvelope, validationFailure, type IpcLogger } from './errors';
import { exceedsDepth } from './payload-guard';

/** What a handler may answer: the value, or the value as JSON text (RawJson). */
export type HandlerResult<T> = T | RawJson<T>;

/** One handler per contract channel, receiving validated input (defaults applied). */
export type Handlers = {
  [C in RequestChannel]: (input: ChannelInput<C>) => Promise<HandlerResult<ChannelOutput<C>>> | HandlerResult<ChannelOutput<C>>;
};

export interface DispatchOptions {
  /** Serialized size of the payload when the transport knows it (WebSocket frames). */
  payloadBytes?: number;
  /**
   * The transport serialises answers itself and splices RawJson text into its frame: a
   * successful envelope's data may then be a RawJson. Otherwise RawJson is parsed here, so
   * every other caller (Electron IPC, tests, scripts) sees plain values.
   */
  rawJson?: boolean;
}

export interface DispatchContext {
  handlers: Handlers;
  logger?: IpcLogger;
  payloadBytes?: number;
  rawJson?: boolean;
}

export type Dispatch = (channel: unknown, payload: unknown, options?: DispatchOptions) => Promise<Envelope>;

export async function dispatch(channel: unknown, payload: unknown, ctx: DispatchContext): Promise<Envelope> {
  const logger = ctx.logger ?? consoleLogger;
  if (!isRequestChannel(channel)) {
    const shown = typeof channel === 'string' ? JSON.stringify(channel.slice(0, 100)) : typeof channel;
    return fail('VALIDATION', `Unknown channel ${shown}`, { reason: 'UNKNOWN_CHANNEL' });
  }
  const def = getRequestDef(channel);
  const limit = def.maxBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  if (ctx.payloadBytes !== undefined && ctx.payloadBytes > limit) {
    return fail('VALIDATION', `The request for ${channel} is larger than ${limit} bytes`, {
      reason: 'PAYLOAD_TOO_LARGE',
      limit,
      size: ctx.payloadBytes,
    });
  }
  if (exceedsDepth(payload)) {
    return fail('VALIDATION', `The request for ${channel} is nested too deeply`, { reason: 'TOO_DEEP' });
  }
  try {
    const parsed = def.input.safeParse(payload);
    if (!parsed.success) return validationFailure(parsed.error, `input for ${channel}`);
    const handler = ctx.handlers[channel] as (input: unknown) => unknown;
    if (typeof handler !== 'function') {
      logger.error(`${channel} has no handler`);
      return fail('INTERNAL', `${channel} is not available in this build`);
    }
    const data = await handler(parsed.data);
    if (data instanceof RawJson) return ok(ctx.rawJson ? data : data.parse());
    return ok(data === undefined ? null : data);
  } catch (error) {
    return errorToEnvelope(error, channel, logger);
  }
}

/** Binds handlers once; the hosts call the result with whatever arrived. */
export function createDispatch(handlers: Handlers, logger: IpcLogger = consoleLogger): Dispatch {
  return (channel, payload, options = {}) =>
    dispatch(channel, payload, {
      handlers,
      logger,
      ...(options.payloadBytes === undefined ? {} : { payloadBytes: options.payloadBytes }),
      ...(options.rawJson ? { rawJson: true } : {}),
    });
}
