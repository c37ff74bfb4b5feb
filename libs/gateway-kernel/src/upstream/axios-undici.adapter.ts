import { AxiosError, AxiosHeaders, type AxiosAdapter, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { ErrorCode, GatewayError } from '../errors';
import type { UpstreamBody, UpstreamCall, UpstreamRequest } from './upstream-call';

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** What a caller may tell the upstream path about one axios call. */
export interface UpstreamCallHints {
  /** Every caller gets the same answer: caching and coalescing ignore who asks. */
  shared?: boolean;
  /** Cache TTL when the upstream sends no Cache-Control. */
  cacheTtlMs?: number;
}

declare module 'axios' {
  interface AxiosRequestConfig {
    /** Hints for the gateway's upstream pipeline (see UpstreamCallHints). */
    gateway?: UpstreamCallHints;
  }
}

/**
 * An axios adapter that sends through the upstream pipeline (undici pools,
 * deadline, retries, breakers) instead of node:http, so teams keep axios's API
 * (interceptors, config) at undici's speed.
 *
 * @example axios.create({ adapter: axiosUndiciAdapter('catalog', pipeline) })
 */
export function axiosUndiciAdapter(upstream: string, call: UpstreamCall): AxiosAdapter {
  return async (config: InternalAxiosRequestConfig): Promise<AxiosResponse> => {
    const method = (config.method ?? 'get').toUpperCase();
    const headers = lowerCased(AxiosHeaders.from(config.headers).toJSON(true) as Record<string, string>);
    const request: UpstreamRequest = {
      method,
      path: withParams(config.url ?? '/', config.params),
      headers,
      body: config.data as UpstreamRequest['body'],
      timeoutMs: config.timeout || undefined,
      signal: config.signal as AbortSignal | undefined,
      idempotent: IDEMPOTENT.has(method) || headers['idempotency-key'] !== undefined,
      buffered: config.responseType !== 'stream',
      shared: config.gateway?.shared,
      cacheTtlMs: config.gateway?.cacheTtlMs,
    };
    const response = await call(request);
    const ok = config.validateStatus ? config.validateStatus(response.statusCode) : true;
    const axiosResponse: AxiosResponse = {
      status: response.statusCode,
      statusText: '',
      headers: AxiosHeaders.from(response.headers as Record<string, string>),
      config,
      request: { upstream, instance: response.instance },
      data: undefined,
    };
    if (!ok) {
      // An upstream's error body never reaches the client: drop it unread.
      await response.body.dump();
      throw new AxiosError(
        `upstream ${upstream} answered ${response.statusCode}`,
        response.statusCode >= 500 ? AxiosError.ERR_BAD_RESPONSE : AxiosError.ERR_BAD_REQUEST,
        config,
        axiosResponse.request,
        axiosResponse,
      );
    }
    axiosResponse.data = await readBody(upstream, response.body, config.responseType);
    return axiosResponse;
  };
}

async function readBody(upstream: string, body: UpstreamBody, type?: string) {
  try {
    switch (type) {
      case 'stream':
        return body;
      case 'arraybuffer':
        return Buffer.from(await body.arrayBuffer());
      case 'text':
        return await body.text();
      default: {
        const text = await body.text();
        return text.length === 0 ? undefined : JSON.parse(text);
      }
    }
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'UND_ERR_BODY_TIMEOUT' || (error as Error).name === 'AbortError') {
      throw new GatewayError(ErrorCode.GatewayTimeout, `upstream ${upstream} did not answer in time`, { cause: error });
    }
    throw new GatewayError(ErrorCode.BadGateway, `upstream ${upstream} sent an unreadable response`, { cause: error });
  }
}

/** Stages look headers up by lower-case name (resource keys, Cache-Control, identity). */
function lowerCased(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) out[name.toLowerCase()] = headers[name];
  return out;
}

function withParams(url: string, params: unknown): string {
  if (!params || typeof params !== 'object') return url;
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params as Record<string, unknown>)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, String(item));
  }
  const query = search.toString();
  if (!query) return url;
  return `${url}${url.includes('?') ? '&' : '?'}${query}`;
}
