/**
 * A Bridge for store and component tests: commands answered by handlers the test gives (a
 * missing one fails like the engine would, `not_found`), events and connection changes pushed
 * by the test, every call recorded.
 */
import { BridgeError } from '../../../renderer/src/bridge/bridge';
import type { AdminEvent, Bridge, CommandInput, CommandName, CommandResult, Connection } from '../../../renderer/src/bridge/bridge';

export type Handlers = { [C in CommandName]?: (input: CommandInput<C>) => CommandResult<C> | Promise<CommandResult<C>> };

export interface FakeBridge extends Bridge {
  calls: Array<{ command: CommandName; input: unknown }>;
  handlers: Handlers;
  push(event: AdminEvent): void;
  setConnection(connection: Connection): void;
  listenerCount(): number;
}

export function fakeBridge(handlers: Handlers = {}): FakeBridge {
  const events = new Set<(e: AdminEvent) => void>();
  const connections = new Set<(c: Connection) => void>();
  let connection: Connection = 'connecting';
  const bridge: FakeBridge = {
    calls: [],
    handlers,
    async call(command, ...args) {
      bridge.calls.push({ command, input: args[0] });
      const handler = bridge.handlers[command] as ((input: unknown) => unknown) | undefined;
      if (!handler) throw new BridgeError({ code: 'not_found', message: `no handler for ${command}` });
      return (await handler(args[0])) as never;
    },
    subscribe(listener) {
      events.add(listener);
      return () => events.delete(listener);
    },
    connection: () => connection,
    onConnection(listener) {
      connections.add(listener);
      return () => connections.delete(listener);
    },
    close() {
      events.clear();
    },
    push(event) {
      for (const l of [...events]) l(event);
    },
    setConnection(next) {
      connection = next;
      for (const l of [...connections]) l(next);
    },
    listenerCount: () => events.size,
  };
  return bridge;
}
