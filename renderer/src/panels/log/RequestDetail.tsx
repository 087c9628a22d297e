/**
 * One request in full, beside the table: what happened (status, error, retries, queue wait,
 * failover), the request as received, as sent upstream, and the response, each with Copy.
 */
import { useEffect } from 'react';
import type { RequestSummary } from '../../../../app/api/contract';
import { usePatchbay } from '../../store/use-patchbay';
import { CopyButton } from '../../ui/CopyButton';
import { formatDateTime, formatMs } from '../../ui/format';
import { modelCell, statusCell, statusTitle, tokensCell } from './log-cells';

function Body({ title, body }: { title: string; body: { text: string; truncated: boolean; originalLength: number } | undefined }) {
  if (!body) return null;
  let text = body.text;
  try {
    if (!body.truncated) text = JSON.stringify(JSON.parse(body.text), null, 2);
  } catch {
    /* not JSON (a stream): shown as it is */
  }
  return (
    <div className="snippet">
      <div className="snippet-head">
        <span>{title}</span>
        {body.truncated ? <span className="muted num">cut at {body.text.length.toLocaleString('en')} of {body.originalLength.toLocaleString('en')} chars</span> : null}
        <CopyButton text={text} ariaLabel={`Copy ${title}`} />
      </div>
      <pre className="code code-body" tabIndex={0}>
        <code>{text}</code>
      </pre>
    </div>
  );
}

export function RequestDetail({ row, onClose }: { row: RequestSummary; onClose: () => void }) {
  const detail = usePatchbay((s) => s.details[row.id]);
  const loadDetail = usePatchbay((s) => s.loadDetail);
  const finished = !row.inFlight;

  useEffect(() => {
    if (finished) void loadDetail(row.id);
  }, [row.id, finished, loadDetail]);

  const entry = detail && 'value' in detail ? detail.value : undefined;
  const facts: Array<[string, string]> = [
    ['id', row.id],
    ['time', formatDateTime(row.time)],
    ['agent', row.agent],
    ['path', row.path ?? '–'],
    ['backend', row.backend ?? '–'],
    ['model', modelCell(row)],
    ['status', statusTitle(row) ?? statusCell(row)],
    ['latency', row.interrupted ? formatMs(undefined) : formatMs(row.latencyMs)],
    ['first token', formatMs(row.ttftMs)],
    ['tokens in/out/cached', tokensCell(row)],
    ['retries', String(row.retries)],
    ['queue wait', formatMs(row.queueWaitMs)],
  ];
  if (row.failoverFrom) facts.push(['failover from', row.failoverFrom]);
  if (row.overflowFrom) facts.push(['overflow from', row.overflowFrom]);
  if (row.upstreamId) facts.push(['upstream id', row.upstreamId]);

  return (
    <aside className="detail" aria-label={`Request ${row.id}`}>
      <header className="card-head">
        <h3>Request</h3>
        <span className="mono muted">{row.id}</span>
        <div className="card-actions">
          <CopyButton text={JSON.stringify(entry ?? row, null, 2)} label="Copy JSON" ariaLabel="Copy the request as JSON" />
          <button type="button" className="btn btn-small btn-quiet" onClick={onClose} aria-label="Close the request detail">
            Close
          </button>
        </div>
      </header>
      {row.error ? (
        <div className="attention-line attention-bad detail-error">
          <span>{row.error}</span>
          <CopyButton text={row.error} ariaLabel="Copy the error" />
        </div>
      ) : null}
      <dl className="props">
        {facts.map(([k, v]) => (
          <div key={k} className="prop">
            <dt>{k}</dt>
            <dd className="mono">{v}</dd>
          </div>
        ))}
      </dl>
      {row.notes?.length ? (
        <ul className="notes">
          {row.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
      {row.inFlight ? <p className="muted">In flight: the bodies are shown once it ends.</p> : null}
      {detail?.status === 'loading' ? <p className="muted">Loading…</p> : null}
      {detail?.status === 'error' ? <p className="form-error">{detail.message}</p> : null}
      {entry && !entry.bodies ? <p className="muted">Bodies are not kept (turn on log.bodies in the config to keep them).</p> : null}
      <Body title="Request as received" body={entry?.bodies?.request} />
      <Body title="Request as sent upstream" body={entry?.bodies?.upstreamRequest} />
      <Body title="Response" body={entry?.bodies?.response} />
    </aside>
  );
}
