import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commandParts, evaluateRules, ruleMatches, toolMatches, type CallSubject, type MatchableRule, type RuleDecision } from './match';

const ctx = { cwd: '/work/proj', roots: ['/work/proj'] };
let n = 0;
const rule = (tool: string, pattern: string | null, decision: RuleDecision, enabled = true): MatchableRule => ({ id: `r${n++}`, toolName: tool, pattern, decision, enabled });
const cmd = (command: string): CallSubject => ({ kind: 'command', command });
const file = (p: string): CallSubject => ({ kind: 'path', path: p });

// Plain words: no glob characters, no shell operators.
const word = fc.stringMatching(/^[a-z0-9_.=/-]{1,8}$/);
const words = fc.array(word, { minLength: 1, maxLength: 4 }).map((w) => w.join(' '));
// A program name: what a command starts with (never an option, an assignment or a wrapper such as sudo).
const program = fc.stringMatching(/^[a-z][a-z0-9_.]{0,7}$/).filter((w) => !['sudo', 'env', 'command', 'exec', 'nohup', 'time', 'nice', 'xargs', 'doas', 'builtin'].includes(w));
const operator = fc.constantFrom(';', '&&', '||', '|', '&', '\n', ' $(', ' `');
const decision = fc.constantFrom<RuleDecision>('allow', 'ask', 'deny');
const segment = fc.array(fc.stringMatching(/^[a-z0-9.]{1,6}$/), { minLength: 1, maxLength: 4 }).map((s) => s.join('/'));

describe('rule matching (examples)', () => {
  it('matches shell prefixes, and an allow never reaches a chained command', () => {
    const allow = rule('run_shell', 'npm test*', 'allow');
    expect(ruleMatches(allow, 'run_shell', cmd('npm test'), ctx)).toBe(true);
    expect(ruleMatches(allow, 'run_shell', cmd('npm   test -- --watch'), ctx)).toBe(true);
    expect(ruleMatches(allow, 'run_shell', cmd('npm test; rm -rf /'), ctx)).toBe(false);
    expect(ruleMatches(allow, 'run_shell', cmd('npm test > /etc/passwd'), ctx)).toBe(false);
    expect(ruleMatches(allow, 'run_shell', cmd('npm install'), ctx)).toBe(false);
  });

  it('a deny rule catches its command anywhere in a chain, behind assignments and wrappers', () => {
    const deny = rule('run_shell', 'rm *', 'deny');
    for (const c of ['rm -rf /', 'make && rm -rf /', 'echo $(rm x)', 'FOO=1 sudo rm -rf ~', 'true | xargs rm x', 'ls\nrm a']) {
      expect(ruleMatches(deny, 'run_shell', cmd(c), ctx), c).toBe(true);
    }
    expect(ruleMatches(deny, 'run_shell', cmd('npm run rmdir'), ctx)).toBe(false);
  });

  it('matches file paths inside the accessible paths; relative patterns start at the working directory', () => {
    const allow = rule('write_file', 'src/**', 'allow');
    expect(ruleMatches(allow, 'write_file', file('/work/proj/src/a/b.ts'), ctx)).toBe(true);
    expect(ruleMatches(allow, 'write_file', file('/work/proj/README.md'), ctx)).toBe(false);
    // Outside the accessible paths an allow never applies, even when the glob says so.
    const wide = rule('write_file', '/work/**', 'allow');
    expect(ruleMatches(wide, 'write_file', file('/work/other/x'), ctx)).toBe(false);
    expect(ruleMatches(rule('write_file', '/work/**', 'deny'), 'write_file', file('/work/other/x'), ctx)).toBe(true);
    expect(ruleMatches(rule('read_file', '**/.env', 'deny'), 'read_file', file('/work/proj/a/.env'), ctx)).toBe(true);
    expect(ruleMatches(rule('read_file', '/work/proj/secret/', 'deny'), 'read_file', file('/work/proj/secret/k'), ctx)).toBe(true);
  });

  it('matches MCP tool names by glob; a pattern never matches a tool without a command or path', () => {
    expect(toolMatches('github__*', 'github__create_issue')).toBe(true);
    expect(toolMatches('github__*', 'gitlab__create_issue')).toBe(false);
    expect(ruleMatches(rule('github__*', 'x*', 'deny'), 'github__create_issue', { kind: 'none' }, ctx)).toBe(false);
    expect(ruleMatches(rule('github__*', null, 'deny'), 'github__create_issue', { kind: 'none' }, ctx)).toBe(true);
  });

  it('splits commands into the programs they run', () => {
    expect(commandParts('A=1 sudo -E npm test && git push | tee x')).toEqual(['npm test', 'git push', 'tee x']);
  });
});

describe('rule matching (properties)', () => {
  it('deny beats allow: with a matching deny rule the verdict is deny, in any order', () => {
    fc.assert(
      fc.property(words, fc.array(fc.tuple(decision, fc.boolean()), { maxLength: 6 }), fc.nat(), (command, others, at) => {
        const rules = others.map(([d, whole]) => rule('run_shell', whole ? command : '*', d));
        rules.splice(at % (rules.length + 1), 0, rule('run_shell', command, 'deny'));
        expect(evaluateRules(rules, 'run_shell', cmd(command), ctx)?.decision).toBe('deny');
      }),
    );
  });

  it('the verdict does not depend on the order of the rules', () => {
    fc.assert(
      fc.property(words, fc.array(fc.tuple(decision, fc.boolean(), fc.boolean()), { maxLength: 8 }), (command, specs) => {
        const rules = specs.map(([d, star, enabled]) => rule(star ? '*' : 'run_shell', star ? command.split(' ')[0]! + '*' : command, d, enabled));
        const a = evaluateRules(rules, 'run_shell', cmd(command), ctx)?.decision ?? null;
        const b = evaluateRules([...rules].reverse(), 'run_shell', cmd(command), ctx)?.decision ?? null;
        expect(a).toBe(b);
      }),
    );
  });

  it('an allow prefix never allows a command chained, piped or substituted after it', () => {
    fc.assert(
      fc.property(words, words, operator, words, (prefix, rest, op, tail) => {
        const allow = rule('run_shell', `${prefix}*`, 'allow');
        expect(ruleMatches(allow, 'run_shell', cmd(`${prefix} ${rest}`), ctx)).toBe(true);
        expect(ruleMatches(allow, 'run_shell', cmd(`${prefix} ${rest}${op}${tail}`), ctx)).toBe(false);
      }),
    );
  });

  it('a deny rule finds its command behind any chain of other commands', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(words, operator), { maxLength: 4 }), program, words, (before, prog, args) => {
        const deny = rule('run_shell', `${prog} *`, 'deny');
        const line = `${before.map(([c, op]) => `${c}${op}`).join('')}${prog} ${args}`;
        expect(ruleMatches(deny, 'run_shell', cmd(line), ctx)).toBe(true);
      }),
    );
  });

  it('an allow path rule never matches outside the accessible paths, whatever .. tricks the path holds', () => {
    fc.assert(
      fc.property(segment, fc.nat({ max: 4 }), segment, (inside, ups, rest) => {
        const target = path.resolve('/work/proj', inside, ...Array<string>(ups + inside.split('/').length + 1).fill('..'), rest);
        const allow = rule('write_file', '/**', 'allow');
        const outside = !(target === '/work/proj' || target.startsWith('/work/proj/'));
        expect(ruleMatches(allow, 'write_file', file(target), ctx)).toBe(!outside);
      }),
    );
  });

  it('disabled rules never match, and exact tool names match only themselves', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z_]{1,12}$/), fc.stringMatching(/^[a-z_]{1,12}$/), decision, (a, b, d) => {
        expect(ruleMatches(rule(a, null, d, false), a, { kind: 'none' }, ctx)).toBe(false);
        expect(ruleMatches(rule(a, null, d), b, { kind: 'none' }, ctx)).toBe(a === b);
      }),
    );
  });
});
