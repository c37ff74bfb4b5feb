import { Injectable } from '@nestjs/common';

/**
 * Whether the app is draining; readiness reads it to turn 503 so load
 * balancers stop sending new requests before the listener closes. Long-lived
 * connections (live updates) register with {@link onDrain} to be told at once.
 */
@Injectable()
export class ShutdownState {
  private draining = false;
  private readonly listeners: (() => void)[] = [];

  get isDraining(): boolean {
    return this.draining;
  }

  beginDrain(): void {
    if (this.draining) return;
    this.draining = true;
    for (const listener of this.listeners) listener();
  }

  /**
   * Runs `listener` when the drain begins (at once if it has).
   *
   * @example shutdown.onDrain(() => hub.drain());
   */
  onDrain(listener: () => void): void {
    if (this.draining) listener();
    else this.listeners.push(listener);
  }
}
