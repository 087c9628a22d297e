/**
 * The window: a header (connection, active backend), the left navigation and one panel at a
 * time. The panel is kept in the address's hash (#log) so reload and back work.
 */
import { useEffect, useState } from 'react';
import { AgentsPanel } from '../panels/agents/AgentsPanel';
import { BackendsPanel } from '../panels/backends/BackendsPanel';
import { LogPanel } from '../panels/log/LogPanel';
import { OverviewPanel } from '../panels/overview/OverviewPanel';
import { EngineUnreachable, SignedOut } from './ConnectionNotice';
import { selectActiveBackend, selectEngine } from '../store/selectors';
import { usePatchbay } from '../store/use-patchbay';

export const PANELS = [
  { id: 'overview', title: 'Overview' },
  { id: 'backends', title: 'Backends' },
  { id: 'agents', title: 'Agents' },
  { id: 'log', title: 'Log' },
] as const;
export type PanelId = (typeof PANELS)[number]['id'];

function panelFromHash(): PanelId {
  const id = window.location.hash.replace(/^#\/?/, '');
  return PANELS.find((p) => p.id === id)?.id ?? 'overview';
}

const CONNECTION_TEXT = { connecting: 'Connecting…', online: 'Connected', offline: 'Engine unreachable', 'signed-out': 'Signed out' } as const;

export function App() {
  const [panel, setPanel] = useState<PanelId>(panelFromHash);
  const connection = usePatchbay((s) => s.connection);
  const active = usePatchbay(selectActiveBackend);
  const loaded = usePatchbay((s) => selectEngine(s) !== undefined);

  useEffect(() => {
    const onHash = () => setPanel(panelFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const go = (id: PanelId) => {
    window.location.hash = id;
    setPanel(id);
  };

  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">Patchbay</div>
        <div className="topbar-status">
          <span className={`dot dot-${connection}`} aria-hidden="true" />
          <span className="muted">{CONNECTION_TEXT[connection]}</span>
          {active ? (
            <span className="active-chip" title="The backend that serves the next request">
              {active.name ?? active.id} <span className="muted mono">{active.model}</span>
            </span>
          ) : null}
        </div>
      </header>
      <nav className="sidenav" aria-label="Panels">
        {PANELS.map((p) => (
          <a key={p.id} href={`#${p.id}`} className="navlink" aria-current={panel === p.id ? 'page' : undefined} onClick={(e) => (e.preventDefault(), go(p.id))}>
            {p.title}
          </a>
        ))}
      </nav>
      <main className="panel" aria-label={PANELS.find((p) => p.id === panel)!.title}>
        {connection === 'signed-out' ? <SignedOut /> : null}
        {connection === 'offline' && !loaded ? <EngineUnreachable /> : null}
        {connection !== 'signed-out' && (connection !== 'offline' || loaded) ? (
          <>
            {panel === 'overview' ? <OverviewPanel onOpen={go} /> : null}
            {panel === 'backends' ? <BackendsPanel /> : null}
            {panel === 'agents' ? <AgentsPanel /> : null}
            {panel === 'log' ? <LogPanel /> : null}
          </>
        ) : null}
      </main>
    </div>
  );
}
