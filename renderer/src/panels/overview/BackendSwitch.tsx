/** One click switches the active backend; the next request goes there. */
import { useState } from 'react';
import { asBridgeError } from '../../bridge/bridge';
import { selectEngine } from '../../store/selectors';
import { usePatchbay } from '../../store/use-patchbay';

export function BackendSwitch() {
  const engine = usePatchbay(selectEngine);
  const switchBackend = usePatchbay((s) => s.switchBackend);
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!engine) return null;

  const choose = async (id: string) => {
    if (id === engine.active || pending) return;
    setPending(id);
    setError(null);
    try {
      await switchBackend(id);
    } catch (e) {
      setError(asBridgeError(e).message);
    } finally {
      setPending(null);
    }
  };

  return (
    <div className="switch-block">
      <div className="segmented" role="group" aria-label="Active backend">
        {engine.backends.map((b) => (
          <button
            key={b.id}
            type="button"
            className="segment"
            aria-pressed={b.id === engine.active}
            disabled={pending !== null && pending !== b.id}
            onClick={() => void choose(b.id)}
            title={`${b.model} (${b.format})`}
          >
            {b.name ?? b.id}
            {pending === b.id ? <span className="muted"> …</span> : null}
          </button>
        ))}
      </div>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
