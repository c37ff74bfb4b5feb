import type { ThrottleDeclaration } from '../throttling';
import type { LiveSourceFactory } from './sources/live-sources';

/**
 * What an app offers: the path and its transport, and how subscriptions are
 * limited. The app's throttling limits apply to every connection attempt;
 * `throttle` adds route-only ones (`{ overrides: { live: { ttl: 60000, limit: 30 } } }`).
 */
export interface LiveModuleOptions {
  readonly path: string;
  readonly transport: 'websocket' | 'sse';
  readonly throttle?: ThrottleDeclaration;
  /** Scopes every live connection needs (topics add their own: `orders:read` for `orders`). */
  readonly scopes?: readonly string[];
  /** Sources beside the default ones (`LIVE_SOURCES`). */
  readonly sources?: readonly LiveSourceFactory[];
}
