import { register } from 'prom-client';
import { BreakerConfig } from '../config';
import { GatewayError } from '../errors';
import { InstanceBreaker } from './instance-breaker';

const config = (overrides: Partial<BreakerConfig> = {}): BreakerConfig =>
  Object.assign(new BreakerConfig(), { consecutiveFailures: 3, halfOpenAfterMs: 100, minimumCalls: 10, windowMs: 1_000, ...overrides });

async function gauge(instance: string): Promise<number | undefined> {
  const metric = await register.getSingleMetric('gateway_breaker_state')!.get();
  return metric.values.find((v) => v.labels.upstream_instance === instance)?.value;
}

describe('InstanceBreaker', () => {
  const breakers: InstanceBreaker[] = [];
  const make = (instance: string, overrides?: Partial<BreakerConfig>) => {
    const breaker = new InstanceBreaker('svc', instance, config(overrides));
    breakers.push(breaker);
    return breaker;
  };
  const fail = (breaker: InstanceBreaker, times: number) => {
    for (let i = 0; i < times; i++) breaker.record('failure', breaker.enter());
  };
  afterEach(() => breakers.splice(0).forEach((b) => b.dispose()));

  it('opens after consecutive failures and then refuses at once with 503 and Retry-After', async () => {
    const breaker = make('a:1');
    fail(breaker, 2);
    expect(breaker.current).toBe('closed');
    fail(breaker, 1);
    expect(breaker.current).toBe('open');
    expect(await gauge('a:1')).toBe(2);
    let refused: unknown;
    try {
      breaker.enter();
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(GatewayError);
    expect(refused).toMatchObject({ code: 'circuit-open', status: 503, headers: { 'retry-after': '1' } });
  });

  it('a success in between resets the consecutive count', () => {
    const breaker = make('a:2');
    fail(breaker, 2);
    breaker.record('success', breaker.enter());
    fail(breaker, 2);
    expect(breaker.current).toBe('closed');
  });

  it('opens on the failure rate over the window once minimumCalls is reached', () => {
    const breaker = make('a:3', { consecutiveFailures: 100, failureRateThreshold: 0.5, minimumCalls: 10 });
    for (let i = 0; i < 8; i++) {
      breaker.record('success', breaker.enter());
      breaker.record('failure', breaker.enter());
    }
    // 16 calls, 8 failed: not more than half.
    expect(breaker.current).toBe('closed');
    fail(breaker, 1);
    expect(breaker.current).toBe('open');
  });

  describe('with the defaults (failure rate over 10 s, at least 20 attempts, no consecutive rule)', () => {
    const defaults = (instance: string) => {
      const breaker = new InstanceBreaker('svc', instance, new BreakerConfig());
      breakers.push(breaker);
      return breaker;
    };

    it('two failing requests, three attempts each, do not open it', () => {
      const breaker = defaults('d:1');
      fail(breaker, 6);
      expect(breaker.current).toBe('closed');
    });

    it('opens once more than half of at least 20 attempts in the window failed', () => {
      const breaker = defaults('d:2');
      for (let i = 0; i < 10; i++) breaker.record('success', breaker.enter());
      fail(breaker, 10);
      // 20 attempts, 10 failed: not more than half.
      expect(breaker.current).toBe('closed');
      fail(breaker, 1);
      expect(breaker.current).toBe('open');
    });

    it('a failure rate under the threshold never opens it, however many attempts', () => {
      const breaker = defaults('d:3');
      for (let i = 0; i < 200; i++) breaker.record(i % 3 === 0 ? 'failure' : 'success', breaker.enter());
      expect(breaker.current).toBe('closed');
    });
  });

  it('failures from before a quiet spell longer than the window are not counted', () => {
    jest.useFakeTimers({ now: 1_000_000 });
    try {
      const breaker = make('a:q', { consecutiveFailures: 0, minimumCalls: 10, windowMs: 1_000 });
      fail(breaker, 9);
      jest.setSystemTime(1_000_000 + 1_500);
      fail(breaker, 9);
      // 18 failures in all, but only 9 within the last window: under minimumCalls.
      expect(breaker.current).toBe('closed');
      fail(breaker, 1);
      expect(breaker.current).toBe('open');
    } finally {
      jest.useRealTimers();
    }
  });

  it('does not count ignored outcomes (cancelled calls)', () => {
    const breaker = make('a:4');
    for (let i = 0; i < 10; i++) breaker.record('ignored', breaker.enter());
    expect(breaker.current).toBe('closed');
  });

  it('half-opens after halfOpenAfterMs, lets one probe through, refuses the rest, and closes on its success', async () => {
    const breaker = make('a:5');
    fail(breaker, 3);
    await new Promise((r) => setTimeout(r, 130));
    expect(breaker.current).toBe('half-open');
    expect(await gauge('a:5')).toBe(1);
    expect(breaker.acceptsCalls()).toBe(true);
    const probe = breaker.enter();
    expect(probe).toBe(true);
    expect(breaker.acceptsCalls()).toBe(false);
    expect(() => breaker.enter()).toThrow(GatewayError);
    breaker.record('success', probe);
    expect(breaker.current).toBe('closed');
    expect(await gauge('a:5')).toBe(0);
    // Closed with a clean record: it takes the full count to open again.
    fail(breaker, 2);
    expect(breaker.current).toBe('closed');
  });

  it('opens again when the probe fails, and frees the probe slot when it was cancelled', async () => {
    const breaker = make('a:6');
    fail(breaker, 3);
    await new Promise((r) => setTimeout(r, 130));
    breaker.record('ignored', breaker.enter());
    expect(breaker.current).toBe('half-open');
    expect(breaker.acceptsCalls()).toBe(true);
    breaker.record('failure', breaker.enter());
    expect(breaker.current).toBe('open');
  });
});
