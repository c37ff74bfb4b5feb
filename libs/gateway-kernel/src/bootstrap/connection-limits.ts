import type { Server } from 'node:net';

/**
 * Caps the open connections of one client address (the socket's peer): past
 * `max`, a new connection is closed at once, before any request is read, so
 * one client cannot hold every socket. Behind a proxy the peer is the proxy:
 * raise the cap (or set 0) there.
 *
 * @example limitConnectionsPerAddress(fastify.server, 256);
 */
export function limitConnectionsPerAddress(server: Server, max: number): void {
  if (max <= 0) return;
  const open = new Map<string, number>();
  server.on('connection', (socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const count = (open.get(address) ?? 0) + 1;
    if (count > max) {
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
