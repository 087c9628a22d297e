/**
 * Which desktop notifications successive States call for. Stateful over the States it is shown,
 * otherwise pure (the clock is passed in), so every rule is tested without Electron or waiting.
 *
 * - Key rejected: the upstream refused a backend's key (401/403). Once per backend until it
 *   recovers (a request succeeds there); again if a different key (new last four) is refused.
 * - 429s sustained: at least `rateLimitBurst` (5) 429 answers from one backend within the last
 *   minute. Patchbay retries and slows down by itself, so a few are normal; five a minute mean
 *   agents are waiting. At most once per backend per `repeatAfterMs` (10 minutes).
 * - Failover started: the active backend's requests go to another backend in the failover list;
 *   ended: it serves again. A backend switched away from ends its failover quietly (the user
 *   acted). A backend that keeps flapping gets at most one started/ended pair per `repeatAfterMs`.
 * - Context overflow rerouted: a prompt over a backend's context window went to its `overflowTo`.
 *   At most once per backend per `repeatAfterMs` (a long session may overflow on every request).
 *
 * Counters already there when a backend is first seen are history, not news: only conditions in
 * force then (a refused key, 429s in the last minute, a failover under way) are told at once.
 */
import type { BackendView, State } from '../../app/api/contract';

export type NoticeKind = 'key-rejected' | 'rate-limited' | 'failover-started' | 'failover-ended' | 'overflow';

export interface DesktopNotice {
  /** `<kind>:<backend>`: the same id for the same matter (a notifier may replace an earlier one). */
  id: string;
  title: string;
  body: string;
  kind: NoticeKind;
  backend: string;
}

export interface NotificationRulesOptions {
  /** 429s within the last minute that count as sustained rate limiting. */
  rateLimitBurst?: number;
  /** Quiet time per backend between two notices of the same kind (429s, overflows, failovers). */
  repeatAfterMs?: number;
}

export const DEFAULT_RATE_LIMIT_BURST = 5;
export const DEFAULT_REPEAT_AFTER_MS = 10 * 60_000;

type LiveStats = State['stats']['backends'][number];

interface Memory {
  /** The refusal we told of (its time and the key's last four then), until the key recovers. */
  keyNotice: { at: string; last4: string | undefined } | null;
  rateNoticeAt: number;
  overflows: number;
  overflowNoticeAt: number;
  failovers: number;
  /** The backend we said requests fail over to (null: no failover told, or it ended). */
  failingOverTo: string | null;
  failoverNoticeAt: number;
}

export class NotificationRules {
  private readonly memory = new Map<string, Memory>();
  private readonly burst: number;
  private readonly repeatAfterMs: number;

  constructor(options: NotificationRulesOptions = {}) {
    this.burst = options.rateLimitBurst ?? DEFAULT_RATE_LIMIT_BURST;
    this.repeatAfterMs = options.repeatAfterMs ?? DEFAULT_REPEAT_AFTER_MS;
  }

  observe(state: State, now: number): DesktopNotice[] {
    const notices: DesktopNotice[] = [];
    const seen = new Set<string>();
    for (const view of state.backends) {
      seen.add(view.id);
      const stats = state.stats.backends.find((b) => b.backend === view.id);
      if (!stats) continue;
      const first = !this.memory.has(view.id);
      const m = this.memory.get(view.id) ?? fresh(stats);
      this.memory.set(view.id, m);
      const say = (kind: NoticeKind, title: string, body: string) => notices.push({ id: `${kind}:${view.id}`, kind, backend: view.id, title, body });
      const name = view.name ?? view.id;
      const nameOf = (id: string) => state.backends.find((b) => b.id === id)?.name ?? id;

      // Key rejected
      const refused = stats.keyRejected;
      if (!refused) m.keyNotice = null;
      else if (!m.keyNotice || (m.keyNotice.last4 !== view.key.last4 && m.keyNotice.at !== refused.at)) {
        m.keyNotice = { at: refused.at, last4: view.key.last4 };
        say('key-rejected', `${name}: key rejected`, `The upstream answered ${refused.status} to the key Patchbay sends. Open Patchbay to set a new key.`);
      }

      // Failover
      const active = view.id === state.active;
      const current = stats.failedOverTo;
      const newFailover = stats.failovers > m.failovers || first;
      if (m.failingOverTo !== null) {
        if (current === null) {
          m.failingOverTo = null;
          say('failover-ended', `${name} is back`, `Requests are served by ${name} again.`);
        } else if (!active) m.failingOverTo = null; // switched away: the user acted, nothing to tell
        else m.failingOverTo = current;
      } else if (current !== null && active && newFailover && this.due(m.failoverNoticeAt, now)) {
        m.failingOverTo = current;
        m.failoverNoticeAt = now;
        say('failover-started', `${name}: failing over to ${nameOf(current)}`, `Requests ${name} could not serve (down or rate limited) are going to ${nameOf(current)}. You will be told when ${name} serves again.`);
      }
      m.failovers = stats.failovers;

      // 429s sustained
      if (stats.rateLimitedLastMinute >= this.burst && this.due(m.rateNoticeAt, now)) {
        m.rateNoticeAt = now;
        const pace = stats.learnedRpm !== null ? ` Patchbay now paces it at ${stats.learnedRpm} req/min and retries` : ' Patchbay retries after the wait it asks for';
        say('rate-limited', `${name} is rate limiting`, `${stats.rateLimitedLastMinute} requests were refused with 429 in the last minute.${pace}; agents wait longer until it eases.`);
      }

      // Context overflow rerouted
      if (stats.overflows > m.overflows) {
        const count = stats.overflows - m.overflows;
        if (this.due(m.overflowNoticeAt, now)) {
          m.overflowNoticeAt = now;
          const to = stats.lastOverflowTo !== null ? nameOf(stats.lastOverflowTo) : 'its overflow backend';
          say('overflow', `Prompt too long for ${name}`, `${overflowBody(count, name, view)} went to ${to}.`);
        }
      }
      m.overflows = stats.overflows;
    }
    for (const id of this.memory.keys()) if (!seen.has(id)) this.memory.delete(id);
    return notices;
  }

  private due(lastAt: number, now: number): boolean {
    return now - lastAt >= this.repeatAfterMs;
  }
}

function fresh(stats: LiveStats): Memory {
  return {
    keyNotice: null,
    rateNoticeAt: -Infinity,
    overflows: stats.overflows,
    overflowNoticeAt: -Infinity,
    failovers: stats.failovers,
    failingOverTo: null,
    failoverNoticeAt: -Infinity,
  };
}

function overflowBody(count: number, name: string, view: BackendView): string {
  const window = view.contextWindow !== undefined ? ` (${view.contextWindow.toLocaleString('en-US')} tokens)` : '';
  return count === 1 ? `A prompt over ${name}'s context window${window}` : `${count} prompts over ${name}'s context window${window}`;
}
