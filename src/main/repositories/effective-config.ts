// How a session's effective config is computed. Kept as a small pure function (not json_patch in
// SQL) on purpose: JSON merge-patch would merge nested objects key by key and treat null as
// "delete", while Paddock's rule is simpler and visible in the UI: each top-level field is
// either overridden as a whole by the session or inherited from the pinned agent version.

import type { AgentConfig, SessionOverrides } from '../../shared/domain.js';
import { OVERRIDE_KEYS } from './validation.js';

export function effectiveConfig(pinned: AgentConfig, overrides: SessionOverrides): AgentConfig {
  const out: AgentConfig = { ...pinned };
  for (const key of OVERRIDE_KEYS) {
    const value = overrides[key];
    // null / undefined means "inherit"; stored overrides never hold null, but be safe on read.
    if (value !== null && value !== undefined) (out as unknown as Record<string, unknown>)[key] = value;
  }
  return out;
}
