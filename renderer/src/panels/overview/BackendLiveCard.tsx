/** One backend's live numbers: the rate gauge, in flight, queued, 429s, retries, errors, tokens. */
import type { BackendCard } from '../../store/selectors';
import { Gauge } from '../../ui/Gauge';
import { formatCount } from '../../ui/format';

function Figure({ label, value, tone }: { label: string; value: number; tone?: 'warn' | 'bad' }) {
  return (
    <div className="figure">
      <dt>{label}</dt>
      <dd className={`num ${value > 0 && tone ? `tone-${tone}` : ''}`}>{formatCount(value)}</dd>
    </div>
  );
}

export function BackendLiveCard({ card }: { card: BackendCard }) {
  const { view, stats } = card;
  const tokens = stats?.tokens ?? { input: 0, output: 0, cached: 0 };
  const totalIn = tokens.input + tokens.cached;
  const cachedShare = totalIn > 0 ? Math.round((tokens.cached / totalIn) * 100) : null;
  return (
    <section className={`card live-card ${card.active ? 'live-card-active' : ''}`} aria-label={`${view.name ?? view.id} live numbers`}>
      <header className="card-head">
        <h3>{view.name ?? view.id}</h3>
        {card.active ? <span className="badge badge-accent">active</span> : null}
        {!view.key.set && view.apiKey !== 'none' ? <span className="badge badge-bad">no key</span> : null}
        <span className="muted mono card-sub">{view.model}</span>
      </header>
      <Gauge used={stats?.requestsLastMinute ?? 0} limit={stats?.rpmLimit ?? view.rpm ?? null} learned={stats?.learnedRpm ?? null} label="requests / min" />
      <dl className="figures">
        <Figure label="in flight" value={stats?.inFlight ?? 0} />
        <Figure label="queued" value={stats?.queued ?? 0} tone="warn" />
        <Figure label="429s" value={stats?.rateLimited ?? 0} tone="warn" />
        <Figure label="retries" value={stats?.retries ?? 0} />
        <Figure label="errors" value={stats?.errors ?? 0} tone="bad" />
      </dl>
      <p className="tokens-line num" title="Tokens since Patchbay started">
        <span className="muted">tokens</span> {formatCount(totalIn)} in · {formatCount(tokens.output)} out
        {cachedShare !== null ? ` · ${cachedShare}% cached` : ''}
      </p>
    </section>
  );
}
