import { Injectable } from '@nestjs/common';

/**
 * Whether the app is draining; readiness reads it to turn 503 so load
 * balancers stop sending new requests before the listener closes.
 */
@Injectable()
export class ShutdownState {
  private draining = false;

  get isDraining(): boolean {
    return this.draining;
  }

  beginDrain(): void {
    this.draining = true;
  }
}
