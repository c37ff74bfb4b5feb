import { register } from 'prom-client';
import { RequestContextStore, type RequestContext } from '../context';
import { ErrorCode, GatewayError } from '../errors';
import { LocalCallError } from '../pipeline/local-call.error';
import type { UpstreamCall, UpstreamResponse } from '../pipeline/upstream-call';
import { upstreamTimingMiddleware } from './upstream-timing.middleware';

const answer = (statusCode: number): UpstreamCall => async () => ({ statusCode, headers: {}, body: {} as UpstreamResponse['body'], instance: 'i' });
const failing = (error: unknown): UpstreamCall => async () => {
  throw error;
};

async function observed(upstream: string, outcome: string): Promise<number> {
  const metric = await register.getSingleMetric('gateway_upstream_request_duration_seconds')!.get();
  return metric.values.find((v) => (v as { metricName?: string }).metricName?.endsWith('_count') && v.labels.upstream === upstream && v.labels.outcome === outcome)?.value ?? 0;
}

describe('upstreamTimingMiddleware', () => {
  it('adds name:ms:outcome to the request context and observes the histogram, per call', async () => {
    const context: RequestContext = { requestId: 'r1' };
    await RequestContextStore.run(context, async () => {
      await upstreamTimingMiddleware('timing-a')(answer(200))({ method: 'GET', path: '/', headers: {} });
      await upstreamTimingMiddleware('timing-b')(answer(503))({ method: 'GET', path: '/', headers: {} });
      await upstreamTimingMiddleware('timing-b')(answer(404))({ method: 'GET', path: '/', headers: {} });
    });
    expect(context.upstreamTimings).toEqual([
      expect.stringMatching(/^timing-a:\d+ms:ok$/),
      expect.stringMatching(/^timing-b:\d+ms:http_5xx$/),
      expect.stringMatching(/^timing-b:\d+ms:http_4xx$/),
    ]);
    expect(await observed('timing-a', 'ok')).toBe(1);
    expect(await observed('timing-b', 'http_5xx')).toBe(1);
  });

  it('labels failures by what they were, and still throws them', async () => {
    const context: RequestContext = { requestId: 'r2' };
    const timeout = new GatewayError(ErrorCode.GatewayTimeout, 'late');
    await RequestContextStore.run(context, async () => {
      await expect(upstreamTimingMiddleware('timing-c')(failing(timeout))({ method: 'GET', path: '/', headers: {} })).rejects.toBe(timeout);
      await expect(
        upstreamTimingMiddleware('timing-c')(failing(new GatewayError(ErrorCode.CircuitOpen)))({ method: 'GET', path: '/', headers: {} }),
      ).rejects.toBeInstanceOf(GatewayError);
      await expect(upstreamTimingMiddleware('timing-c')(failing(new Error('boom')))({ method: 'GET', path: '/', headers: {} })).rejects.toThrow('boom');
      await expect(
        upstreamTimingMiddleware('timing-c')(failing(new LocalCallError(new Error('invalid header'), 'timing-c')))({ method: 'GET', path: '/', headers: {} }),
      ).rejects.toBeInstanceOf(LocalCallError);
    });
    expect(context.upstreamTimings?.map((t) => t.split(':')[2])).toEqual(['timeout', 'circuit_open', 'error', 'local']);
    expect(await observed('timing-c', 'timeout')).toBe(1);
  });

  it('outside a request it only observes the histogram', async () => {
    await upstreamTimingMiddleware('timing-d')(answer(200))({ method: 'GET', path: '/', headers: {} });
    expect(await observed('timing-d', 'ok')).toBe(1);
  });
});
