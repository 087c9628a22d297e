/** The lines that need a person (no key, key rejected, failing, rate limited, failover, offline). */
import { selectAttention } from '../../store/selectors';
import { usePatchbay } from '../../store/use-patchbay';

export function AttentionLines() {
  const lines = usePatchbay(selectAttention);
  if (lines.length === 0) return null;
  return (
    <ul className="attention" aria-label="Needs attention">
      {lines.map((line) => (
        <li key={line.text} className={`attention-line attention-${line.tone}`} role={line.tone === 'bad' ? 'alert' : 'status'}>
          <span className="attention-mark" aria-hidden="true">{line.tone === 'bad' ? '!' : '~'}</span>
          {line.text}
        </li>
      ))}
    </ul>
  );
}
