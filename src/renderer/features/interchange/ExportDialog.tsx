// "Export as…": pick a format and what to export (this session, all sessions of its agent, or
// everything), then watch the progress bar (with Cancel) until the file is written beside the
// database.
import { useState } from 'react';
import type { InterchangeExportFormat } from '../../../shared/ipc';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { JobProgress } from './JobProgress';
import { useInterchangeStore, type ExportScope } from './store';
import './interchange.css';

const FORMATS: ReadonlyArray<{ id: InterchangeExportFormat; title: string; hint: string }> = [
  { id: 'markdown', title: 'Markdown transcript', hint: 'Readable: tool calls and results folded, thinking marked, usage per step.' },
  { id: 'ag-ui', title: 'AG-UI events (JSON Lines)', hint: 'The AG-UI protocol’s event stream, for replay in AG-UI clients.' },
  { id: 'otlp', title: 'OpenTelemetry spans (OTLP JSON)', hint: 'GenAI semantic conventions 1.37, for trace viewers such as Jaeger or Phoenix.' },
  { id: 'paddock', title: 'Paddock JSON', hint: 'Everything, for importing into another Paddock.' },
];

type ScopeId = 'session' | 'agent' | 'all';

export function ExportDialog() {
  const target = useInterchangeStore((s) => s.exportTarget);
  const job = useInterchangeStore((s) => s.job);
  const exported = useInterchangeStore((s) => s.exported);
  const { closeExport, startExport, cancel } = useInterchangeStore.getState();
  const [format, setFormat] = useState<InterchangeExportFormat>('markdown');
  const [scope, setScope] = useState<ScopeId>('session');
  const exporting = job?.kind === 'export' && job.status === 'running';

  const scopes: ReadonlyArray<{ id: ScopeId; title: string }> = target
    ? [
        { id: 'session', title: `This session (“${target.sessionName}”)` },
        { id: 'agent', title: `Every session of “${target.agentName}”` },
        { id: 'all', title: 'Every session of every agent' },
      ]
    : [];

  const start = () => {
    if (!target) return;
    const s: ExportScope = scope === 'session' ? { sessionId: target.sessionId } : scope === 'agent' ? { agentId: target.agentId } : { all: true };
    const label = scope === 'session' ? `Exporting “${target.sessionName}”` : scope === 'agent' ? `Exporting the sessions of “${target.agentName}”` : 'Exporting every session';
    void startExport(s, format, label);
  };

  return (
    <Dialog
      open={target !== null}
      title="Export"
      description="Files are written to the exports folder beside Paddock’s database; one file per session."
      onRequestClose={() => (exporting ? undefined : closeExport())}
      testId="export-dialog"
      footer={
        <>
          <Button variant="ghost" onClick={closeExport} disabled={exporting}>
            Close
          </Button>
          <Button variant="primary" icon="download" onClick={start} busy={exporting} data-testid="export-start">
            Export
          </Button>
        </>
      }
    >
      <fieldset className="choice-list" disabled={exporting}>
        <legend>Format</legend>
        {FORMATS.map((f) => (
          <label key={f.id} className="choice">
            <input type="radio" name="export-format" value={f.id} checked={format === f.id} onChange={() => setFormat(f.id)} />
            <span className="choice-title">{f.title}</span>
            <span className="choice-hint">{f.hint}</span>
          </label>
        ))}
      </fieldset>
      <fieldset className="choice-list" disabled={exporting}>
        <legend>What</legend>
        {scopes.map((s) => (
          <label key={s.id} className="choice">
            <input type="radio" name="export-scope" value={s.id} checked={scope === s.id} onChange={() => setScope(s.id)} />
            <span className="choice-title">{s.title}</span>
          </label>
        ))}
      </fieldset>
      {job?.kind === 'export' ? <JobProgress job={job} onCancel={() => void cancel()} /> : null}
      {exported && job?.status === 'done' ? (
        <p className="export-result" role="status" data-testid="export-result">
          Wrote {exported.files === 1 ? 'the file' : `${exported.files} files in`} <code>{exported.path}</code>
        </p>
      ) : null}
    </Dialog>
  );
}
