/** Injection token of the module's `LiveModuleOptions`. */
export const LIVE_MODULE_OPTIONS = Symbol('LIVE_MODULE_OPTIONS');

/** A feed's upstream position (and its channels' latest state) outlives a quiet hour, not a day. */
export const FEED_STATE_TTL_MS = 3_600_000;

/** Feeds whose position one process keeps in memory: past this the longest unused go first. */
export const MAX_KEPT_FEEDS = 100_000;
