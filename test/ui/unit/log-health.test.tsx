/** The UI's side of issue 11: interrupted rows (status cell, latency, filter) and the notice when the request log is failing. */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { LogHealthLine } from '../../../renderer/src/panels/log/LogHealthNotice';
import { latencyCell, noteCell, statusCell, statusTitle } from '../../../renderer/src/panels/log/log-cells';
import { createPatchbayStore } from '../../../renderer/src/store/patchbay-store';
import { selectEngine, selectVisibleRows } from '../../../renderer/src/store/selectors';
import { fakeBridge } from './fake-bridge';
import { row, state } from './fixtures';

const flush = () => new Promise((r) => setTimeout(r, 0));
const INTERRUPTED = 'interrupted: Patchbay stopped before this request finished';

describe('interrupted requests in the log', () => {
  const interrupted = row({ id: 'cut', status: 0, interrupted: true, error: INTERRUPTED, latencyMs: 0, ttftMs: undefined, tokens: { input: 0, output: 0, cached: 0 } });

  it('shows them as halted, says why, and does not claim a duration', () => {
    expect(statusCell(interrupted)).toBe('halted');
    expect(statusTitle(interrupted)).toBe(INTERRUPTED);
    expect(latencyCell(interrupted, Date.now())).toBe('–');
    expect(noteCell(interrupted)).toBe(INTERRUPTED);
    const failed = row({ status: 0, error: 'upstream unreachable' });
    expect(statusCell(failed)).toBe('failed');
    expect(statusTitle(failed)).toBeUndefined();
  });

  it('the status filter "interrupted" keeps only them; "errors" includes them', async () => {
    const rows = [row({ id: 'ok' }), interrupted, row({ id: 'bad', status: 500, error: 'upstream 500' })];
    const store = createPatchbayStore(fakeBridge({ getState: () => state(), listRequests: () => ({ items: [...rows].reverse(), nextCursor: null }) }));
    store.getState().start();
    await flush();
    store.getState().setLogFilter({ status: 'interrupted' });
    expect(selectVisibleRows(store.getState()).map((r) => r.id)).toEqual(['cut']);
    store.getState().setLogFilter({ status: 'error' });
    expect(selectVisibleRows(store.getState()).map((r) => r.id)).toEqual(['bad', 'cut']);
  });
});

describe('the request log failing', () => {
  const failing = { since: '2026-11-25T12:00:00.000Z', message: 'ENOSPC: no space left on device, write' };

  it('is shown as an alert with the error while writes fail, and not at all once they succeed', () => {
    const html = renderToStaticMarkup(<LogHealthLine health={{ ...state().requestLog, failing, writeErrors: 3 }} />);
    expect(html).toContain('role="alert"');
    expect(html).toContain('The request log cannot be written');
    expect(html).toContain('ENOSPC: no space left on device');
    expect(html).toContain('Model calls are still served');
    expect(renderToStaticMarkup(<LogHealthLine health={state().requestLog} />)).toBe('');
  });

  it('follows the state the engine sends when the log starts and stops failing', async () => {
    const bridge = fakeBridge({ getState: () => state(), listRequests: () => ({ items: [], nextCursor: null }) });
    const store = createPatchbayStore(bridge);
    store.getState().start();
    await flush();
    const notice = () => renderToStaticMarkup(<LogHealthLine health={selectEngine(store.getState())!.requestLog} />);
    expect(notice()).toBe('');
    bridge.push({ type: 'stateChanged', data: state({ requestLog: { ...state().requestLog, failing, writeErrors: 1 } }) });
    expect(notice()).toContain('ENOSPC');
    bridge.push({ type: 'stateChanged', data: state() });
    expect(notice()).toBe('');
  });
});
