// Disarming what comes from outside. An agent or session file is someone else's wish list: it
// may ask for bypassPermissions, '/', the shell, a cron schedule and MCP servers, and a file
// that is imported must not act on any of that before the user has looked at it. These pure
// functions split a config into what may run at once and what is held for review.
import os from 'node:os';
import path from 'node:path';
import type { AgentConfig, PendingReview, PermissionMode, SessionOverrides } from '../../shared/domain';
import { PaddockError } from '../../shared/ipc/result';

/** Built-in tools that only read (inside the accessible paths); every other tool name is held. */
export const READ_ONLY_TOOLS: readonly string[] = ['read_file', 'list_directory', 'find_files', 'search_files'];

/** Modes an import keeps as they are; anything above 'ask' is held. */
const SAFE_MODES: readonly PermissionMode[] = ['readOnly', 'ask'];

/** The armable fields, i.e. what PendingReview can hold. */
type Armable = Pick<AgentConfig, 'permissionMode' | 'accessiblePaths' | 'schedule' | 'mcpServers' | 'builtinTools'>;
export type HeldItems = Omit<PendingReview, 'requestedAt' | 'rules'>;

/**
 * True when `p` is an absolute path inside `home` (home itself included). A home that is the
 * filesystem root (a container's root user) contains nothing, or every path would pass.
 */
export function isInsideHome(p: string, home: string = os.homedir()): boolean {
  if (!path.isAbsolute(p) || !path.isAbsolute(home)) return false;
  const root = path.resolve(home);
  if (root === path.parse(root).root) return false;
  const rel = path.relative(root, path.resolve(p));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function uniq(items: readonly string[]): string[] {
  return [...new Set(items)];
}

/** Splits the armable fields into what may stay and what is held. */
function split<T extends Partial<Armable>>(config: T, home: string): { kept: T; held: HeldItems } {
  const kept = { ...config };
  const held: HeldItems = { permissionMode: null, accessiblePaths: [], schedule: null, mcpServers: [], builtinTools: [] };
  if (config.permissionMode !== undefined && !SAFE_MODES.includes(config.permissionMode)) {
    held.permissionMode = config.permissionMode;
    kept.permissionMode = 'ask';
  }
  if (config.accessiblePaths) {
    kept.accessiblePaths = config.accessiblePaths.filter((p) => isInsideHome(p, home));
    held.accessiblePaths = uniq(config.accessiblePaths.filter((p) => !isInsideHome(p, home)));
  }
  if (config.schedule) {
    held.schedule = config.schedule;
    kept.schedule = null;
  }
  if (config.mcpServers) {
    held.mcpServers = uniq(config.mcpServers);
    kept.mcpServers = [];
  }
  if (config.builtinTools) {
    kept.builtinTools = config.builtinTools.filter((t) => READ_ONLY_TOOLS.includes(t));
    held.builtinTools = uniq(config.builtinTools.filter((t) => !READ_ONLY_TOOLS.includes(t)));
  }
  return { kept, held };
}

function holdsAnything(h: HeldItems): boolean {
  return h.permissionMode !== null || h.schedule !== null || h.accessiblePaths.length + h.mcpServers.length + h.builtinTools.length > 0;
}

/** The config with every held item of `review` put back (what the file asked for in full). */
export function requestedConfig<T extends AgentConfig>(config: T, review: HeldItems | null): T {
  if (!review) return config;
  return {
    ...config,
    permissionMode: review.permissionMode ?? config.permissionMode,
    accessiblePaths: uniq([...config.accessiblePaths, ...review.accessiblePaths]),
    schedule: review.schedule ?? config.schedule,
    mcpServers: uniq([...config.mcpServers, ...review.mcpServers]),
    builtinTools: uniq([...config.builtinTools, ...review.builtinTools]),
  };
}

/**
 * A config from a file, disarmed: the result runs with at most 'ask', paths inside the home
 * folder, read-only tools, no MCP server and no schedule. `review` is what was held (null when
 * the file asked for nothing risky). A review the file itself carries is merged back in first,
 * so re-exporting a disarmed agent keeps its requests but can never mark them as confirmed.
 */
export function disarmConfig<T extends AgentConfig>(
  config: T,
  fileReview: HeldItems | null = null,
  at: string = new Date().toISOString(),
  home: string = os.homedir(),
): { config: T; review: PendingReview | null } {
  const { kept, held } = split(requestedConfig(config, fileReview), home);
  return { config: kept, review: holdsAnything(held) ? { ...held, requestedAt: at } : null };
}

/**
 * Session overrides from a file, disarmed the same way. A held list becomes an empty override
 * (not "inherit"), so an imported session never reaches the agent's own MCP servers either.
 * Sessions keep no review of their own: what was dropped is set again by hand if wanted.
 */
export function disarmOverrides(overrides: SessionOverrides, home: string = os.homedir()): SessionOverrides {
  return split(overrides, home).kept;
}

/** What the user accepted in the review dialog. */
export interface ReviewAcceptance {
  permissionMode: boolean;
  accessiblePaths: string[];
  schedule: boolean;
  mcpServers: string[];
  builtinTools: string[];
  /** Imported rules to turn on (ids listed in the review). */
  rules?: string[];
}

/**
 * The config change that arms exactly what was accepted. Accepting something the review does
 * not hold is refused: a confirmation can only arm what the user was shown.
 */
export function armedPatch(current: AgentConfig, review: PendingReview, accept: ReviewAcceptance): Armable {
  const notHeld = (field: keyof HeldItems | 'rules', items: string[], held: string[]) => {
    const stray = items.find((i) => !held.includes(i));
    if (stray !== undefined) throw new PaddockError('VALIDATION', `"${stray}" is not among the ${field} waiting for review`, { field });
  };
  notHeld('accessiblePaths', accept.accessiblePaths, review.accessiblePaths);
  notHeld('mcpServers', accept.mcpServers, review.mcpServers);
  notHeld('builtinTools', accept.builtinTools, review.builtinTools);
  notHeld('rules', accept.rules ?? [], review.rules ?? []);
  if (accept.permissionMode && review.permissionMode === null) {
    throw new PaddockError('VALIDATION', 'No permission mode is waiting for review', { field: 'permissionMode' });
  }
  if (accept.schedule && review.schedule === null) throw new PaddockError('VALIDATION', 'No schedule is waiting for review', { field: 'schedule' });
  return {
    permissionMode: accept.permissionMode && review.permissionMode ? review.permissionMode : current.permissionMode,
    accessiblePaths: uniq([...current.accessiblePaths, ...accept.accessiblePaths]),
    schedule: accept.schedule ? review.schedule : current.schedule,
    mcpServers: uniq([...current.mcpServers, ...accept.mcpServers]),
    builtinTools: uniq([...current.builtinTools, ...accept.builtinTools]),
  };
}
