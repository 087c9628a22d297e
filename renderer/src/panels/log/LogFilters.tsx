/** The Log's filters: backend, agent, status class, free text (applied to the rows kept). */
import { selectEngine, selectSeenAgents } from '../../store/selectors';
import { usePatchbay } from '../../store/use-patchbay';

const STATUS_CHOICES = [
  ['', 'any status'],
  ['inflight', 'in flight'],
  ['ok', 'ok'],
  ['error', 'errors'],
  ['interrupted', 'interrupted'],
  ['429', '429'],
  ['4xx', '4xx'],
  ['5xx', '5xx'],
] as const;

export function LogFilters() {
  const filter = usePatchbay((s) => s.logFilter);
  const setLogFilter = usePatchbay((s) => s.setLogFilter);
  const engine = usePatchbay(selectEngine);
  const agents = usePatchbay(selectSeenAgents);
  const active = filter.backend || filter.agent || filter.status || filter.text;

  return (
    <div className="filters" role="search" aria-label="Filter requests">
      <select aria-label="Backend" value={filter.backend} onChange={(e) => setLogFilter({ backend: e.target.value })}>
        <option value="">all backends</option>
        {engine?.backends.map((b) => (
          <option key={b.id} value={b.id}>
            {b.id}
          </option>
        ))}
      </select>
      <select aria-label="Agent" value={filter.agent} onChange={(e) => setLogFilter({ agent: e.target.value })}>
        <option value="">all agents</option>
        {agents.map((a) => (
          <option key={a} value={a}>
            {a}
          </option>
        ))}
      </select>
      <select aria-label="Status" value={filter.status} onChange={(e) => setLogFilter({ status: e.target.value })}>
        {STATUS_CHOICES.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
      <input type="search" aria-label="Search" placeholder="Search model, error, id…" value={filter.text} onChange={(e) => setLogFilter({ text: e.target.value })} />
      {active ? (
        <button type="button" className="btn btn-small btn-quiet" onClick={() => setLogFilter({ backend: '', agent: '', status: '', text: '' })}>
          Clear
        </button>
      ) : null}
    </div>
  );
}
