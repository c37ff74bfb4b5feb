import type { AxiosInstance } from 'axios';
import type { UpstreamCall } from '../pipeline/upstream-call';
import { statusToGatewayError, toGatewayError } from '../pipeline/upstream-error.mapper';

/**
 * An axios instance for one upstream that sends through its pipeline, failing
 * with GatewayError. axios is required here, on the first use of
 * `UpstreamClient.http`, not when the kernel loads: the kernel's own calls
 * never go through it, and loading it cost a BFF ~70 ms of start-up.
 *
 * @example const http = createUpstreamAxios('catalog', config.timeoutMs, pipeline.call);
 */
export function createUpstreamAxios(name: string, timeoutMs: number, call: UpstreamCall): AxiosInstance {
  const { default: axios, AxiosError } = require('axios') as typeof import('axios');
  const { axiosUndiciAdapter } = require('./axios-undici.adapter') as typeof import('./axios-undici.adapter');
  const http = axios.create({
    adapter: axiosUndiciAdapter(name, call),
    timeout: timeoutMs,
    maxRedirects: 0,
    transitional: { silentJSONParsing: false, forcedJSONParsing: false },
    // The adapter already parsed JSON once; axios must not parse again.
    transformResponse: [(data: unknown) => data],
  });
  http.interceptors.response.use(undefined, (error: unknown) =>
    Promise.reject(error instanceof AxiosError && error.response ? statusToGatewayError(error.response.status, name) : toGatewayError(error, name)),
  );
  return http;
}
