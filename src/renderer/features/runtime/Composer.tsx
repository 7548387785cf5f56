// Under the session log: the message box (start / follow-up / queue while running) and the run
// controls in the header (stop, resume) with the context-window meter.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { SessionWithConfig } from '../../../shared/domain';
import { Button } from '../../components/Button';
import { Icon } from '../../components/Icon';
import { formatTokens } from '../../lib/format';
import { selectConnectionLost, useUiStore } from '../../state/ui';
import { useFocusRequests } from '../../state/focusRequests';
import { isActive, useRuntimeStore } from './store';
import { selectBusy, selectContext } from './selectors';

export function Composer({ session }: { session: SessionWithConfig }) {
  const [text, setText] = useState('');
  const busy = useRuntimeStore(selectBusy(session.id));
  const lost = useUiStore(selectConnectionLost);
  const active = isActive(session.status);
  const noModel = !session.effectiveConfig.model;
  const formRef = useRef<HTMLFormElement>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  useComposerHeight(formRef);
  // "New session" (button, shortcut or palette) asks for the new session's composer.
  useEffect(() => {
    if (useFocusRequests.getState().take(session.id)) inputRef.current?.focus();
  }, [session.id]);
  const send = async () => {
    const message = text.trim();
    if (!message || busy || lost) return;
    if (await useRuntimeStore.getState().submit(session, message)) setText('');
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    // Enter sends, Shift+Enter breaks the line (as in chat apps); IME composition is left alone.
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    }
  };
  return (
    <form
      ref={formRef}
      className="composer"
      aria-label="Message the agent"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
      data-testid="composer"
    >
      {noModel ? (
        <p className="notice notice-warning" role="note">
          <Icon name="alert" size={14} /> This agent has no model yet. Add a provider in{' '}
          <button type="button" className="link-button" onClick={() => useRuntimeStore.getState().openSettings()}>
            Settings
          </button>
          , then choose a model in the agent editor.
        </p>
      ) : null}
      <label className="visually-hidden" htmlFor={`composer-${session.id}`}>
        Message
      </label>
      <textarea
        ref={inputRef}
        id={`composer-${session.id}`}
        className="textarea composer-input"
        rows={2}
        value={text}
        placeholder={
          lost
            ? 'Not connected to Paddock: your text is kept, send it once the connection is back'
            : active
              ? 'Steer the agent: it reads this before its next step, without stopping'
              : 'Message the agent (Enter to send, Shift+Enter for a new line)'
        }
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        data-testid="composer-input"
      />
      <div className="composer-bar">
        <ContextMeter session={session} />
        <span className="toolbar-spacer" />
        <Button type="submit" variant="primary" icon="chevronRight" busy={busy === 'send' && !lost} disabled={!text.trim() || Boolean(busy) || lost} data-testid="composer-send">
          {active ? 'Steer' : 'Send'}
        </Button>
      </div>
    </form>
  );
}

/** "12.3k / 200k context" for the latest model call, when the model's window is known. */
function ContextMeter({ session }: { session: SessionWithConfig }) {
  const use = useRuntimeStore(selectContext(session.id));
  if (!use) return null;
  const pct = use.contextWindow ? Math.min(100, Math.round((use.contextTokens / use.contextWindow) * 100)) : null;
  return (
    <span className={`context-meter${pct !== null && pct >= 80 ? ' is-high' : ''}`} data-testid="context-meter" title="Tokens the last model call used, against the model's context window">
      {formatTokens(use.contextTokens)}
      {use.contextWindow ? ` / ${formatTokens(use.contextWindow)}` : ''} context{pct !== null ? ` (${pct}%)` : ''}
    </span>
  );
}

/** Header buttons: Stop while a run is active, Resume after an interruption, a stop, a budget stop or a failure. */
export function SessionRunActions({ session }: { session: SessionWithConfig }) {
  const busy = useRuntimeStore(selectBusy(session.id));
  // While disconnected nothing can reach the run: the buttons rest, disabled, instead of spinning.
  const lost = useUiStore(selectConnectionLost);
  const { stop, resume } = useRuntimeStore.getState();
  if (isActive(session.status)) {
    return (
      <Button size="sm" variant="danger" icon="stop" busy={busy === 'stop' && !lost} disabled={Boolean(busy) || lost} onClick={() => void stop(session.id)} data-testid="session-stop">
        Stop
      </Button>
    );
  }
  if (session.status === 'interrupted' || session.status === 'stopped' || session.status === 'failed' || session.status === 'budget_reached') {
    return (
      <Button size="sm" icon="restore" busy={busy === 'resume' && !lost} disabled={Boolean(busy) || lost} onClick={() => void resume(session.id)} data-testid="session-resume">
        {session.status === 'failed' ? 'Retry' : 'Resume'}
      </Button>
    );
  }
  return null;
}

/** Publishes the composer's height (--composer-height) so the toast stack sits above it. */
function useComposerHeight(ref: React.RefObject<HTMLElement | null>) {
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return undefined;
    const root = document.documentElement;
    const observer = new ResizeObserver(() => root.style.setProperty('--composer-height', `${el.offsetHeight}px`));
    observer.observe(el);
    return () => {
      observer.disconnect();
      root.style.removeProperty('--composer-height');
    };
  }, [ref]);
}
