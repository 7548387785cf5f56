// Approval rules: does a rule apply to a tool call, and what do all the rules that apply say?
// Pure functions; the caller resolves a file path (symlinks and all) before asking.
//
// Decisions (docs/budgets-schedules-rules.md explains them to users):
// - The most restrictive matching rule wins: deny > ask > allow, whatever the scope. A rule
//   can make a call safer than the permission mode would, never less safe than a deny.
// - Shell commands: a deny or ask rule matches when the whole command or ANY of its parts
//   (split at ; && || | & newlines, $( ) and backticks, with leading VAR=x, sudo, env… removed)
//   matches, so `rm *` also catches `make && rm -rf /`. An allow rule matches only a simple
//   command (no such operators, no redirection): `npm test*` must not allow `npm test; curl …`.
// - File paths: globs over absolute paths (`**` crosses folders, `*` does not); a relative
//   pattern is read from the agent's working directory. An allow rule never reaches outside the
//   accessible paths: the path must be inside one of them as well.
// - A rule with a pattern matches only tools whose calls have a command or a path; a rule
//   without one matches every call of its tool(s).
import path from 'node:path';
import picomatch from 'picomatch';

export type RuleDecision = 'allow' | 'ask' | 'deny';

export interface MatchableRule {
  id: string;
  /** A tool name, or a glob over tool names (`*`, `github__*`). */
  toolName: string;
  pattern: string | null;
  decision: RuleDecision;
  enabled: boolean;
}

/** What a call's arguments are judged by: its shell command, its file path, or nothing. */
export type CallSubject = { kind: 'command'; command: string } | { kind: 'path'; path: string } | { kind: 'none' };

export interface MatchContext {
  /** The agent's working directory (relative path patterns are read from here). */
  cwd: string | null;
  /** The accessible paths, resolved. */
  roots: readonly string[];
}

export interface Verdict<R extends MatchableRule = MatchableRule> {
  decision: RuleDecision;
  rule: R;
}

const RANK: Record<RuleDecision, number> = { allow: 0, ask: 1, deny: 2 };

/** Literal text with `*` (any run of characters) and `?` (one character) as a RegExp. */
function wildcardRegExp(glob: string): RegExp {
  let out = '';
  for (const ch of glob) out += ch === '*' ? '[\\s\\S]*' : ch === '?' ? '[\\s\\S]' : ch.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  return new RegExp(`^${out}$`);
}

export function toolMatches(ruleTool: string, toolName: string): boolean {
  return ruleTool === toolName || (/[*?]/.test(ruleTool) && wildcardRegExp(ruleTool).test(toolName));
}

const squash = (s: string) => s.trim().replace(/\s+/g, ' ');

/** Anything that makes a command more than one plain program call. */
const COMPOUND = /[;&|\n\r`<>]|\$\(/;
/** Where a compound command splits into the commands it runs. */
const SEPARATORS = /\|\||&&|[;&|\n\r`()]|\$\(/;
/** Words in front of a command that run it rather than being it. */
const WRAPPERS = new Set(['sudo', 'env', 'command', 'exec', 'nohup', 'time', 'nice', 'xargs', 'doas', 'builtin']);

/** The commands a shell line runs, each without leading assignments and wrappers. */
export function commandParts(command: string): string[] {
  const parts: string[] = [];
  for (const raw of command.split(SEPARATORS)) {
    const words = squash(raw.replace(/[<>]+\s*\S+/g, ' ')).split(' ').filter(Boolean);
    while (words.length > 0 && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!) || WRAPPERS.has(words[0]!) || /^-/.test(words[0]!))) words.shift();
    if (words.length > 0) parts.push(words.join(' '));
  }
  return parts;
}

export function isSimpleCommand(command: string): boolean {
  return !COMPOUND.test(command);
}

function commandMatches(pattern: string, command: string, decision: RuleDecision): boolean {
  const re = wildcardRegExp(squash(pattern));
  if (decision === 'allow') return isSimpleCommand(command) && re.test(squash(command));
  return re.test(squash(command)) || commandParts(command).some((p) => re.test(p));
}

function isInside(p: string, root: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function pathMatches(pattern: string, target: string, decision: RuleDecision, ctx: MatchContext): boolean {
  if (!path.isAbsolute(target)) return false;
  const abs = path.normalize(target);
  const full = path.isAbsolute(pattern) ? pattern : ctx.cwd ? path.join(ctx.cwd, pattern) : null;
  if (!full) return false;
  const matcher = picomatch(full.split(path.sep).join('/'), { dot: true });
  // A folder pattern (`/srv/app/`) means the folder itself and everything below it.
  const asFolder = /[\\/]$/.test(pattern) ? picomatch(`${full.replace(/[\\/]+$/, '')}/**`, { dot: true }) : null;
  const slashed = abs.split(path.sep).join('/');
  const hit = matcher(slashed) || (asFolder?.(slashed) ?? false) || (asFolder !== null && slashed === full.replace(/[\\/]+$/, ''));
  if (!hit) return false;
  return decision !== 'allow' || ctx.roots.some((r) => isInside(abs, r));
}

export function ruleMatches(rule: MatchableRule, toolName: string, subject: CallSubject, ctx: MatchContext): boolean {
  if (!rule.enabled || !toolMatches(rule.toolName, toolName)) return false;
  if (rule.pattern === null) return true;
  switch (subject.kind) {
    case 'command':
      return commandMatches(rule.pattern, subject.command, rule.decision);
    case 'path':
      return pathMatches(rule.pattern, subject.path, rule.decision, ctx);
    case 'none':
      return false;
  }
}

/** What the rules say about a call: the most restrictive matching rule, or null when none match. */
export function evaluateRules<R extends MatchableRule>(rules: readonly R[], toolName: string, subject: CallSubject, ctx: MatchContext): Verdict<R> | null {
  let best: Verdict<R> | null = null;
  for (const rule of rules) {
    if (!ruleMatches(rule, toolName, subject, ctx)) continue;
    if (!best || RANK[rule.decision] > RANK[best.decision]) best = { decision: rule.decision, rule };
  }
  return best;
}
