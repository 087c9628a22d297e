/**
 * Add a backend (from a preset or custom, any wire format) or edit one. Sends only what the
 * user filled in or changed; the engine validates the whole and names the field it refuses.
 */
import { useEffect, useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { BackendView } from '../../../../app/api/contract';
import { asBridgeError } from '../../bridge/bridge';
import { usePatchbay } from '../../store/use-patchbay';

const FIELDS = [
  { name: 'id', label: 'Id', hint: 'a-z 0-9 . _ -', mono: true },
  { name: 'name', label: 'Name', hint: 'shown in the switch' },
  { name: 'baseUrl', label: 'Base URL', hint: 'Anthropic format without /v1; OpenAI and Responses with it', mono: true },
  { name: 'model', label: 'Model', hint: 'for main work', mono: true },
  { name: 'smallModel', label: 'Small model', hint: 'background work; defaults to the model', mono: true },
  { name: 'rpm', label: 'Requests / min', hint: 'pacing limit', numeric: true },
  { name: 'contextWindow', label: 'Context window', hint: 'tokens', numeric: true },
] as const;

type FieldName = (typeof FIELDS)[number]['name'] | 'format';
type Values = Record<FieldName, string>;

function valuesOf(source: Record<string, unknown> | undefined): Values {
  const v = {} as Values;
  for (const f of [...FIELDS.map((x) => x.name), 'format' as const]) {
    const raw = source?.[f];
    v[f] = raw === undefined || raw === null ? '' : String(raw);
  }
  if (!v.format) v.format = 'openai';
  return v;
}

function typed(name: FieldName, value: string): unknown {
  const numeric = FIELDS.find((f) => f.name === name && 'numeric' in f);
  return numeric ? Number(value) : value;
}

interface Props {
  /** The backend to edit; absent to add one. */
  editing?: BackendView;
  onDone: () => void;
}

export function BackendForm({ editing, onDone }: Props) {
  const bridge = usePatchbay((s) => s.bridge);
  const presets = usePatchbay((s) => s.presets);
  const loadPresets = usePatchbay((s) => s.loadPresets);
  const reloadState = usePatchbay((s) => s.reloadState);
  const [preset, setPreset] = useState<string>('');
  const [values, setValues] = useState<Values>(() => valuesOf(editing));
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const formId = useId();

  useEffect(() => {
    if (!editing) void loadPresets();
  }, [editing, loadPresets]);

  const presetList = presets.status === 'ready' ? presets.value : [];
  const base: Record<string, unknown> | undefined = editing ?? presetList.find((p) => p.id === preset);

  const choosePreset = (id: string) => {
    setPreset(id);
    const p = presetList.find((x) => x.id === id);
    setValues({ ...valuesOf(p), id: p ? `${p.id}-2` : '' });
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const baseValues = valuesOf(base);
    const changed: Record<string, unknown> = {};
    for (const name of Object.keys(values) as FieldName[]) {
      if (name === 'id') continue;
      if (values[name] !== '' && (values[name] !== baseValues[name] || (!editing && !preset))) changed[name] = typed(name, values[name]);
    }
    try {
      if (editing) await bridge.call('editBackend', { id: editing.id, fields: changed });
      else await bridge.call('addBackend', preset ? { preset, id: values.id, ...changed } : { id: values.id, ...changed });
      await reloadState();
      onDone();
    } catch (err) {
      const b = asBridgeError(err);
      setError({ message: b.message, ...(b.field ? { field: b.field } : {}) });
    } finally {
      setBusy(false);
    }
  };

  const fieldError = (name: string) => (error?.field && (error.field === name || error.field.endsWith(`.${name}`)) ? error.message : null);

  return (
    <form className="card backend-form" onSubmit={(e) => void submit(e)} aria-label={editing ? `Edit ${editing.id}` : 'Add a backend'}>
      <h3>{editing ? `Edit ${editing.name ?? editing.id}` : 'Add a backend'}</h3>
      {!editing ? (
        <div className="field">
          <label htmlFor={`${formId}-preset`}>Start from</label>
          <select id={`${formId}-preset`} value={preset} onChange={(e) => choosePreset(e.target.value)}>
            <option value="">Custom</option>
            {presetList.map((p) => (
              <option key={p.id} value={p.id}>
                {String(p.name ?? p.id)}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <div className="field">
        <label htmlFor={`${formId}-format`}>Wire format</label>
        <select id={`${formId}-format`} value={values.format} onChange={(e) => setValues({ ...values, format: e.target.value })}>
          <option value="anthropic">Anthropic Messages</option>
          <option value="openai">OpenAI Chat Completions</option>
          <option value="responses">OpenAI Responses</option>
        </select>
      </div>
      {FIELDS.map((f) =>
        f.name === 'id' && editing ? null : (
          <div className="field" key={f.name}>
            <label htmlFor={`${formId}-${f.name}`}>{f.label}</label>
            <input
              id={`${formId}-${f.name}`}
              className={'mono' in f ? 'mono' : undefined}
              inputMode={'numeric' in f ? 'numeric' : undefined}
              value={values[f.name]}
              required={f.name === 'id' || (!preset && !editing && (f.name === 'baseUrl' || f.name === 'model'))}
              aria-invalid={fieldError(f.name) ? true : undefined}
              aria-describedby={`${formId}-${f.name}-hint`}
              onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}
            />
            <span id={`${formId}-${f.name}-hint`} className={fieldError(f.name) ? 'field-hint form-error' : 'field-hint'}>
              {fieldError(f.name) ?? f.hint}
            </span>
          </div>
        ),
      )}
      {error && !FIELDS.some((f) => fieldError(f.name)) ? (
        <p className="form-error" role="alert">
          {error.message}
        </p>
      ) : null}
      <div className="inline">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {editing ? 'Save' : 'Add backend'}
        </button>
        <button type="button" className="btn btn-quiet" onClick={onDone}>
          Cancel
        </button>
        {!editing ? <span className="muted">The key is set after adding, write-only.</span> : null}
      </div>
    </form>
  );
}
