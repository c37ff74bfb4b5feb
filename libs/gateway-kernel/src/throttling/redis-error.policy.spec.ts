import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { GatewayError } from '../errors';
import { RedisErrorPolicy } from './redis-error.policy';
import { ThrottlingMetrics } from './throttling.metrics';

describe('RedisErrorPolicy', () => {
  let now: number;
  let warn: jest.SpyInstance;
  let log: jest.SpyInstance;
  const metrics = new ThrottlingMetrics();
  const errors = async (policy: string) =>
    (await metrics.redisErrors.get()).values.find((v) => v.labels.policy === policy)?.value ?? 0;

  beforeEach(() => {
    now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('fail-open lets requests through, counts every failure, and logs at most once per interval', async () => {
    const policy = new RedisErrorPolicy('fail-open', metrics, 10_000);
    const before = await errors('fail-open');
    for (let i = 0; i < 100; i++) expect(policy.onFailure(new Error('Connection is closed.'))).toBe(true);
    expect(await errors('fail-open')).toBe(before + 100);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toBe(
      'rate-limit store failed: Connection is closed.; fail-open: letting requests through unthrottled',
    );

    now += 10_000;
    policy.onFailure(new Error('Command timed out'));
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[1][0]).toContain('(100 failures since the last report)');

    policy.onSuccess();
    policy.onSuccess();
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0][0]).toBe('rate-limit store answering again after 101 failed calls');
  });

  it('fail-closed refuses with a 503 problem and Retry-After', () => {
    const policy = new RedisErrorPolicy('fail-closed', metrics, 10_000);
    let thrown: unknown;
    try {
      policy.onFailure(new Error('Command timed out'));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GatewayError);
    expect(thrown).toMatchObject({ status: 503, code: 'unavailable', headers: { 'retry-after': '1' } });
    expect(warn.mock.calls[0][0]).toContain('fail-closed: refusing requests with 503');
  });
});
