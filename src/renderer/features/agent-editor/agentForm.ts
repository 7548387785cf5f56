// The agent editor's form model, kept pure: a draft holds what the inputs show (JSON as text,
// numbers as text, lists as arrays), `validateDraft` turns it into an AgentConfig or per-field
// messages. The authoritative check is the shared zod schema main also applies.
import type { AgentConfig, JsonValue, PermissionMode } from '../../../shared/domain';
import { AGENT_CONFIG_DEFAULTS, agentConfigSchema } from '../../../shared/ipc/schemas';
import { checkCron } from '../../lib/cron';

export const BUILTIN_TOOLS = [
  { id: 'read_file', label: 'Read files', description: 'Read the contents of a file' },
  { id: 'list_directory', label: 'List directories', description: 'List the entries of a folder' },
  { id: 'find_files', label: 'Find files', description: 'Find files by name pattern' },
  { id: 'search_files', label: 'Search in files', description: 'Search file contents' },
  { id: 'write_file', label: 'Write files', description: 'Create or overwrite a file' },
  { id: 'edit_file', label: 'Edit files', description: 'Change part of a file' },
  { id: 'run_shell', label: 'Run shell commands', description: 'Execute a command in a shell' },
] as const;

export const PERMISSION_MODE_INFO: ReadonlyArray<{ id: PermissionMode; label: string; description: string }> = [
  { id: 'readOnly', label: 'Read only', description: 'The agent may only use tools that do not change anything.' },
  { id: 'ask', label: 'Ask every time', description: 'Each tool call that changes something waits for your approval.' },
  { id: 'acceptEdits', label: 'Accept file edits', description: 'File edits run without asking; shell commands still ask.' },
  { id: 'bypassPermissions', label: 'Bypass permissions', description: 'Every tool runs without asking. Only for trusted, sandboxed work.' },
];

export interface AgentDraft {
  name: string;
  description: string;
  avatar: string;
  type: string;
  instructions: string;
  model: string;
  planModel: string;
  smallModel: string;
  builtinTools: string[];
  mcpServers: string[];
  knowledgeText: string;
  accessiblePaths: string[];
  permissionMode: PermissionMode;
  maxStepsText: string;
  settingsText: string;
  scheduleEnabled: boolean;
  schedule: string;
}

export type DraftField = keyof AgentDraft;
export type DraftErrors = Partial<Record<DraftField, string>>;

export function draftFromConfig(config: AgentConfig): AgentDraft {
  return {
    name: config.name,
    description: config.description,
    avatar: config.avatar ?? '',
    type: config.type,
    instructions: config.instructions,
    model: config.model ?? '',
    planModel: config.planModel ?? '',
    smallModel: config.smallModel ?? '',
    builtinTools: [...config.builtinTools],
    mcpServers: [...config.mcpServers],
    knowledgeText: JSON.stringify(config.knowledge, null, 2),
    accessiblePaths: [...config.accessiblePaths],
    permissionMode: config.permissionMode,
    maxStepsText: String(config.maxSteps),
    settingsText: JSON.stringify(config.settings, null, 2),
    scheduleEnabled: config.schedule !== null,
    schedule: config.schedule ?? '',
  };
}

export function emptyDraft(): AgentDraft {
  return draftFromConfig({ ...AGENT_CONFIG_DEFAULTS, name: '' });
}

export type DraftResult = { ok: true; config: AgentConfig } | { ok: false; errors: DraftErrors };

export function validateDraft(draft: AgentDraft, now: Date = new Date()): DraftResult {
  const errors: DraftErrors = {};
  const knowledge = parseJson(draft.knowledgeText, '[]');
  if (!knowledge.ok) errors.knowledgeText = knowledge.message;
  else if (!Array.isArray(knowledge.value)) errors.knowledgeText = 'Knowledge must be a JSON array, e.g. [] or [{"title": "…"}].';
  const settings = parseJson(draft.settingsText, '{}');
  if (!settings.ok) errors.settingsText = settings.message;
  else if (typeof settings.value !== 'object' || settings.value === null || Array.isArray(settings.value))
    errors.settingsText = 'Settings must be a JSON object, e.g. {} or {"temperature": 0.2}.';

  const maxStepsText = draft.maxStepsText.trim();
  const maxSteps = Number(maxStepsText);
  if (maxStepsText === '' || !Number.isInteger(maxSteps)) errors.maxStepsText = 'Enter a whole number of steps.';
  else if (maxSteps < 1 || maxSteps > 100_000) errors.maxStepsText = 'Between 1 and 100,000 steps.';

  if (draft.scheduleEnabled) {
    const cron = checkCron(draft.schedule, now);
    if (!cron.ok) errors.schedule = cron.message;
  }

  const config = {
    name: draft.name.trim(),
    description: draft.description,
    avatar: blankToNull(draft.avatar),
    type: draft.type.trim(),
    instructions: draft.instructions,
    model: blankToNull(draft.model),
    planModel: blankToNull(draft.planModel),
    smallModel: blankToNull(draft.smallModel),
    builtinTools: draft.builtinTools,
    mcpServers: draft.mcpServers.map((s) => s.trim()).filter(Boolean),
    knowledge: knowledge.ok && Array.isArray(knowledge.value) ? (knowledge.value as JsonValue[]) : [],
    accessiblePaths: draft.accessiblePaths.map((p) => p.trim()).filter(Boolean),
    permissionMode: draft.permissionMode,
    maxSteps: Number.isInteger(maxSteps) ? maxSteps : 1,
    settings: settings.ok && isPlainObject(settings.value) ? (settings.value as Record<string, JsonValue>) : {},
    schedule: draft.scheduleEnabled ? blankToNull(draft.schedule) : null,
  } satisfies AgentConfig;

  const parsed = agentConfigSchema.safeParse(config);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = SCHEMA_TO_DRAFT[String(issue.path[0]) as keyof AgentConfig];
      if (field && !errors[field]) errors[field] = friendlyIssue(field, issue.message);
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, config: parsed.success ? (parsed.data as AgentConfig) : config };
}

/** The fields that differ between two configs (for the save payload and the history view). */
export function changedFields(before: AgentConfig, after: AgentConfig): (keyof AgentConfig)[] {
  return (Object.keys(after) as (keyof AgentConfig)[]).filter((key) => stableJson(before[key]) !== stableJson(after[key]));
}

export function diffPatch(before: AgentConfig, after: AgentConfig): Partial<AgentConfig> {
  const patch: Partial<AgentConfig> = {};
  for (const key of changedFields(before, after)) (patch as Record<string, unknown>)[key] = after[key];
  return patch;
}

export function isDraftDirty(initial: AgentDraft, current: AgentDraft): boolean {
  return stableJson(initial) !== stableJson(current);
}

export const FIELD_LABELS: Record<keyof AgentConfig, string> = {
  name: 'Name',
  description: 'Description',
  avatar: 'Avatar',
  type: 'Type',
  instructions: 'Instructions',
  model: 'Model',
  planModel: 'Plan model',
  smallModel: 'Small model',
  builtinTools: 'Built-in tools',
  mcpServers: 'MCP servers',
  knowledge: 'Knowledge',
  accessiblePaths: 'Accessible paths',
  permissionMode: 'Permission mode',
  maxSteps: 'Max steps',
  settings: 'Settings',
  schedule: 'Schedule',
};

const SCHEMA_TO_DRAFT: Record<keyof AgentConfig, DraftField> = {
  name: 'name',
  description: 'description',
  avatar: 'avatar',
  type: 'type',
  instructions: 'instructions',
  model: 'model',
  planModel: 'planModel',
  smallModel: 'smallModel',
  builtinTools: 'builtinTools',
  mcpServers: 'mcpServers',
  knowledge: 'knowledgeText',
  accessiblePaths: 'accessiblePaths',
  permissionMode: 'permissionMode',
  maxSteps: 'maxStepsText',
  settings: 'settingsText',
  schedule: 'schedule',
};

function friendlyIssue(field: DraftField, message: string): string {
  if (field === 'name' && /required|too small|>=1/i.test(message)) return 'Give the agent a name.';
  if (field === 'type' && /too small|>=1/i.test(message)) return 'Enter a type, e.g. “assistant”.';
  return message;
}

type JsonParse = { ok: true; value: unknown } | { ok: false; message: string };

function parseJson(text: string, emptyAs: string): JsonParse {
  const source = text.trim() === '' ? emptyAs : text;
  try {
    return { ok: true, value: JSON.parse(source) };
  } catch (error) {
    const detail = error instanceof Error ? error.message : 'invalid JSON';
    return { ok: false, message: `Invalid JSON: ${detail}` };
  }
}

function blankToNull(value: string): string | null {
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON with sorted keys: two configs that differ only in key order compare equal. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    isPlainObject(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
