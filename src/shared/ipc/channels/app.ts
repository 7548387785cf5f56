import { defineDomain, request, returns } from '../define';
import { noInputSchema } from '../schemas';

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
  },
  events: {},
});

/** The request channels this file declares (the core serves them; see src/main/ipc/handlers.ts). */
export type AppChannel = `app.${keyof typeof appDomain.requests & string}`;
