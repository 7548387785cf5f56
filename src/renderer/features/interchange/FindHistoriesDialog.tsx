// "Find histories": says where it would look, looks only when asked (file names and sizes, no
// contents), lets the user pick sessions and imports them one by one with progress and Cancel.
// Imported sessions land under a holder agent per tool that has no model and no tools.
import type { HistoryCandidate } from '../../../shared/ipc';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { EmptyState, ErrorState } from '../../components/States';
import { useAgentsStore } from '../agents/store';
import { JobProgress } from './JobProgress';
import { useInterchangeStore } from './store';
import './interchange.css';

const FORMAT_NAMES: Record<string, string> = { 'claude-code': 'Claude Code', codex: 'Codex CLI' };

function size(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function FindHistoriesDialog() {
  const open = useInterchangeStore((s) => s.findOpen);
  const status = useInterchangeStore((s) => s.findStatus);
  const error = useInterchangeStore((s) => s.findError);
  const candidates = useInterchangeStore((s) => s.candidates);
  const selected = useInterchangeStore((s) => s.selected);
  const outcomes = useInterchangeStore((s) => s.outcomes);
  const job = useInterchangeStore((s) => s.job);
  const { closeFind, find, importSelected, cancel } = useInterchangeStore.getState();
  const importing = job?.kind === 'import' && job.status === 'running';

  const runImport = async () => {
    const imported = await importSelected();
    if (imported.length > 0) void useAgentsStore.getState().refreshOne(imported[imported.length - 1]!.agentId);
  };

  let body;
  if (status === 'idle' || status === 'loading') {
    body = <FindIntro loading={status === 'loading'} onFind={() => void find()} />;
  } else if (status === 'error') {
    body = <ErrorState title="Could not look in those folders" message={error} onRetry={() => void find()} />;
  } else if (candidates.length === 0) {
    body = (
      <EmptyState icon="empty" title="No histories found" testId="find-histories-empty">
        Neither folder holds session files.
      </EmptyState>
    );
  } else {
    body = <CandidatePicker candidates={candidates} selected={selected} importing={importing} />;
  }

  return (
    <Dialog
      open={open}
      title="Find histories"
      description="Import sessions from Claude Code and Codex CLI. They arrive as records: nothing in them runs again."
      onRequestClose={() => (importing ? undefined : closeFind())}
      size="lg"
      testId="find-histories-dialog"
      footer={
        <>
          <Button variant="ghost" onClick={closeFind} disabled={importing}>
            Close
          </Button>
          {status === 'ready' && candidates.length > 0 ? (
            <Button variant="primary" icon="upload" onClick={() => void runImport()} disabled={selected.length === 0} busy={importing} data-testid="find-histories-import">
              Import {selected.length > 0 ? selected.length.toLocaleString() : ''} selected
            </Button>
          ) : null}
        </>
      }
    >
      {body}
      {job?.kind === 'import' ? <div style={{ marginTop: 12 }}><JobProgress job={job} onCancel={() => void cancel()} /></div> : null}
      {outcomes.length > 0 ? (
        <ul className="history-outcomes" data-testid="history-outcomes">
          {outcomes.map((o) => (
            <li key={o.path} className={o.ok ? '' : 'is-failed'}>
              {o.ok ? '✓' : '✗'} {o.path.split(/[\\/]/).pop()}: {o.message}
            </li>
          ))}
        </ul>
      ) : null}
    </Dialog>
  );
}

/** Where it would look and what it would read, before anything is looked at. */
function FindIntro({ loading, onFind }: { loading: boolean; onFind: () => void }) {
  return (
    <>
      <p>Paddock can look for the session files other agent tools keep on this machine:</p>
      <ul className="history-roots">
        <li>
          Claude Code sessions in <code>~/.claude/projects</code>
        </li>
        <li>
          Codex CLI rollouts in <code>~/.codex/sessions</code>
        </li>
      </ul>
      <p>It lists file names, dates and sizes only. Nothing is read until you choose sessions and import them.</p>
      <Button variant="primary" icon="search" onClick={onFind} busy={loading} data-testid="find-histories-search">
        Look in these folders
      </Button>
    </>
  );
}

/** The files found, each with a checkbox, and Select all / none. */
function CandidatePicker({ candidates, selected, importing }: { candidates: HistoryCandidate[]; selected: string[]; importing: boolean }) {
  const { toggle, selectAll } = useInterchangeStore.getState();
  const all = selected.length === candidates.length;
  return (
    <>
      <div className="history-actions">
        <Button size="sm" variant="ghost" onClick={() => selectAll(!all)} disabled={importing}>
          {all ? 'Select none' : 'Select all'}
        </Button>
        <span role="status">
          {candidates.length.toLocaleString()} found · {selected.length.toLocaleString()} selected
        </span>
      </div>
      <div className="history-table-wrap" tabIndex={0} role="region" aria-label="Sessions found">
        <table className="history-table" data-testid="history-table">
          <thead>
            <tr>
              <th scope="col">
                <span className="visually-hidden">Import</span>
              </th>
              <th scope="col">Tool</th>
              <th scope="col">Project or day</th>
              <th scope="col">File</th>
              <th scope="col">Modified</th>
              <th scope="col">Size</th>
            </tr>
          </thead>
          <tbody>
            {candidates.map((c) => {
              const name = c.path.split(/[\\/]/).pop() ?? c.path;
              return (
                <tr key={c.path}>
                  <td>
                    <input type="checkbox" aria-label={`Import ${name}`} checked={selected.includes(c.path)} onChange={(e) => toggle(c.path, e.target.checked)} disabled={importing} />
                  </td>
                  <td>{FORMAT_NAMES[c.format] ?? c.format}</td>
                  <td>{c.group}</td>
                  <td className="history-file" title={c.path}>
                    {name}
                  </td>
                  <td>{new Date(c.modifiedAt).toLocaleString()}</td>
                  <td className="num">{size(c.bytes)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
