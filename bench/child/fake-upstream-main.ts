/**
 * Runs the fake OpenAI upstream in its own process (so serving it never competes with the load
 * generator's event loop). Driven over IPC by fake-upstream-process.ts:
 * `{id, type:'pace', pace}` -> `{id}`; `{id, type:'lastBodies'}` -> `{id, bodies}`; `{id, type:'close'}` -> `{id}` then exit.
 */
import { startFakeOpenAiUpstream, type StreamPace } from '../fake-openai-upstream';

interface Command {
  id: number;
  type: 'pace' | 'lastBodies' | 'close';
  pace?: StreamPace;
}

if (typeof process.send !== 'function') {
  console.error('fake-upstream-main: must be started with an IPC channel');
  process.exit(2);
}
const send = (message: unknown) => process.send!(message);
const fake = await startFakeOpenAiUpstream();
process.on('message', (raw) => {
  const cmd = raw as Command;
  if (cmd.type === 'pace' && cmd.pace) {
    fake.pace = cmd.pace;
    send({ id: cmd.id });
  } else if (cmd.type === 'lastBodies') {
    send({ id: cmd.id, bodies: fake.lastBodies });
  } else if (cmd.type === 'close') {
    void fake.close().then(() => {
      send({ id: cmd.id });
      process.disconnect();
    });
  }
});
// The parent going away (even by a crash) ends this process too.
process.on('disconnect', () => void fake.close().then(() => process.exit(0)));
send({ type: 'ready', url: fake.url });
