// Binds a service to its contract channels, VS Code ProxyChannel style: a method named like the
// channel's method serves it, so exposing one more is one more name in a list. The contract's
// types check that each bound method takes the channel's validated input and answers its output.
import type { ChannelInput, ChannelOutput, DomainName, Domains, RequestChannel } from '../../shared/ipc';
import type { HandlerResult, Handlers } from './dispatcher';

type MethodOf<D extends DomainName> = keyof Domains[D]['requests'] & string;
type Channel<D extends DomainName, M extends string> = Extract<`${D}.${M}`, RequestChannel>;
type Answer<C extends RequestChannel> = Promise<HandlerResult<ChannelOutput<C>>> | HandlerResult<ChannelOutput<C>>;
type Bound<D extends DomainName, M extends string> = { [K in M as Channel<D, K>]: Handlers[Channel<D, K>] };

/** Methods that take the channel's whole input: `service.list(input)`. */
export type Serves<D extends DomainName, M extends MethodOf<D>> = {
  [K in M]: (input: ChannelInput<Channel<D, K>>) => Answer<Channel<D, K>>;
};

/** Methods of `{ id }` channels that take the id itself: `service.get(id)`. */
export type ServesById<D extends DomainName, M extends MethodOf<D>> = {
  [K in M]: (id: string) => Answer<Channel<D, K>>;
};

function table(domain: string, methods: readonly string[], handler: (method: string) => (input: unknown) => unknown): Record<string, unknown> {
  return Object.fromEntries(methods.map((m) => [`${domain}.${m}`, handler(m)]));
}

export function bindService<D extends DomainName, M extends MethodOf<D>>(domain: D, service: Serves<D, M>, methods: readonly M[]): Bound<D, M> {
  // The mapped types above are what make this safe; the object is built by name.
  return table(domain, methods, (m) => (input) => (service[m as M] as (i: unknown) => unknown).call(service, input)) as Bound<D, M>;
}

export function bindById<D extends DomainName, M extends MethodOf<D>>(domain: D, service: ServesById<D, M>, methods: readonly M[]): Bound<D, M> {
  return table(domain, methods, (m) => (input) => (service[m as M] as (id: string) => unknown).call(service, (input as { id: string }).id)) as Bound<D, M>;
}
