/** Agents: each agent's snippets to copy, and writing/restoring the configs Patchbay can write. */
import { useEffect } from 'react';
import { usePatchbay } from '../../store/use-patchbay';
import { EmptyState } from '../../ui/EmptyState';
import { AgentCard } from './AgentCard';

export function AgentsPanel() {
  const agents = usePatchbay((s) => s.agents);
  const loadAgents = usePatchbay((s) => s.loadAgents);
  useEffect(() => {
    void loadAgents();
  }, [loadAgents]);

  const list = 'value' in agents ? agents.value : undefined;
  return (
    <div className="stack">
      <div className="panel-head">
        <h2>Agents</h2>
        <span className="muted">Point each agent at Patchbay once; switching backends never needs this again.</span>
      </div>
      {agents.status === 'error' ? (
        <EmptyState tone="error" title="The agents could not be read">
          {agents.message}
        </EmptyState>
      ) : null}
      {!list && agents.status !== 'error' ? <EmptyState tone="loading" title="Loading agents…" /> : null}
      {list?.length === 0 ? <EmptyState title="No agents known" /> : null}
      {list?.map((a) => (
        <AgentCard key={a.id} agent={a} />
      ))}
    </div>
  );
}
