// Approval rules: allow / ask / deny a tool (optionally only for some commands or paths), for
// one session, one agent or every agent. How they match is in docs/budgets-schedules-rules.md.
import { z } from 'zod';
import { defineDomain, event, request, returns } from '../define';
import { byIdSchema, idSchema, jsonValueSchema } from '../schemas';

export const RULE_DECISIONS = ['allow', 'ask', 'deny'] as const;
export type RuleDecisionName = (typeof RULE_DECISIONS)[number];
export const RULE_SCOPES = ['global', 'agent', 'session'] as const;
export type RuleScope = (typeof RULE_SCOPES)[number];
export const RULE_SOURCES = ['user', 'approval', 'import', 'migrated'] as const;
export type RuleSource = (typeof RULE_SOURCES)[number];

export interface ToolRule {
  id: string;
  scope: RuleScope;
  /** The agent (scope agent) or session (scope session); null for a global rule. */
  targetId: string | null;
  /** A tool name or a glob over tool names (`*`, `github__*`). */
  toolName: string;
  /** A shell command glob (run_shell) or a file path glob (file tools); null = every call. */
  pattern: string | null;
  decision: RuleDecisionName;
  enabled: boolean;
  source: RuleSource;
  createdAt: string;
  updatedAt: string;
}

export const ruleToolSchema = z.string().trim().min(1).max(200);
export const rulePatternSchema = z.string().trim().min(1).max(1000).nullable();

export const ruleSaveInputSchema = z
  .strictObject({
    id: idSchema.optional(),
    scope: z.enum(RULE_SCOPES),
    targetId: idSchema.nullable().default(null),
    toolName: ruleToolSchema,
    pattern: rulePatternSchema.default(null),
    decision: z.enum(RULE_DECISIONS),
    enabled: z.boolean().default(true),
  })
  .refine((r) => (r.scope === 'global') === (r.targetId === null), { message: 'A global rule has no target; an agent or session rule needs one', path: ['targetId'] });
export type RuleSaveInput = z.output<typeof ruleSaveInputSchema>;

/** A rule as it travels in an agent export (always arrives disabled). */
export const exportedRuleSchema = z.strictObject({ toolName: ruleToolSchema, pattern: rulePatternSchema, decision: z.enum(RULE_DECISIONS) });
export type ExportedRule = z.output<typeof exportedRuleSchema>;

export interface RuleTestResult {
  decision: 'allow' | 'ask' | 'deny';
  /** Whether a rule decided, or the agent's permission mode. */
  by: 'rule' | 'mode';
  rule: ToolRule | null;
  /** One sentence saying why. */
  reason: string;
}

export const rulesDomain = defineDomain({
  requests: {
    /** The global rules plus those of the agent and/or session given (disabled ones included). */
    list: request(z.strictObject({ agentId: idSchema.optional(), sessionId: idSchema.optional() }).default({}), returns<ToolRule[]>()),
    save: request(ruleSaveInputSchema, returns<ToolRule>()),
    remove: request(byIdSchema, returns<{ id: string }>()),
    /** "Would this call be allowed?" — the runtime's own decision, without running anything. */
    test: request(
      z.strictObject({ agentId: idSchema, sessionId: idSchema.optional(), toolName: ruleToolSchema, args: jsonValueSchema.default({}) }),
      returns<RuleTestResult>(),
    ),
  },
  events: {
    /** A rule was added, changed or removed (e.g. from an approval card). */
    changed: event(z.object({ ruleId: z.string() })),
  },
});
