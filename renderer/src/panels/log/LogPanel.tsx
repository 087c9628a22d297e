/** Log: filters, the live virtualised table, and the detail of the selected request. */
import { useCallback, useState } from 'react';
import { selectVisibleRows } from '../../store/selectors';
import { usePatchbay } from '../../store/use-patchbay';
import { EmptyState } from '../../ui/EmptyState';
import { LogFilters } from './LogFilters';
import { LogHealthNotice } from './LogHealthNotice';
import { LogTable } from './LogTable';
import { RequestDetail } from './RequestDetail';

export function LogPanel() {
  const rows = usePatchbay(selectVisibleRows);
  const total = usePatchbay((s) => s.log.rows.length);
  const logStatus = usePatchbay((s) => s.logStatus);
  const olderCursor = usePatchbay((s) => s.olderCursor);
  const loadOlderRows = usePatchbay((s) => s.loadOlderRows);
  const [selected, setSelected] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const openRow = open ? rows.find((r) => r.id === open) : undefined;
  // With the detail open, moving the selection (arrow keys) shows the newly selected request.
  const select = useCallback((id: string) => (setSelected(id), setOpen((o) => (o ? id : o))), []);

  const [loadingOlder, setLoadingOlder] = useState(false);
  const nearEnd = useCallback(() => {
    if (olderCursor === null || loadingOlder) return;
    setLoadingOlder(true);
    void loadOlderRows().finally(() => setLoadingOlder(false));
  }, [olderCursor, loadingOlder, loadOlderRows]);

  let body;
  if (total === 0 && logStatus.status === 'loading') body = <EmptyState tone="loading" title="Loading the request log…" />;
  else if (total === 0 && logStatus.status === 'error') body = <EmptyState tone="error" title="The request log could not be read">{logStatus.message}</EmptyState>;
  else if (total === 0) body = <EmptyState title="No requests yet">Point an agent at Patchbay (Agents panel); its requests appear here as they start.</EmptyState>;
  else if (rows.length === 0) body = <EmptyState title="No request matches the filters" />;
  else body = <LogTable rows={rows} selectedId={selected} onSelect={select} onOpen={setOpen} onNearEnd={nearEnd} />;

  return (
    <div className="log-panel" onKeyDown={(e) => e.key === 'Escape' && setOpen(null)}>
      <div className="log-main">
        <div className="panel-head">
          <h2>Log</h2>
          <LogFilters />
          <span className="muted num log-count" aria-live="polite">
            {rows.length === total ? `${total.toLocaleString('en')} rows` : `${rows.length.toLocaleString('en')} of ${total.toLocaleString('en')}`}
            {loadingOlder ? ' · loading older…' : ''}
          </span>
        </div>
        <LogHealthNotice />
        {body}
      </div>
      {openRow ? <RequestDetail row={openRow} onClose={() => setOpen(null)} /> : null}
    </div>
  );
}
