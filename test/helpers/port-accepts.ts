/** Whether something accepts TCP connections on 127.0.0.1:<port> (how tests see that a port was released). */
import { connect } from 'node:net';

export function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
