import { z } from 'zod';
import { defineDomain, event, request, returns } from '../define';
import { idSchema, noInputSchema } from '../schemas';

export interface AppInfo {
  name: string;
  version: string;
  /** Which host serves this window. */
  host: 'electron' | 'browser';
  platform: string;
  dataDir: string | null;
  versions: Record<string, string>;
}

export const appDomain = defineDomain({
  requests: {
    info: request(noInputSchema, returns<AppInfo>()),
    /** The agents whose runs must not notify (the per-agent switch), for the desktop notifications main shows. */
    notifyPrefs: request(z.strictObject({ mutedAgentIds: z.array(idSchema).max(10_000) }), returns<null>()),
  },
  events: {
    /**
     * Session logs cannot be saved right now (a full disk, a read-only folder…): `problem` says
     * why, in words for the user; null once they are saved again. Nothing is lost meanwhile.
     */
    storageProblem: event(z.strictObject({ problem: z.string().max(500).nullable() })),
    /** A desktop notification was clicked: show this session. */
    openSession: event(z.strictObject({ sessionId: idSchema, agentId: idSchema })),
  },
});

/** The request channels this file declares (the core serves them; see src/main/ipc/handlers.ts). */
export type AppChannel = `app.${keyof typeof appDomain.requests & string}`;
