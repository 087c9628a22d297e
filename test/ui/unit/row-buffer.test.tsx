/** The row buffer: live upserts, older pages in front, the newest page merged after a reconnect. */
import { describe, expect, it } from 'vitest';
import { emptyRows, mergeNewest, prependOlder, upsertRow } from '../../../renderer/src/store/row-buffer';
import { row } from './fixtures';

describe('row buffer', () => {
  it('merges the newest page after a reconnect: finished versions win, live-only rows stay, time order', () => {
    const a = row({ id: 'a' });
    const b = row({ id: 'b', inFlight: true, status: 0 });
    const c = row({ id: 'c', inFlight: true, status: 0 });
    let buf = upsertRow(upsertRow(upsertRow(emptyRows(), a), b), c);
    // While offline, b finished; the log lists it finished, and c still in flight; d is new.
    const d = row({ id: 'd' });
    buf = mergeNewest(buf, [d, { ...c }, { ...b, inFlight: undefined, status: 200 }]);
    expect(buf.rows.map((r) => r.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(buf.rows[1]).toMatchObject({ id: 'b', status: 200 });
    expect(buf.rows[1]!.inFlight).toBeUndefined();
  });

  it('keeps a finished live row when the page still lists it in flight', () => {
    const live = row({ id: 'x', status: 200 });
    const buf = mergeNewest(upsertRow(emptyRows(), live), [{ ...live, status: 0, inFlight: true }]);
    expect(buf.rows[0]).toMatchObject({ status: 200 });
  });

  it('puts older pages in front only while there is room, skipping known ids', () => {
    const newest = row({ id: 'n' });
    let buf = upsertRow(emptyRows(3), newest);
    buf = prependOlder(buf, [row({ id: 'o1' }), newest, row({ id: 'o2' }), row({ id: 'o3' })]);
    expect(buf.rows.map((r) => r.id)).toEqual(['o2', 'o1', 'n']);
  });
});
