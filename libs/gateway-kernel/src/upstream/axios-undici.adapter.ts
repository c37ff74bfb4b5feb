import { AxiosError, AxiosHeaders, type AxiosAdapter, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import type { UpstreamCall } from '../pipeline/upstream-call';
import { readUpstreamBody } from './upstream-body.reader';
import { lowerCased, toUpstreamRequest, type UpstreamCallHints } from './upstream-request.builder';

declare module 'axios' {
  interface AxiosRequestConfig {
    /** Hints for the gateway's upstream pipeline (see UpstreamCallHints). */
    gateway?: UpstreamCallHints;
  }
}

/**
 * An axios adapter that sends through the upstream pipeline (its transport,
 * deadline, retries, breakers) instead of node:http, so teams keep axios's API
 * (interceptors, config) at undici's speed.
 *
 * @example axios.create({ adapter: axiosUndiciAdapter('catalog', pipeline) })
 */
export function axiosUndiciAdapter(upstream: string, call: UpstreamCall): AxiosAdapter {
  return async (config: InternalAxiosRequestConfig): Promise<AxiosResponse> => {
    const headers = lowerCased(AxiosHeaders.from(config.headers).toJSON(true) as Record<string, string>);
    const request = toUpstreamRequest(config as Parameters<typeof toUpstreamRequest>[0], headers, config.responseType !== 'stream');
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
    axiosResponse.data = await readUpstreamBody(upstream, response.body, config.responseType);
    return axiosResponse;
  };
}
