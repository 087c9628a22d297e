/**
 * One agent: its snippets with Copy, override warnings, and for agents whose config files
 * Patchbay can write: Preview (the diff), Write, Restore (the backup; forced only on request).
 */
import { useState } from 'react';
import type { CommandResult } from '../../bridge/bridge';
import { asBridgeError } from '../../bridge/bridge';
import type { Agents } from '../../store/patchbay-store';
import { usePatchbay } from '../../store/use-patchbay';
import { CopyButton } from '../../ui/CopyButton';
import { formatDateTime } from '../../ui/format';

type Outcome =
  | { kind: 'preview'; result: CommandResult<'previewAgent'> }
  | { kind: 'write'; result: CommandResult<'writeAgent'> }
  | { kind: 'restore'; result: CommandResult<'restoreAgent'> }
  | { kind: 'error'; message: string; code: string };

export function AgentCard({ agent }: { agent: Agents[number] }) {
  const bridge = usePatchbay((s) => s.bridge);
  const loadAgents = usePatchbay((s) => s.loadAgents);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);
  const writable = agent.snippets.some((s) => s.kind === 'file');

  const act = async (kind: 'preview' | 'write' | 'restore', force = false) => {
    setBusy(true);
    try {
      if (kind === 'preview') setOutcome({ kind, result: await bridge.call('previewAgent', { id: agent.id }) });
      if (kind === 'write') setOutcome({ kind, result: await bridge.call('writeAgent', { id: agent.id }) });
      if (kind === 'restore') setOutcome({ kind, result: await bridge.call('restoreAgent', { id: agent.id, ...(force ? { force } : {}) }) });
      if (kind !== 'preview') await loadAgents();
    } catch (e) {
      const err = asBridgeError(e);
      setOutcome({ kind: 'error', message: err.message, code: err.code });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card agent-card" aria-label={agent.name}>
      <header className="card-head">
        <h3>{agent.name}</h3>
        {agent.written ? <span className="badge">written {formatDateTime(agent.written.at).slice(0, 16)}</span> : null}
        {agent.needsRewrite ? <span className="badge badge-warn">token changed: write again</span> : null}
        {writable ? (
          <div className="card-actions">
            <button type="button" className="btn btn-small" disabled={busy} onClick={() => void act('preview')}>
              Preview
            </button>
            <button type="button" className="btn btn-small" disabled={busy} onClick={() => void act('write')}>
              Write to config
            </button>
            {agent.written ? (
              <button type="button" className="btn btn-small btn-quiet" disabled={busy} onClick={() => void act('restore')}>
                Restore
              </button>
            ) : null}
          </div>
        ) : null}
      </header>
      {agent.warnings.map((w) => (
        <p key={w} className="attention-line attention-warn">
          {w}
        </p>
      ))}
      {agent.snippets.map((s) => (
        <div key={s.title + (s.target ?? '')} className="snippet">
          <div className="snippet-head">
            <span className="mono">{s.title}</span>
            <CopyButton text={s.text} ariaLabel={`Copy ${agent.name} ${s.title}`} />
          </div>
          <pre className="code" tabIndex={0}>
            <code>{s.text}</code>
          </pre>
        </div>
      ))}
      {outcome ? <AgentOutcome outcome={outcome} onForceRestore={() => void act('restore', true)} /> : null}
    </section>
  );
}

function AgentOutcome({ outcome, onForceRestore }: { outcome: Outcome; onForceRestore: () => void }) {
  if (outcome.kind === 'error') {
    return (
      <div className="form-error" role="alert">
        {outcome.message}
        {outcome.code === 'conflict' && /since|edited|changed/i.test(outcome.message) ? (
          <button type="button" className="btn btn-small btn-danger" onClick={onForceRestore}>
            Restore anyway
          </button>
        ) : null}
      </div>
    );
  }
  if (outcome.kind === 'preview') {
    return (
      <div className="outcome">
        {outcome.result.files.map((f) => (
          <div key={f.path} className="snippet">
            <div className="snippet-head">
              <span className="mono">{f.path}</span>
              <span className="muted">{!f.changed ? 'already up to date' : f.exists ? 'would change' : 'would be created'}</span>
            </div>
            {f.changed ? (
              <pre className="code diff" tabIndex={0}>
                <code>{f.diff}</code>
              </pre>
            ) : null}
          </div>
        ))}
      </div>
    );
  }
  if (outcome.kind === 'write') {
    return (
      <div className="outcome form-ok" role="status">
        {outcome.result.files.map((f) => (
          <div key={f.path}>
            <span className="mono">{f.path}</span> {f.changed ? `written${f.backup ? `, backup at ${f.backup}` : ''}` : 'unchanged'}
          </div>
        ))}
        {outcome.result.warnings.map((w) => (
          <div key={w} className="form-warn">
            {w}
          </div>
        ))}
      </div>
    );
  }
  return (
    <div className="outcome form-ok" role="status">
      {outcome.result.files.map((f) => (
        <div key={f.path}>
          <span className="mono">{f.path}</span> restored from <span className="mono">{f.restoredFrom}</span>
        </div>
      ))}
    </div>
  );
}
