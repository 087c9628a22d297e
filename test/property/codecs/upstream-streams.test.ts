/**
 * Stream decoders under arbitrary chunkings and damaged frames (the properties are in
 * upstream-streams.properties.ts), each backend format in a watched worker: a case that does not
 * finish within its deadline fails the test with the case (a hang), instead of hanging the suite.
 */
import { test } from 'node:test';
import { WIRE_FORMATS } from '../../../app/codecs/registry';
import { runWatched } from '../watchdog/run-watched';

const CASE_DEADLINE_MS = 10_000;

for (const backend of WIRE_FORMATS) {
  test(`${backend} upstream streams, chunked anyhow and damaged, end every client's stream with a result or an error event`, async () => {
    await runWatched(new URL('./upstream-streams.properties.ts', import.meta.url), 'streamProperties', { backend, runs: 250 }, CASE_DEADLINE_MS);
  });
}
