import { FaultConfigError, hasFaults, parseFaultConfig } from './fault-config';

describe('parseFaultConfig', () => {
  it('fills in defaults; an empty config does nothing', () => {
    const config = parseFaultConfig({});
    expect(config).toEqual({ latencyMs: 0, jitterMs: 0, errorRate: 0, status: 500, mode: 'ok', routes: [] });
    expect(hasFaults(config)).toBe(false);
  });

  it('applies a mode to every request unless an errorRate says otherwise', () => {
    expect(parseFaultConfig({ mode: 'hang' }).errorRate).toBe(1);
    expect(parseFaultConfig({ mode: 'hang', errorRate: 0.25 }).errorRate).toBe(0.25);
    expect(hasFaults(parseFaultConfig({ mode: 'reset' }))).toBe(true);
    expect(hasFaults(parseFaultConfig({ latencyMs: 1 }))).toBe(true);
  });

  it.each([
    [null, /JSON object/],
    [[], /JSON object/],
    [{ latncyMs: 1 }, /unknown field "latncyMs"/],
    [{ latencyMs: -1 }, /latencyMs/],
    [{ jitterMs: '5' }, /jitterMs/],
    [{ errorRate: 1.5 }, /errorRate/],
    [{ status: 503.5 }, /status/],
    [{ status: 302 }, /status/],
    [{ mode: 'DOWN' }, /mode/],
    [{ routes: ['products'] }, /routes/],
  ])('rejects %j', (input, message) => {
    expect(() => parseFaultConfig(input)).toThrow(FaultConfigError);
    expect(() => parseFaultConfig(input)).toThrow(message);
  });
});
