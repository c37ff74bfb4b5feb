import { Counter, Gauge, register } from 'prom-client';

/**
 * Reloads of the partner key set, in prom-client's default registry: every
 * outcome counted (`applied`, `refused`: the new set was invalid, `failed`:
 * the source could not be read), and the size of the set in force.
 * Several apps in one process (tests) share them.
 *
 * @example apiKeyMetrics.reloads.labels('partner-bff', 'redis', 'refused').inc();
 */
export const apiKeyMetrics = {
  reloads: once(
    'gateway_api_key_reloads_total',
    () =>
      new Counter({
        name: 'gateway_api_key_reloads_total',
        help: 'Reloads of the partner API key set, by source and outcome (applied, refused, failed); refused and failed keep the last good set',
        labelNames: ['app', 'source', 'outcome'],
      }),
  ),
  keys: once(
    'gateway_api_keys',
    () => new Gauge({ name: 'gateway_api_keys', help: 'Partner API keys in force', labelNames: ['app'] }),
  ),
};

function once<T extends Counter | Gauge>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}
