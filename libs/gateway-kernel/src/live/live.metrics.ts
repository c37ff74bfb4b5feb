import { Counter, Gauge, register, type Metric } from 'prom-client';

/** Live-update series: open connections, events fanned out, clients cut off, upstream feeds held. */
export const liveMetrics = {
  connections: once('gateway_live_connections', () => new Gauge({ name: 'gateway_live_connections', help: 'Open live connections, by transport', labelNames: ['app', 'transport'] })),
  events: once('gateway_live_events_total', () => new Counter({ name: 'gateway_live_events_total', help: 'Events received from the bus and fanned out to local clients', labelNames: ['app'] })),
  dropped: once(
    'gateway_live_disconnects_total',
    () => new Counter({ name: 'gateway_live_disconnects_total', help: 'Live connections ended by the gateway, by reason', labelNames: ['app', 'reason'] }),
  ),
  feeds: once('gateway_live_upstream_feeds', () => new Gauge({ name: 'gateway_live_upstream_feeds', help: 'Upstream feeds this replica holds open', labelNames: ['app'] })),
};

function once<T extends Metric>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}
