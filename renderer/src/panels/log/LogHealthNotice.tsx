/**
 * Says so when the request log cannot be written (its folder gone or unwritable, the disk full):
 * model calls are still served, entries wait in memory and are written once the disk works again.
 * Shown on the Overview and the Log, in the attention lines' style; gone once a write succeeds.
 */
import type { State } from '../../../../app/api/contract';
import { selectEngine } from '../../store/selectors';
import { usePatchbay } from '../../store/use-patchbay';
import { formatClock } from '../../ui/format';

export function LogHealthNotice() {
  const health = usePatchbay((s) => selectEngine(s)?.requestLog);
  return health ? <LogHealthLine health={health} /> : null;
}

export function LogHealthLine({ health }: { health: State['requestLog'] }) {
  if (!health.failing) return null;
  return (
    <ul className="attention" aria-label="Request log">
      <li className="attention-line attention-bad" role="alert">
        <span className="attention-mark" aria-hidden="true">
          !
        </span>
        <span>
          The request log cannot be written (since {formatClock(health.failing.since)}: {health.failing.message}). Model calls are still served; their entries
          are kept in memory and written once the disk works again.
        </span>
      </li>
    </ul>
  );
}
