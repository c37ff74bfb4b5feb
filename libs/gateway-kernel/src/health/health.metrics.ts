import { Gauge, register } from 'prom-client';

/**
 * Readiness as the last probe saw it, in prom-client's default registry
 * (served at /metrics): an alert on how often it changes finds a replica that
 * flaps in and out of its load balancer. Made once per process: several apps
 * in one process (tests) share it.
 */
export const healthMetrics = {
  /** 1 ready, 0 not (a critical upstream or Redis down, or draining). */
  ready:
    (register.getSingleMetric('gateway_ready') as Gauge | undefined) ??
    new Gauge({ name: 'gateway_ready', help: 'Whether the last readiness check passed (1) or not (0), draining included' }),
};
