/**
 * A backend's key, write-only: shows whether one is set and its last 4 characters, takes a new
 * one in a password field that is cleared as soon as it is stored, and removes it.
 */
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { BackendView } from '../../../../app/api/contract';
import { asBridgeError } from '../../bridge/bridge';
import { usePatchbay } from '../../store/use-patchbay';

export function keyStatusText(view: BackendView): string {
  if (view.apiKey === 'none') return 'no key needed';
  if (!view.key.set) return view.apiKey.startsWith('env:') ? `no key (${view.apiKey.slice(4)} is not set)` : 'no key yet';
  const where = view.key.source.startsWith('env:') ? ` from ${view.key.source.slice(4)}` : '';
  return view.key.last4 ? `set, ends in ${view.key.last4}${where}` : `set${where}`;
}

export function KeyField({ view }: { view: BackendView }) {
  const bridge = usePatchbay((s) => s.bridge);
  const reloadState = usePatchbay((s) => s.reloadState);
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: 'ok' | 'bad'; text: string } | null>(null);
  const inputId = useId();

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!value.trim()) return;
    setBusy(true);
    setMessage(null);
    try {
      const result = await bridge.call('setKey', { id: view.id, key: value.trim() });
      setValue('');
      const switched = result.switchedFrom ? ` (now read from the keychain instead of ${result.switchedFrom})` : '';
      setMessage({ tone: 'ok', text: `Key set, ends in ${result.last4 ?? '…'}${switched}.` });
      await reloadState();
    } catch (err) {
      setMessage({ tone: 'bad', text: asBridgeError(err).message });
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    setBusy(true);
    setMessage(null);
    try {
      await bridge.call('deleteKey', { id: view.id });
      setMessage({ tone: 'ok', text: 'Key removed.' });
      await reloadState();
    } catch (err) {
      setMessage({ tone: 'bad', text: asBridgeError(err).message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="key-field" onSubmit={(e) => void save(e)}>
      <label htmlFor={inputId} className="field-label">
        Key <span className={view.key.set || view.apiKey === 'none' ? 'muted' : 'tone-bad'}>{keyStatusText(view)}</span>
      </label>
      <div className="inline">
        <input
          id={inputId}
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder={view.key.set ? 'Paste a new key to replace it' : 'Paste the key'}
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
        <button type="submit" className="btn btn-small" disabled={busy || !value.trim()}>
          {view.key.set ? 'Replace' : 'Set key'}
        </button>
        {view.key.set && view.key.source === 'keychain' ? (
          <button type="button" className="btn btn-small btn-quiet" disabled={busy} onClick={() => void remove()}>
            Remove
          </button>
        ) : null}
      </div>
      {message ? (
        <p className={message.tone === 'ok' ? 'form-ok' : 'form-error'} role={message.tone === 'ok' ? 'status' : 'alert'}>
          {message.text}
        </p>
      ) : null}
    </form>
  );
}
