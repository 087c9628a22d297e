/** The shape of bench/results/latest.json (also what the printed table is made from). */
import type { ConcurrencyReport } from './concurrency';
import type { ConcurrentResult, LatencyResult } from './measure';
import type { TranslationResult } from './translation';

export interface AddedLatency {
  nonStreamP50: number;
  nonStreamP99: number;
  ttfbP50: number;
  ttfbP99: number;
}

export interface BenchResults {
  meta: {
    date: string;
    node: string;
    platform: string;
    cpus: number;
    cpuModel: string;
    gitCommit?: string;
    clientRequestBytes: number;
    warmup: number;
    iterations: number;
    peer: string;
    /** Where the baseline's OpenAI body came from. */
    baselineSource?: 'captured from Patchbay' | 'encoded in-process by the codecs';
  };
  latency: {
    baseline?: LatencyResult;
    patchbay?: LatencyResult;
    peer?: LatencyResult;
    /** The baseline request through a bare node:http relay process (cost of one process hop). */
    relay?: LatencyResult;
    /** Added over the baseline (target p50 - baseline p50, same for p99), ms. */
    patchbayAdded?: AddedLatency;
    peerAdded?: AddedLatency;
    relayAdded?: AddedLatency;
    /** Patchbay minus the null relay: Patchbay's own work beyond the unavoidable process hop. */
    patchbayOverRelay?: AddedLatency;
    /** patchbayAdded / peerAdded per field (below 1 = Patchbay adds less). */
    ratio?: AddedLatency;
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
  targets?: {
    patchbayAddedP50UnderOneMs: boolean;
    patchbayAddsLessThanHalfOfPeer: boolean;
  };
  /** Why a part could not run (e.g. the peer failed to start); the rest still ran. */
  problems: string[];
}
