/** The plain-words diagnosis of a backend test, with its latency. */
import type { BackendTest } from '../../store/patchbay-store';
import { formatMs } from '../../ui/format';

const VERDICT_TITLE: Record<string, string> = {
  ok: 'Works',
  no_key: 'No key',
  bad_key: 'Key rejected',
  wrong_base_url: 'Wrong base URL',
  unknown_model: 'Unknown model',
  unreachable: 'Unreachable',
  rate_limited: 'Rate limited',
  upstream_error: 'Upstream error',
};

export function TestResult({ test }: { test: BackendTest | undefined }) {
  if (!test) return null;
  if (test.running) return <p className="test-result muted" role="status">Testing…</p>;
  if (test.error) return <p className="test-result form-error" role="alert">{test.error}</p>;
  const d = test.diagnosis!;
  return (
    <p className={`test-result ${d.ok ? 'form-ok' : d.verdict === 'rate_limited' ? 'form-warn' : 'form-error'}`} role="status">
      <strong>{VERDICT_TITLE[d.verdict] ?? d.verdict}</strong>
      {d.latencyMs !== undefined ? <span className="num"> · {formatMs(d.latencyMs)}</span> : null}
      {' — '}
      {d.message}
    </p>
  );
}
