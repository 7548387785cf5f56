// A small gallery of starter agents. Each card says what the agent does and what is left to
// complete; "Use" creates it disarmed and opens it in the editor.
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { STARTERS } from './starters';
import { useStarterGallery } from './store';

export function StarterGallery() {
  const open = useStarterGallery((s) => s.open);
  const busy = useStarterGallery((s) => s.busy);
  const { hide, createFrom } = useStarterGallery.getState();
  return (
    <Dialog
      open={open}
      title="Start from a template"
      description="Each starter asks before any change and has no schedule or folders until you add them."
      onRequestClose={hide}
      size="lg"
      testId="starter-gallery"
      footer={<Button onClick={hide}>Close</Button>}
    >
      <ul className="starter-grid">
        {STARTERS.map((s) => (
          <li key={s.id} className="starter-card" data-testid="starter-card">
            <span className="starter-avatar" aria-hidden="true">
              {s.avatar}
            </span>
            <h3 className="starter-name">{s.name}</h3>
            <p className="starter-description">{s.description}</p>
            <p className="starter-todo">{s.todo}</p>
            <p className="starter-tools">
              Tools: {[...s.builtinTools, ...s.mcpServers.map((m) => `MCP “${m}”`)].join(', ') || 'none'}
            </p>
            <Button variant="primary" size="sm" busy={busy === s.id} disabled={busy !== null} onClick={() => void createFrom(s)} aria-label={`Use the ${s.name} starter`} data-testid={`starter-use-${s.id}`}>
              Use
            </Button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
