/** Pause / Resume the proxy: while paused, agents are told to wait and retry; nothing reaches a backend. */
import { useState } from 'react';
import { asBridgeError } from '../../bridge/bridge';
import { selectEngine } from '../../store/selectors';
import { usePatchbay } from '../../store/use-patchbay';

export function PauseToggle() {
  const paused = usePatchbay((s) => selectEngine(s)?.paused ?? false);
  const setPaused = usePatchbay((s) => s.setPaused);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const toggle = async () => {
    setBusy(true);
    setError(null);
    try {
      await setPaused(!paused);
    } catch (err) {
      setError(asBridgeError(err).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <span className="pause-toggle">
      <button type="button" className="btn" aria-pressed={paused} disabled={busy} onClick={() => void toggle()}>
        {paused ? 'Resume proxy' : 'Pause proxy'}
      </button>
      {error ? (
        <span className="form-error" role="alert">
          {error}
        </span>
      ) : null}
    </span>
  );
}
