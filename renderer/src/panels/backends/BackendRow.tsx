/** One backend in the Backends panel: what it is, its key, switch, test, edit, remove. */
import { useState } from 'react';
import type { BackendView } from '../../../../app/api/contract';
import { asBridgeError } from '../../bridge/bridge';
import { usePatchbay } from '../../store/use-patchbay';
import { BackendForm } from './BackendForm';
import { KeyField } from './KeyField';
import { TestResult } from './TestResult';

const FORMAT_NAME = { anthropic: 'Anthropic', openai: 'OpenAI Chat', responses: 'OpenAI Responses' } as const;

export function BackendRow({ view, active }: { view: BackendView; active: boolean }) {
  const test = usePatchbay((s) => s.tests[view.id]);
  const testBackend = usePatchbay((s) => s.testBackend);
  const switchBackend = usePatchbay((s) => s.switchBackend);
  const reloadState = usePatchbay((s) => s.reloadState);
  const bridge = usePatchbay((s) => s.bridge);
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = async (action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(asBridgeError(e).message);
    }
  };

  if (editing) return <BackendForm editing={view} onDone={() => setEditing(false)} />;

  return (
    <section className={`card backend-row ${active ? 'live-card-active' : ''}`} aria-label={`Backend ${view.name ?? view.id}`}>
      <header className="card-head">
        <h3>{view.name ?? view.id}</h3>
        {active ? <span className="badge badge-accent">active</span> : null}
        <span className="badge">{FORMAT_NAME[view.format]}</span>
        {view.quirksInForce !== 'none' ? <span className="badge">quirks: {view.quirksInForce}</span> : null}
        <div className="card-actions">
          {!active ? (
            <button type="button" className="btn btn-small" onClick={() => void run(() => switchBackend(view.id))}>
              Make active
            </button>
          ) : null}
          <button type="button" className="btn btn-small" disabled={test?.running} onClick={() => void testBackend(view.id)}>
            Test
          </button>
          <button type="button" className="btn btn-small btn-quiet" onClick={() => setEditing(true)}>
            Edit
          </button>
          {confirming ? (
            <>
              <button
                type="button"
                className="btn btn-small btn-danger"
                onClick={() => void run(async () => (await bridge.call('removeBackend', { id: view.id }), await reloadState()))}
              >
                Remove {view.id}
              </button>
              <button type="button" className="btn btn-small btn-quiet" onClick={() => setConfirming(false)}>
                Keep
              </button>
            </>
          ) : (
            <button
              type="button"
              className="btn btn-small btn-quiet"
              disabled={active}
              title={active ? 'Switch to another backend first' : undefined}
              onClick={() => setConfirming(true)}
            >
              Remove
            </button>
          )}
        </div>
      </header>
      <dl className="props">
        <dt>id</dt>
        <dd className="mono">{view.id}</dd>
        <dt>base URL</dt>
        <dd className="mono">{view.baseUrl}</dd>
        <dt>model</dt>
        <dd className="mono">
          {view.model}
          {view.smallModel && view.smallModel !== view.model ? <span className="muted"> · small {view.smallModel}</span> : null}
        </dd>
        <dt>limits</dt>
        <dd className="num">
          {view.rpm ? `${view.rpm}/min` : 'no rpm limit'}
          {view.maxConcurrency ? ` · ${view.maxConcurrency} at once` : ''}
          {view.contextWindow ? ` · ${view.contextWindow.toLocaleString('en')} tokens` : ''}
          {view.overflowTo ? ` · overflows to ${view.overflowTo}` : ''}
        </dd>
      </dl>
      <KeyField view={view} />
      <TestResult test={test} />
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
