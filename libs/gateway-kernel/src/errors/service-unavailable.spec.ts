import { status } from '@grpc/grpc-js';
import { Controller, Get, Module, ServiceUnavailableException } from '@nestjs/common';
import { Public } from '../auth';
import { ProxyModule } from '../proxy/proxy.module';
import { createTestBff, json, TestUpstream, type TestBff } from '../testing';
import { failWith, TEST_GRPC_CONTRACT, TestGrpcUpstream } from '../testing/test-grpc-upstream';
import { UpstreamRegistry } from '../upstream';

@Public()
@Controller('calls')
class CallsController {
  constructor(private readonly upstreams: UpstreamRegistry) {}
  @Get('http') http() {
    return this.upstreams.get('svc').callJson({ url: '/things/1' });
  }
  @Get('grpc') grpc() {
    return this.upstreams.get('inventory').callRpc('GetAvailability', { sku: 'p1' });
  }
  @Get('nest') nest() {
    throw new ServiceUnavailableException();
  }
}

@Module({
  imports: [ProxyModule.forRoot([{ prefix: '/proxied', upstream: 'svc', paths: ['/things/:id'], public: true }])],
  controllers: [CallsController],
})
class UnavailableModule {}

// The contract's 503 is always "with Retry-After": a client told "unavailable" is told when to come back.
describe('every 503 tells the client when to retry', () => {
  let upstream: TestUpstream;
  let inventory: TestGrpcUpstream;
  let bff: TestBff;
  beforeAll(async () => {
    upstream = await TestUpstream.start(json({ error: 'maintenance' }, { status: 503 }));
    inventory = await TestGrpcUpstream.start();
    inventory.unary('GetAvailability', failWith(status.UNAVAILABLE));
    const noResilience = { retry: { maxAttempts: 0 }, breaker: { enabled: false }, cache: { enabled: false } };
    bff = await createTestBff(UnavailableModule, {
      app: 'unavailable-bff',
      upstreams: {
        svc: { urls: [upstream.url], ...noResilience },
        inventory: { urls: [inventory.url], protocol: 'grpc', grpc: { ...TEST_GRPC_CONTRACT }, ...noResilience },
      },
      auth: { mode: 'api-key', apiKeys: [{ id: 'k', sha256: 'a'.repeat(64), tier: 'free', scopes: [] }] },
      throttling: { enabled: false },
    } as never);
  });
  afterAll(async () => {
    await bff.close();
    await inventory.close();
    await upstream.close();
  });

  it.each([
    ['an HTTP upstream answering 503 on a pass-through route', '/proxied/things/1'],
    ['an HTTP upstream answering 503 to a call', '/calls/http'],
    ['a gRPC upstream answering UNAVAILABLE', '/calls/grpc'],
    ['a 503 raised by Nest', '/calls/nest'],
  ])('%s: 503 problem+json with Retry-After', async (_name, url) => {
    const res = await bff.inject({ method: 'GET', url });
    expect([res.statusCode, res.headers['content-type']]).toEqual([503, expect.stringContaining('application/problem+json')]);
    expect(res.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expect(res.body).not.toContain('maintenance');
  });
});
