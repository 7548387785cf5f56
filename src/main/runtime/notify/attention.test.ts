import { describe, expect, it } from 'vitest';
import { EventBus } from '../../ipc/events';
import { AttentionPrefs, DEDUPE_MS, noticeFor, startDesktopNotifier, type DesktopNotice, type StatusChange } from './attention';

const SESSION = '0190a5d0-0000-7000-8000-000000000001';
const AGENT = '0190a5d0-0000-7000-8000-0000000000aa';

function change(from: StatusChange['from'], to: StatusChange['to'], session: Partial<StatusChange['session']> = {}): StatusChange {
  return { sessionId: SESSION, agentId: AGENT, from, to, session: { name: 'Fix the build', error: null, result: null, ...session } };
}

function setUp(opts: { focused?: boolean } = {}) {
  const bus = new EventBus({ error: () => undefined });
  const prefs = new AttentionPrefs();
  const shown: DesktopNotice[] = [];
  let t = 1_000;
  let focused = opts.focused ?? false;
  const stop = startDesktopNotifier({ subscribe: bus.subscribe, prefs, isWindowFocused: () => focused, show: (n) => shown.push(n), now: () => t });
  return {
    shown,
    prefs,
    emit: (c: StatusChange) => bus.emit('sessions.statusChanged', c as never),
    advance: (ms: number) => (t += ms),
    focus: (f: boolean) => (focused = f),
    stop,
  };
}

describe('desktop notifications', () => {
  it('says what happened, in one line, for approvals and ends of runs only', () => {
    expect(noticeFor(change('running', 'waiting_for_user_input'))).toMatchObject({ title: 'Approval needed: Fix the build', kind: 'approval' });
    expect(noticeFor(change('running', 'completed', { result: 'All\n  green.' }))).toMatchObject({ title: 'Run finished: Fix the build', body: 'All green.', kind: 'ended' });
    expect(noticeFor(change('running', 'failed', { error: 'x'.repeat(500) }))!.body).toHaveLength(200);
    expect(noticeFor(change('waiting_for_user_input', 'interrupted'))!.title).toBe('Run interrupted: Fix the build');
    // Not news: a run starting, a user's stop, a status set outside a run.
    expect(noticeFor(change('idle', 'running'))).toBeNull();
    expect(noticeFor(change('running', 'stopped'))).toBeNull();
    expect(noticeFor(change('idle', 'completed'))).toBeNull();
  });

  it('only while the window is not in front, never for a muted agent, once per session and kind within the dedupe window', () => {
    const n = setUp({ focused: true });
    n.emit(change('running', 'waiting_for_user_input'));
    expect(n.shown).toHaveLength(0);
    n.focus(false);
    n.emit(change('running', 'waiting_for_user_input'));
    n.emit(change('running', 'waiting_for_user_input'));
    expect(n.shown).toHaveLength(1);
    // Another kind for the same session is news.
    n.emit(change('running', 'completed'));
    expect(n.shown.map((s) => s.kind)).toEqual(['approval', 'ended']);
    n.advance(DEDUPE_MS);
    n.emit(change('running', 'waiting_for_user_input'));
    expect(n.shown).toHaveLength(3);
    n.prefs.setMuted([AGENT]);
    n.advance(DEDUPE_MS);
    n.emit(change('running', 'completed'));
    expect(n.shown).toHaveLength(3);
    n.prefs.setMuted([]);
    n.emit(change('running', 'completed'));
    expect(n.shown).toHaveLength(4);
    n.stop();
    n.advance(DEDUPE_MS);
    n.emit(change('running', 'completed'));
    expect(n.shown).toHaveLength(4);
  });

  it('ignores other events', () => {
    const n = setUp();
    const bus = new EventBus({ error: () => undefined });
    startDesktopNotifier({ subscribe: bus.subscribe, prefs: n.prefs, isWindowFocused: () => false, show: (x) => n.shown.push(x) });
    bus.emit('sessions.changed', { sessionId: SESSION, agentId: AGENT, change: 'updated' } as never);
    expect(n.shown).toHaveLength(0);
  });
});
