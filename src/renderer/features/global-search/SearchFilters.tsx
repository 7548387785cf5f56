// The global search's filters: agent, kind of entry and time, behind a "Filters" toggle so the
// dialog stays a plain search box until they are wanted. Plain labelled selects, reachable with
// Tab and read out by screen readers; changing one searches again.
import { useId, useState } from 'react';
import { Button } from '../../components/Button';
import { LOG_KINDS, type LogKind } from '../../../shared/domain';
import { useAgentsStore } from '../agents/store';
import { KIND_INFO } from '../session-view/nodePresentation';
import { selectSearchFilters } from './selectors';
import { useGlobalSearchStore, type SearchWhen } from './store';

const WHEN_LABELS: Record<SearchWhen, string> = { any: 'Any time', day: 'Past day', week: 'Past week', month: 'Past month' };

export function SearchFilters() {
  const filters = useGlobalSearchStore(selectSearchFilters);
  const id = useId();
  const [shown, setShown] = useState(false);
  const active = (filters.agentId ? 1 : 0) + (filters.kind ? 1 : 0) + (filters.when !== 'any' ? 1 : 0);
  return (
    <div className="global-search-filter-bar">
      <Button size="sm" variant="ghost" icon="filter" aria-expanded={shown} aria-controls={`${id}-filters`} onClick={() => setShown(!shown)} data-testid="global-search-filters-toggle">
        {active > 0 ? `Filters (${active})` : 'Filters'}
      </Button>
      {shown ? <FilterFields id={id} /> : null}
    </div>
  );
}

function FilterFields({ id }: { id: string }) {
  const filters = useGlobalSearchStore(selectSearchFilters);
  const setFilters = useGlobalSearchStore((s) => s.setFilters);
  const agents = useAgentsStore((s) => s.items);
  return (
    <div className="global-search-filters" id={`${id}-filters`} data-testid="global-search-filters">
      <label htmlFor={`${id}-agent`}>Agent</label>
      <select id={`${id}-agent`} value={filters.agentId ?? ''} onChange={(e) => setFilters({ agentId: e.target.value || null })} data-testid="global-search-filter-agent">
        <option value="">All agents</option>
        {agents.map((a) => (
          <option key={a.id} value={a.id}>
            {a.name}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-kind`}>Entry</label>
      <select id={`${id}-kind`} value={filters.kind ?? ''} onChange={(e) => setFilters({ kind: (e.target.value || null) as LogKind | null })} data-testid="global-search-filter-kind">
        <option value="">Any kind</option>
        {LOG_KINDS.map((k) => (
          <option key={k} value={k}>
            {KIND_INFO[k].label}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-when`}>When</label>
      <select id={`${id}-when`} value={filters.when} onChange={(e) => setFilters({ when: e.target.value as SearchWhen })} data-testid="global-search-filter-when">
        {(Object.keys(WHEN_LABELS) as SearchWhen[]).map((w) => (
          <option key={w} value={w}>
            {WHEN_LABELS[w]}
          </option>
        ))}
      </select>
    </div>
  );
}
