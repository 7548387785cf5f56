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
import { consoleLogger, errorToEnvelope, validationFailure, type IpcLogger } from './errors';
import { exceedsDepth } from './payload-guard';

/** One handler per contract channel, receiving validated input (defaults applied). */
export type Handlers = {
  [C in RequestChannel]: (input: ChannelInput<C>) => Promise<ChannelOutput<C>> | ChannelOutput<C>;
};

export interface DispatchContext {
  handlers: Handlers;
  logger?: IpcLogger;
  /** Serialized size of the payload when the transport knows it (WebSocket frames). */
  payloadBytes?: number;
}

export type Dispatch = (channel: unknown, payload: unknown, options?: { payloadBytes?: number }) => Promise<Envelope>;

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
    return ok(data === undefined ? null : data);
  } catch (error) {
    return errorToEnvelope(error, channel, logger);
  }
}

/** Binds handlers once; the hosts call the result with whatever arrived. */
export function createDispatch(handlers: Handlers, logger: IpcLogger = consoleLogger): Dispatch {
  return (channel, payload, options = {}) =>
    dispatch(channel, payload, { handlers, logger, ...(options.payloadBytes === undefined ? {} : { payloadBytes: options.payloadBytes }) });
}
