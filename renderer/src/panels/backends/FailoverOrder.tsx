/** The ordered backends used when the active one is rate limited or down: add, remove, move. */
import { useState } from 'react';
import type { State } from '../../../../app/api/contract';
import { asBridgeError } from '../../bridge/bridge';
import { usePatchbay } from '../../store/use-patchbay';

export function FailoverOrder({ engine }: { engine: State }) {
  const bridge = usePatchbay((s) => s.bridge);
  const reloadState = usePatchbay((s) => s.reloadState);
  const [error, setError] = useState<string | null>(null);
  const order = engine.failover;
  const others = engine.backends.filter((b) => !order.includes(b.id));

  const save = async (next: string[]) => {
    setError(null);
    try {
      await bridge.call('setFailover', { backends: next });
      await reloadState();
    } catch (e) {
      setError(asBridgeError(e).message);
    }
  };
  const move = (i: number, by: number) => {
    const next = [...order];
    const [item] = next.splice(i, 1);
    next.splice(i + by, 0, item!);
    void save(next);
  };

  return (
    <section className="card" aria-label="Failover order">
      <header className="card-head">
        <h3>Failover</h3>
        <span className="muted">tried in this order when the active backend is rate limited or down</span>
      </header>
      {order.length === 0 ? <p className="muted">None: requests wait for the active backend.</p> : null}
      <ol className="failover-list">
        {order.map((id, i) => (
          <li key={id}>
            <span className="num muted">{i + 1}.</span> <span className="mono">{id}</span>
            <span className="inline">
              <button type="button" className="btn btn-small btn-quiet" disabled={i === 0} aria-label={`Move ${id} up`} onClick={() => move(i, -1)}>
                ↑
              </button>
              <button type="button" className="btn btn-small btn-quiet" disabled={i === order.length - 1} aria-label={`Move ${id} down`} onClick={() => move(i, 1)}>
                ↓
              </button>
              <button type="button" className="btn btn-small btn-quiet" aria-label={`Remove ${id} from failover`} onClick={() => void save(order.filter((x) => x !== id))}>
                Remove
              </button>
            </span>
          </li>
        ))}
      </ol>
      {others.length ? (
        <div className="inline">
          <label className="muted" htmlFor="failover-add">
            Add
          </label>
          <select id="failover-add" value="" onChange={(e) => e.target.value && void save([...order, e.target.value])}>
            <option value="">choose a backend…</option>
            {others.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name ?? b.id}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
