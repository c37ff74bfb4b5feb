/** Injection token of the module's `LiveModuleOptions`. */
export const LIVE_MODULE_OPTIONS = Symbol('LIVE_MODULE_OPTIONS');

/** A feed's upstream position (and its channels' latest state) outlives a quiet hour, not a day. */
export const FEED_STATE_TTL_MS = 3_600_000;

/**
 * Feeds whose position (and channels' latest state) one process keeps in
 * memory: past this the longest unused go first, and such a feed opens again
 * from its upstream's current state. lru-cache allocates its arrays for
 * `max` entries up front: at 100,000 the two caches held 7 MB of an idle
 * BFF's RSS.
 */
export const MAX_KEPT_FEEDS = 5_000;

/**
 * A connection's place in the Redis ledger lapses after this many heartbeats
 * without a refresh: a replica that died frees its users' places that soon,
 * and one slow or failed refresh never drops a live connection's place.
 */
export const CONNECTION_PLACE_HEARTBEATS = 3;
