/** Overview (what the tray popover shows): attention, switch, live numbers per backend, copy env. */
import type { PanelId } from '../../window/App';
import { selectBackendCards, selectEngine } from '../../store/selectors';
import { usePatchbay } from '../../store/use-patchbay';
import { EmptyState } from '../../ui/EmptyState';
import { LogHealthNotice } from '../log/LogHealthNotice';
import { ActivityChart } from './ActivityChart';
import { AttentionLines } from './AttentionLines';
import { BackendLiveCard } from './BackendLiveCard';
import { BackendSwitch } from './BackendSwitch';
import { CopyClaudeEnv } from './CopyClaudeEnv';
import { PauseToggle } from './PauseToggle';

export function OverviewPanel({ onOpen }: { onOpen: (panel: PanelId) => void }) {
  const engine = usePatchbay(selectEngine);
  const status = usePatchbay((s) => s.engine);
  const cards = usePatchbay(selectBackendCards);

  if (!engine) {
    if (status.status === 'error') return <EmptyState tone="error" title="Patchbay's state could not be read">{status.message}</EmptyState>;
    return <EmptyState tone="loading" title="Connecting to Patchbay…" />;
  }
  return (
    <div className="stack">
      <AttentionLines />
      <LogHealthNotice />
      <div className="overview-top">
        <BackendSwitch />
        <div className="overview-actions">
          <div className="action-row">
            <PauseToggle />
            <CopyClaudeEnv />
          </div>
          <div className="links">
            <button type="button" className="link" onClick={() => onOpen('agents')}>
              Other agents…
            </button>
            <button type="button" className="link" onClick={() => onOpen('log')}>
              Open log →
            </button>
          </div>
        </div>
      </div>
      <ActivityChart />
      {cards.length === 0 ? (
        <EmptyState title="No backends yet">
          <button type="button" className="btn" onClick={() => onOpen('backends')}>
            Add a backend
          </button>
        </EmptyState>
      ) : (
        <div className="card-grid">
          {cards.map((c) => (
            <BackendLiveCard key={c.view.id} card={c} />
          ))}
        </div>
      )}
    </div>
  );
}
