/** The shape of bench/results/latest.json (also what the printed table is made from). */
import type { IdleAfterTraffic } from './idle-after-traffic';
import type { ConcurrencyReport } from './concurrency';
import type { MemorySample } from './child/proxy-process';
import type { ConcurrentResult, LatencyResult } from './measure';
import type { StartupResult } from './startup';
import type { PacingBenchResult } from './pacing';
import type { SoakResult } from './soak';
import type { TranslationResult } from './translation';

export interface AddedLatency {
  nonStreamP50: number;
  nonStreamP99: number;
  ttfbP50: number;
  ttfbP99: number;
}

/** Sequential latency of one request kind through every target, and the differences. */
export interface LatencySet extends LatencyPhase {
  /** Size of the client's (Anthropic) request body, bytes. */
  clientRequestBytes: number;
  /** Where the baseline's OpenAI body came from. */
  baselineSource?: 'captured from Patchbay' | 'encoded in-process by the codecs';
  /**
   * The same rounds again once every process has served `fromRound` rounds: the steady state
   * of a proxy that runs all day (the first phase, the fields above, is its first minutes:
   * V8 is still optimizing the relay's and Patchbay's code alike).
   */
  steady?: LatencyPhase & {
    fromRound: number;
    /** Whether the peer ran in this phase (by default not: its work slows what runs beside it). */
    withPeer: boolean;
  };
}

/** One phase of the latency runs: each target's figures and the differences. */
export interface LatencyPhase {
  baseline?: LatencyResult;
  patchbay?: LatencyResult;
  peer?: LatencyResult;
  /** The baseline request through a bare node:http relay process (cost of one process hop). */
  relay?: LatencyResult;
  /**
   * The client's request through the translating floor (bench/child/floor-main.ts): node:http
   * and the real codecs, nothing else (no log, stats, guard, pacing, timeouts).
   */
  floor?: LatencyResult;
  /** Added over the baseline (target p50 - baseline p50, same for p99), ms. */
  patchbayAdded?: AddedLatency;
  peerAdded?: AddedLatency;
  relayAdded?: AddedLatency;
  /** Patchbay minus the null relay: Patchbay's own work beyond the unavoidable process hop. */
  patchbayOverRelay?: AddedLatency;
  /** The peer minus the null relay. */
  peerOverRelay?: AddedLatency;
  /** The translating floor minus the null relay: what translating alone costs. */
  floorOverRelay?: AddedLatency;
  /** Patchbay minus the translating floor: its log, stats, guard, pacing and safety nets. */
  patchbayOverFloor?: AddedLatency;
  /** patchbayAdded / peerAdded per field (below 1 = Patchbay adds less). */
  ratio?: AddedLatency;
}

export interface BenchResults {
  /** Issue 6.3: 30 concurrent requests against a hidden 10-per-10-s limit (bench/pacing.ts). */
  pacing?: PacingBenchResult;
  /** Issue 11: minutes of mixed traffic through a fresh Patchbay process (bench/soak.ts). */
  soak?: SoakResult;
  meta: {
    date: string;
    node: string;
    platform: string;
    cpus: number;
    cpuModel: string;
    gitCommit?: string;
    /** How Patchbay ran: the built bundle (bin/patchbay.js -> dist/patchbay.mjs) or the sources through tsx. */
    patchbayRuns: 'built bundle' | 'TypeScript sources (tsx)';
    warmup: number;
    iterations: number;
    /** Rounds every process has served before the steady-state phase (0: not measured). */
    steadyAfter: number;
    /** Rounds recorded in the steady-state phase (absent in results written before it had its own count). */
    steadyIterations?: number;
    peer: string;
  };
  latency: {
    /** A one-line prompt (~120 bytes). */
    small?: LatencySet;
    /** The ~45 KB Claude Code request. */
    claudeCode?: LatencySet;
  };
  /** Spawn to ready, CPU to ready and idle RSS, fresh processes without the memory probe. */
  startup: {
    /** bin/patchbay.js's check that dist/ is fresh (ms, median of 5): paid at every start, not in `patchbay`. */
    binCheckMs?: number;
    patchbay?: StartupResult;
    patchbaySource?: StartupResult;
    bareNode?: StartupResult;
  };
  /** The long-lived Patchbay process (memory probe preloaded): idle RSS after start and after the latency runs. */
  idleMemory: {
    afterStart?: MemorySample;
    afterTraffic?: MemorySample;
    afterTrafficGc?: MemorySample;
    /** A fresh probe-less `patchbay serve`, the latency runs' requests, then idle (bench/idle-after-traffic.ts). */
    idleAfterTraffic?: IdleAfterTraffic;
  };
  translation?: TranslationResult;
  concurrency: {
    streams: number;
    chunksPerStream: number;
    chunkIntervalMs: number;
    /** The same streams straight to the fake upstream (no proxy, no memory watch). */
    baseline?: ConcurrentResult;
    relay?: ConcurrencyReport;
    patchbay?: ConcurrencyReport;
    peer?: ConcurrencyReport;
  };
  /** The targets of issue 6 point 6 (and the older peer comparison); absent when not measured. */
  targets: Partial<{
    /** The latency targets after the warm-up (the first phase) ... */
    ownWorkSmallP50AtMost0_3ms: boolean;
    ownWorkClaudeCodeP50AtMost1ms: boolean;
    p99WithinTwoMsOfRelay: boolean;
    /** ... and at steady state (LatencySet.steady). */
    steadyOwnWorkSmallP50AtMost0_3ms: boolean;
    steadyOwnWorkClaudeCodeP50AtMost1ms: boolean;
    steadyP99WithinTwoMsOfRelay: boolean;
    idleRssAtMost80MB: boolean;
    readyWithin400ms: boolean;
    addsLessThanHalfOfPeer: boolean;
  }>;
  /** Why a part could not run (e.g. the peer failed to start); the rest still ran. */
  problems: string[];
}
