/**
 * The request log as a virtualised table (TanStack Virtual; fixed row height), newest first.
 * At the top it follows new rows; scrolled down to read, new rows arriving above do not move
 * what is on screen (the scroll position is shifted by their height) and a "N new" pill brings
 * you back. Arrow keys move the selection, Enter opens the detail; in-flight rows tick live.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { RequestSummary } from '../../../../app/api/contract';
import { statusClassOf } from '../../store/selectors';
import { formatClock, latencyCell, modelCell, noteCell, speedCell, statusCell, statusTitle, tokensCell } from './log-cells';
import { formatMs } from '../../ui/format';

export const ROW_HEIGHT = 28;

const COLUMNS = ['time', 'agent', 'backend', 'model asked → used', 'status', 'latency', 'TTFT', 'in / out / cached', 'tok/s', 'note'];
const NUMERIC = new Set(['latency', 'TTFT', 'in / out / cached', 'tok/s']);

interface Props {
  rows: RequestSummary[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  onOpen: (id: string) => void;
  onNearEnd: () => void;
}

export function LogTable({ rows, selectedId, onSelect, onOpen, onNearEnd }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const [newCount, setNewCount] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  const previousFirst = useRef<string | undefined>(undefined);
  const anyInFlight = rows.some((r, i) => i < 200 && r.inFlight);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // Keyboard selection never hides a row under the sticky header.
    scrollPaddingStart: ROW_HEIGHT,
    getItemKey: (i) => rows[i]!.id,
  });

  useEffect(() => {
    if (!anyInFlight) return;
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, [anyInFlight]);

  // New rows above: keep the reader's place unless they are at the top (following).
  useLayoutEffect(() => {
    const el = scroller.current;
    const before = previousFirst.current;
    previousFirst.current = rows[0]?.id;
    if (!el || before === undefined || rows[0]?.id === before) return;
    const added = rows.findIndex((r) => r.id === before);
    if (added <= 0) return;
    if (el.scrollTop > ROW_HEIGHT / 2) {
      el.scrollTop += added * ROW_HEIGHT;
      setNewCount((n) => n + added);
    }
  }, [rows]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    if (el.scrollTop <= ROW_HEIGHT / 2 && newCount) setNewCount(0);
    if (el.scrollHeight - el.scrollTop - el.clientHeight < ROW_HEIGHT * 20) onNearEnd();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const index = rows.findIndex((r) => r.id === selectedId);
    let next: number;
    if (e.key === 'ArrowDown') next = Math.min(rows.length - 1, index + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, index - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = rows.length - 1;
    else if (e.key === 'PageDown') next = Math.min(rows.length - 1, index + 15);
    else if (e.key === 'PageUp') next = Math.max(0, index - 15);
    else if (e.key === 'Enter' && selectedId) {
      onOpen(selectedId);
      e.preventDefault();
      return;
    } else return;
    e.preventDefault();
    const row = rows[next];
    if (row) {
      onSelect(row.id);
      virtualizer.scrollToIndex(next, { align: 'auto' });
    }
  };

  const toTop = () => {
    scroller.current?.scrollTo({ top: 0 });
    setNewCount(0);
  };

  const pick = useCallback((id: string) => (onSelect(id), onOpen(id)), [onSelect, onOpen]);
  const items = virtualizer.getVirtualItems();
  return (
    <div className="log-table">
      {newCount > 0 ? (
        <button type="button" className="new-pill" onClick={toTop}>
          {newCount} new ↑
        </button>
      ) : null}
      <div
        ref={scroller}
        className="log-scroller"
        role="grid"
        aria-label="Requests, newest first: arrow keys select, Enter opens"
        aria-rowcount={rows.length + 1}
        aria-readonly="true"
        tabIndex={0}
        onScroll={onScroll}
        onKeyDown={onKeyDown}
        aria-activedescendant={selectedId ? `row-${selectedId}` : undefined}
      >
        <div role="rowgroup" className="log-head">
          <div className="log-row log-header" role="row" aria-rowindex={1}>
            {COLUMNS.map((c) => (
              <span key={c} role="columnheader" className={NUMERIC.has(c) ? 'log-cell right' : 'log-cell'}>
                {c}
              </span>
            ))}
          </div>
        </div>
        <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const r = rows[item.index]!;
            return (
              <LogRow
                key={item.key}
                row={r}
                index={item.index}
                top={item.start}
                selected={r.id === selectedId}
                now={r.inFlight ? now : 0}
                onPick={pick}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}

interface RowProps {
  row: RequestSummary;
  index: number;
  top: number;
  selected: boolean;
  /** The clock for in-flight rows (0 for finished ones, so they do not re-render as it ticks). */
  now: number;
  onPick: (id: string) => void;
}

/** One row; re-renders only when its request, place or selection changes. */
const LogRow = memo(function LogRow({ row: r, index, top, selected, now, onPick }: RowProps) {
  const cls = statusClassOf(r);
  const note = noteCell(r);
  return (
    <div
      id={`row-${r.id}`}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={`log-row log-${cls}`}
      style={{ transform: `translateY(${top}px)` }}
      onClick={() => onPick(r.id)}
    >
      <span role="gridcell" className="log-cell num">{formatClock(r.time)}</span>
      <span role="gridcell" className="log-cell">{r.agent}</span>
      <span role="gridcell" className="log-cell mono">{r.backend ?? '–'}</span>
      <span role="gridcell" className="log-cell mono" title={modelCell(r)}>{modelCell(r)}</span>
      <span role="gridcell" className={`log-cell num status-${cls}`} title={statusTitle(r)}>{statusCell(r)}</span>
      <span role="gridcell" className="log-cell num right">{latencyCell(r, now)}</span>
      <span role="gridcell" className="log-cell num right">{r.ttftMs !== undefined ? formatMs(r.ttftMs) : ''}</span>
      <span role="gridcell" className="log-cell num right">{tokensCell(r)}</span>
      <span role="gridcell" className="log-cell num right">{speedCell(r)}</span>
      <span role="gridcell" className={`log-cell note ${r.error ? 'tone-bad' : 'muted'}`} title={note || undefined}>{note}</span>
    </div>
  );
});
