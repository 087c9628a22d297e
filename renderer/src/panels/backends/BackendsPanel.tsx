/** Backends: the list (switch, key, test, edit, remove), add from a preset or custom, failover. */
import { useState } from 'react';
import { selectEngine } from '../../store/selectors';
import { usePatchbay } from '../../store/use-patchbay';
import { EmptyState } from '../../ui/EmptyState';
import { BackendForm } from './BackendForm';
import { BackendRow } from './BackendRow';
import { FailoverOrder } from './FailoverOrder';

export function BackendsPanel() {
  const engine = usePatchbay(selectEngine);
  const status = usePatchbay((s) => s.engine);
  const [adding, setAdding] = useState(false);

  if (!engine) {
    if (status.status === 'error') return <EmptyState tone="error" title="Backends could not be read">{status.message}</EmptyState>;
    return <EmptyState tone="loading" title="Loading backends…" />;
  }
  return (
    <div className="stack">
      <div className="panel-head">
        <h2>Backends</h2>
        {!adding ? (
          <button type="button" className="btn btn-primary" onClick={() => setAdding(true)}>
            Add backend
          </button>
        ) : null}
      </div>
      {adding ? <BackendForm onDone={() => setAdding(false)} /> : null}
      {engine.backends.length === 0 && !adding ? <EmptyState title="No backends yet">Add one from a preset (Moonshot, NVIDIA NIM) or your own endpoint.</EmptyState> : null}
      {engine.backends.map((b) => (
        <BackendRow key={b.id} view={b} active={b.id === engine.active} />
      ))}
      {engine.backends.length > 1 ? <FailoverOrder engine={engine} /> : null}
    </div>
  );
}
