import { Logger } from '@nestjs/common';

/** A JWKS document as the identity service serves it (`/.well-known/jwks.json`). */
export interface JwksDocument {
  keys: Record<string, unknown>[];
  /** The response's Cache-Control max-age, when it sent one. */
  maxAgeMs?: number;
  /** When this copy was fetched (epoch ms). */
  fetchedAt: number;
}

export interface JwksFetcherOptions {
  /** Deadline of one fetch, headers and body together. */
  timeoutMs: number;
  /** After a successful fetch, the network is not asked again for this long. */
  cooldownMs: number;
  /** After a failed fetch, callers get the last good set (or an error) for this long. */
  failureBackoffMs?: number;
  /** A larger body is refused (a JWKS is a few KB). */
  maxBytes?: number;
}

/** The JWKS could not be fetched and no earlier copy is held. */
export class JwksUnavailableError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('JWKS unavailable', options);
    this.name = 'JwksUnavailableError';
  }
}

const DEFAULT_FAILURE_BACKOFF_MS = 1_000;
const DEFAULT_MAX_BYTES = 256 * 1024;

/**
 * Fetches the identity service's JWKS for the key provider, with:
 * - a deadline over the whole fetch (a socket idle timer alone never trips on a
 *   slow-dripping server);
 * - a cooldown: every token with an unknown kid asks for a refresh, so a burst of
 *   them would otherwise each reach the identity service; within the cooldown
 *   they are answered from the last set (and fail);
 * - one fetch in flight, shared by every caller;
 * - the response's Cache-Control max-age, for the provider to expire keys by;
 * - stale-if-error: if a refresh fails, the last good set keeps serving, so an
 *   identity outage does not log every user out. A removed key therefore stays
 *   trusted until a refresh succeeds.
 *
 * @example const fetcher = new JwksFetcher(jwt.jwksUrl, { timeoutMs: 2_000, cooldownMs: 2_000 });
 */
export class JwksFetcher {
  private readonly logger = new Logger('JwksFetcher');
  private last?: JwksDocument;
  private inFlight?: Promise<JwksDocument>;
  private nextFetchAt = 0;

  constructor(
    private readonly url: string,
    private readonly options: JwksFetcherOptions,
  ) {}

  /** The key set: from the network at most once per cooldown, else the last one held. */
  get(): Promise<JwksDocument> {
    if (this.inFlight) return this.inFlight;
    if (Date.now() < this.nextFetchAt) {
      return this.last ? Promise.resolve(this.last) : Promise.reject(new JwksUnavailableError());
    }
    this.inFlight = this.download()
      .then(
        (document) => {
          this.last = document;
          this.nextFetchAt = Date.now() + this.options.cooldownMs;
          return document;
        },
        (error: unknown) => {
          const backoff = Math.min(this.options.cooldownMs, this.options.failureBackoffMs ?? DEFAULT_FAILURE_BACKOFF_MS);
          this.nextFetchAt = Date.now() + backoff;
          this.logger.warn(`JWKS fetch failed (${describe(error)}); ${this.last ? 'serving the last key set' : 'no key set held'}`);
          if (this.last) return this.last;
          throw new JwksUnavailableError({ cause: error });
        },
      )
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  private async download(): Promise<JwksDocument> {
    const response = await fetch(this.url, {
      headers: { accept: 'application/json' },
      redirect: 'error',
      signal: AbortSignal.timeout(this.options.timeoutMs),
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`status ${response.status}`);
    }
    const document = JSON.parse(await readCapped(response, this.options.maxBytes ?? DEFAULT_MAX_BYTES)) as Partial<JwksDocument>;
    if (!Array.isArray(document?.keys)) throw new Error('no "keys" array');
    return { keys: document.keys, maxAgeMs: maxAgeOf(response.headers.get('cache-control')), fetchedAt: Date.now() };
  }
}

async function readCapped(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    // Throwing out of the loop cancels the body stream.
    if (size > maxBytes) throw new Error(`body over ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function maxAgeOf(cacheControl: string | null): number | undefined {
  const match = cacheControl ? /(?:^|,)\s*(?:s-)?max-age=(\d+)/i.exec(cacheControl) : null;
  if (cacheControl && /no-store|no-cache/i.test(cacheControl)) return 0;
  return match ? Number(match[1]) * 1000 : undefined;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return 'timed out';
  // fetch reports "fetch failed" and keeps the socket error (ECONNREFUSED, ...) as its cause.
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? `${error.message}: ${code}` : error.message;
}
