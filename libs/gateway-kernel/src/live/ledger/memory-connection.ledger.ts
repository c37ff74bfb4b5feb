import type { ConnectionLedger, LedgerPlace } from './connection-ledger.interface';

/**
 * Connections per user in this process: exact, and all there is without
 * Redis. The Redis ledger keeps one too, so the cap still holds on each
 * replica while Redis cannot be asked.
 *
 * @example const ledger = new MemoryConnectionLedger(5); const place = ledger.takeNow('u1');
 */
export class MemoryConnectionLedger implements ConnectionLedger {
  private readonly perUser = new Map<string, number>();

  constructor(private readonly limit: number) {}

  take(userId: string): Promise<LedgerPlace | undefined> {
    return Promise.resolve(this.takeNow(userId));
  }

  /** `take` without the promise. */
  takeNow(userId: string): LedgerPlace | undefined {
    const mine = this.perUser.get(userId) ?? 0;
    if (mine >= this.limit) return undefined;
    this.perUser.set(userId, mine + 1);
    let held = true;
    return {
      give: () => {
        if (!held) return;
        held = false;
        const left = (this.perUser.get(userId) ?? 1) - 1;
        if (left > 0) this.perUser.set(userId, left);
        else this.perUser.delete(userId);
      },
    };
  }

  /** Nothing lapses in one process: a connection's place is given back when it ends. */
  refresh(): void {
    return undefined;
  }
}
