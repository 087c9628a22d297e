/**
 * The before/after hooks of the tests that drive the built UI in Chromium against the real
 * engine: a temp dir, the engine on the fake upstreams in it, Debian's Chromium; all closed and
 * removed afterwards. Call it inside the `describe`; read the fields inside the tests.
 */
import { after, before } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from './chromium';
import { startEngineOnFakeUpstreams, type EngineOnFakeUpstreams, type EngineOnFakeUpstreamsOptions } from './engine-on-fake-upstreams';
import { makeTempDir, removeTempDirs } from './temp-dirs';

export interface ChromiumOnEngine {
  readonly browser: Browser;
  readonly rig: EngineOnFakeUpstreams;
  /** The temp dir holding the engine's config and data (`<dir>/data`). */
  readonly dir: string;
}

export interface ChromiumOnEngineOptions extends Omit<EngineOnFakeUpstreamsOptions, 'dir'> {
  /** Names the temp dir. */
  tempDirName: string;
  /** Runs on the temp dir before the engine starts (files the engine should find). */
  prepare?: (dir: string) => void;
}

export function useChromiumOnEngine(opts: ChromiumOnEngineOptions): ChromiumOnEngine {
  const { tempDirName, prepare, ...engineOptions } = opts;
  let browser: Browser | undefined;
  let rig: EngineOnFakeUpstreams | undefined;
  let dir: string | undefined;
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not started: read it inside a test`);
    return value;
  };

  before(async () => {
    dir = makeTempDir(tempDirName);
    prepare?.(dir);
    rig = await startEngineOnFakeUpstreams({ ...engineOptions, dir });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await rig?.close();
    if (dir) removeTempDirs(dir);
  });

  return {
    get browser() {
      return started(browser, 'Chromium');
    },
    get rig() {
      return started(rig, 'the engine');
    },
    get dir() {
      return started(dir, 'the temp dir');
    },
  };
}
