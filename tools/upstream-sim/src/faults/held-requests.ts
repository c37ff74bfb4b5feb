import type { Socket } from 'node:net';

interface Held {
  socket: Socket;
  timer?: NodeJS.Timeout;
  onClose: () => void;
}

/**
 * Requests the faults keep waiting (latency) or never answer (hang). Each one
 * lets go when its socket closes, so a client giving up leaks no timer or
 * listener; `destroyAll` ends them on server close, so `close()` never waits
 * for a client that is still patient.
 */
export class HeldRequests {
  private readonly held = new Set<Held>();

  get size(): number {
    return this.held.size;
  }

  /** Calls `then` after `ms`, unless the socket closes first. */
  delay(socket: Socket, ms: number, then: () => void): void {
    if (socket.destroyed) return;
    const entry = this.hold(socket);
    entry.timer = setTimeout(() => {
      this.release(entry);
      then();
    }, ms);
  }

  /** Keeps the socket open with no answer until the client closes it. */
  hang(socket: Socket): void {
    if (!socket.destroyed) this.hold(socket);
  }

  destroyAll(): void {
    for (const entry of [...this.held]) {
      this.release(entry);
      entry.socket.destroy();
    }
  }

  private hold(socket: Socket): Held {
    const entry: Held = { socket, onClose: () => this.release(entry) };
    socket.once('close', entry.onClose);
    this.held.add(entry);
    return entry;
  }

  private release(entry: Held): void {
    clearTimeout(entry.timer);
    entry.socket.off('close', entry.onClose);
    this.held.delete(entry);
  }
}
