import { AsyncLocalStorage } from 'node:async_hooks';
import type { CancelSignal } from './call-signal';

/**
 * Who made the request, once authentication has run.
 *
 * @example if (principal.kind === 'partner') tier = principal.tier;
 */
export interface Principal {
  /** `user` for a bearer JWT, `partner` for an API key. */
  kind: 'user' | 'partner';
  /** The token's `sub`, or the API key's id (never the key itself). */
  id: string;
  scopes: readonly string[];
  /** Partner tier (`free`, `gold`, ...); absent for users. */
  tier?: string;
  /** Partner keys: the customers the key may act for (`auth.apiKeys[].customers`); absent for users. */
  customers?: ReadonlySet<string>;
  /**
   * Epoch ms at which the credential ends: a JWT's `exp`. Absent for API
   * keys, which last until the key store drops them. What outlives one
   * request (a live connection) ends here.
   */
  expiresAt?: number;
}

/**
 * What the gateway knows about the request in flight, without request-scoped providers.
 *
 * @example const deadline = RequestContextStore.current()?.deadline;
 */
export interface RequestContext {
  requestId: string;
  /** W3C traceparent to pass upstream (continued from the client or started here). */
  traceparent?: string;
  principal?: Principal;
  /** Epoch ms by which every upstream call of this request must have answered. */
  deadline?: number;
  /** Aborts when the client goes away, so in-flight upstream calls stop too (an AbortSignal or the gateway's CallSignal). */
  signal?: CancelSignal;
  /** Sets a header on this request's response (for stages that answer through the controller). */
  reply?: { header(name: string, value: string): unknown };
  /** The route template matched (`/api/products/:id`); absent when none matched. */
  route?: string;
  /** One `upstream:ms:outcome` entry per upstream call, for the access log: `catalog:12ms:ok`. */
  upstreamTimings?: string[];
}

const storage = new AsyncLocalStorage<RequestContext>();
const ATTACHED = Symbol('gatewayContext');
type WithContext = { [ATTACHED]?: RequestContext };

/**
 * The per-request context store (AsyncLocalStorage).
 *
 * @example const ctx = RequestContextStore.current(); ctx?.requestId
 */
export const RequestContextStore = {
  run<T>(context: RequestContext, fn: () => T): T {
    return storage.run(context, fn);
  },
  current(): RequestContext | undefined {
    return storage.getStore();
  },
  /** Runs `fn` outside any request: work a request starts but must outlive it (a shared upstream feed). */
  outside<T>(fn: () => T): T {
    return storage.exit(fn);
  },
};

/**
 * Ties a request's context to its raw request object, for code that runs
 * outside AsyncLocalStorage (Fastify hooks, exception filters).
 *
 * @example attachContext(request.raw, context)
 */
export function attachContext(raw: object, context: RequestContext): void {
  (raw as WithContext)[ATTACHED] = context;
}

/**
 * The context of a request, also reachable outside AsyncLocalStorage (hooks, filters).
 *
 * @example const route = contextOf(request)?.route;
 */
export function contextOf(request: { readonly raw: object }): RequestContext | undefined {
  return (request.raw as WithContext)[ATTACHED];
}
