import { ErrorCode, GatewayError } from '../../errors';
import { BufferedBody } from '../../pipeline/buffered-body';
import type { InstanceTransport, UpstreamCall } from '../../pipeline/upstream-call';
import { testUpstreamConfig } from '../../testing/test-upstream';
import { createInstances } from '../upstream-instance.factory';
import { buildUpstreamPipeline } from '../upstream-pipeline.factory';
import { transportFor } from './transport.registry';
import { HttpConnections } from './http.transport';
import type { UpstreamTransport } from './upstream-transport';

/** A protocol of its own: answers from memory, counting what the pipeline asks of it. */
class FakeConnections implements InstanceTransport {
  sent = 0;
  closed = false;
  constructor(readonly origin: string) {}
  async probe(): Promise<boolean> {
    return true;
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

function fakeTransport(answer: (origin: string) => number) {
  const connected: FakeConnections[] = [];
  const transport: UpstreamTransport<FakeConnections> = {
    connect: (origin) => {
      const connections = new FakeConnections(origin);
      connected.push(connections);
      return connections;
    },
    lastStage: (): UpstreamCall => async (request) => {
      const connections = request.instance!.transport as FakeConnections;
      connections.sent++;
      const status = answer(connections.origin);
      if (status === 0) throw new GatewayError(ErrorCode.BadGateway, 'refused');
      return { statusCode: status, headers: {}, body: new BufferedBody(Buffer.from('{}')), instance: connections.origin };
    },
  };
  return { transport, connected };
}

describe('the transport seam', () => {
  const urls = ['http://a.test:1', 'http://b.test:2'];

  it('registers http, whose instances get one undici pool each', async () => {
    const config = testUpstreamConfig(urls);
    expect(config.protocol).toBe('http');
    const instances = createInstances('svc', config, transportFor('http'));
    expect(instances.map((instance) => instance.transport)).toEqual([expect.any(HttpConnections), expect.any(HttpConnections)]);
    await Promise.all(instances.map((instance) => instance.transport.close()));
  });

  it('connects each instance once at start, never per call, and runs every stage over another protocol', async () => {
    const config = testUpstreamConfig(urls, { coalesce: false, retry: { maxAttempts: 1 }, breaker: { consecutiveFailures: 2 } });
    // a.test refuses every call: retries move to b.test, a.test's breaker opens, balancing routes around it.
    const { transport, connected } = fakeTransport((origin) => (origin.includes('a.test') ? 0 : 200));
    const instances = createInstances('svc', config, transport);
    const pipeline = buildUpstreamPipeline('svc', config, instances, transport);
    try {
      for (let i = 0; i < 6; i++) {
        await expect(pipeline.call({ method: 'GET', path: '/x', headers: {}, idempotent: true })).resolves.toMatchObject({ statusCode: 200 });
      }
      expect(connected.map((c) => c.origin)).toEqual(['http://a.test:1', 'http://b.test:2']);
      expect(instances[0].breaker?.current).toBe('open');
      expect(connected[0].sent).toBe(2);
      expect(connected[1].sent).toBe(6);
    } finally {
      pipeline.close();
      await Promise.all(instances.map((instance) => instance.transport.close()));
    }
    expect(connected.every((c) => c.closed)).toBe(true);
  });
});
