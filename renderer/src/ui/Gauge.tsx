/**
 * Requests in the last minute against the backend's limit: a bar with the configured limit,
 * and a tick where the learned (lower) rate sits. Without a limit it shows the count alone.
 */
import { formatRate } from './format';

interface Props {
  used: number;
  limit: number | null;
  learned: number | null;
  label: string;
}

export function Gauge({ used, limit, learned, label }: Props) {
  const cap = limit ?? learned;
  const ratio = cap ? Math.min(1, used / cap) : 0;
  const learnedLower = learned !== null && (limit === null || learned < limit);
  const tone = cap && used >= (learnedLower ? learned! : cap) ? 'warn' : 'ok';
  return (
    <div className="gauge">
      <div className="gauge-head">
        <span className="gauge-label">{label}</span>
        <span className="num gauge-value">
          {used}
          {cap ? <span className="muted"> / {formatRate(cap)}</span> : <span className="muted"> no limit</span>}
        </span>
      </div>
      <div
        className="gauge-track"
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={cap ?? Math.max(used, 1)}
        aria-valuenow={used}
        aria-valuetext={cap ? `${used} of ${formatRate(cap)} per minute` : `${used} per minute`}
      >
        {cap ? <div className={`gauge-fill gauge-${tone}`} style={{ width: `${ratio * 100}%` }} /> : null}
        {learnedLower && limit ? <div className="gauge-tick" style={{ left: `${(learned! / limit) * 100}%` }} /> : null}
      </div>
      {learnedLower ? <div className="gauge-note">learned {formatRate(learned!)}/min from 429s</div> : null}
    </div>
  );
}
