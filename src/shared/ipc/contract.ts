// The one IPC contract: every domain's request and event channels, aggregated. To add a
// domain, write src/shared/ipc/channels/<domain>.ts with defineDomain(...) and add one line
// to `domains` below; channel names ("<domain>.<method>"), the main-side dispatcher, both
// transports and the PaddockApi type follow from it.
import type { z } from 'zod';
import { agentsDomain } from './channels/agents';
import { appDomain } from './channels/app';
import { dbDomain } from './channels/db';
import { interchangeDomain } from './channels/interchange';
import { logsDomain } from './channels/logs';
import { providersDomain } from './channels/providers';
import { budgetsDomain } from './channels/budgets';
import { rulesDomain } from './channels/rules';
import { schedulesDomain } from './channels/schedules';
import { runtimeDomain } from './channels/runtime';
import { sessionsDomain } from './channels/sessions';
import { traceDomain } from './channels/trace';
import { storageDomain } from './channels/storage';
import type { EventDef, RequestDef } from './define';

export const domains = {
  agents: agentsDomain,
  sessions: sessionsDomain,
  logs: logsDomain,
  db: dbDomain,
  app: appDomain,
  providers: providersDomain,
  runtime: runtimeDomain,
  trace: traceDomain,
  storage: storageDomain,
  interchange: interchangeDomain,
  rules: rulesDomain,
  schedules: schedulesDomain,
  budgets: budgetsDomain,
} as const;

export type Domains = typeof domains;
export type DomainName = keyof Domains & string;

type RequestsOf<D extends DomainName> = Domains[D]['requests'];
type EventsOf<D extends DomainName> = Domains[D]['events'];

export type RequestChannel = { [D in DomainName]: `${D}.${keyof RequestsOf<D> & string}` }[DomainName];
export type EventChannel = { [D in DomainName]: `${D}.${keyof EventsOf<D> & string}` }[DomainName];

type RequestDefOf<C extends RequestChannel> = C extends `${infer D extends DomainName}.${infer M}`
  ? M extends keyof RequestsOf<D>
    ? RequestsOf<D>[M]
    : never
  : never;
type EventDefOf<E extends EventChannel> = E extends `${infer D extends DomainName}.${infer M}`
  ? M extends keyof EventsOf<D>
    ? EventsOf<D>[M]
    : never
  : never;

/** What a caller passes (defaults not yet applied). */
export type ChannelParams<C extends RequestChannel> = RequestDefOf<C> extends RequestDef<infer I> ? z.input<I> : never;
/** What main's handler receives after validation (defaults applied). */
export type ChannelInput<C extends RequestChannel> = RequestDefOf<C> extends RequestDef<infer I> ? z.output<I> : never;
export type ChannelOutput<C extends RequestChannel> = RequestDefOf<C> extends RequestDef<z.ZodType, infer O> ? O : never;
export type EventPayload<E extends EventChannel> = EventDefOf<E> extends EventDef<infer P> ? z.output<P> : never;

function collect<T>(pick: (domain: DomainDefLike) => Record<string, T>): Map<string, T> {
  const map = new Map<string, T>();
  for (const [domain, def] of Object.entries(domains)) {
    for (const [method, channel] of Object.entries(pick(def))) map.set(`${domain}.${method}`, channel);
  }
  return map;
}

type DomainDefLike = { readonly requests: Record<string, RequestDef>; readonly events: Record<string, EventDef> };

// Maps, not object lookups, so a channel named "__proto__" or "constructor" is simply unknown.
const requestDefs = collect<RequestDef>((d) => d.requests);
const eventDefs = collect<EventDef>((d) => d.events);

export const REQUEST_CHANNELS = [...requestDefs.keys()] as RequestChannel[];
export const EVENT_CHANNELS = [...eventDefs.keys()] as EventChannel[];

export function isRequestChannel(value: unknown): value is RequestChannel {
  return typeof value === 'string' && requestDefs.has(value);
}

export function isEventChannel(value: unknown): value is EventChannel {
  return typeof value === 'string' && eventDefs.has(value);
}

export function getRequestDef(channel: RequestChannel): RequestDef {
  const def = requestDefs.get(channel);
  if (!def) throw new Error(`Unknown channel ${channel}`);
  return def;
}

export function getEventDef(event: EventChannel): EventDef {
  const def = eventDefs.get(event);
  if (!def) throw new Error(`Unknown event ${event}`);
  return def;
}
