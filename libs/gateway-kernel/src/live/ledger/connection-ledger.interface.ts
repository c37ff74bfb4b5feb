/** One connection counted against its user's cap; given back once, when the connection ends. */
export interface LedgerPlace {
  give(): void;
}

/**
 * Counts each user's open live connections against `live.maxConnectionsPerUser`:
 * in this process alone (`MemoryConnectionLedger`), or across every replica
 * through Redis when `REDIS_URL` is set (`RedisConnectionLedger`), so a user
 * behind a load balancer cannot hold the cap once per replica.
 *
 * @example const place = await ledger.take('u1'); if (!place) refuse(); else onClose(() => place.give());
 */
export interface ConnectionLedger {
  /** A place for one more connection of `userId`, or undefined when the user is at the cap. */
  take(userId: string): Promise<LedgerPlace | undefined>;
  /** This replica's connections are still open: called on the hub's heartbeat, so a dead replica's places lapse. */
  refresh(): void;
}
