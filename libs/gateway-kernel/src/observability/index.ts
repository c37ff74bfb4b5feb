export { ObservabilityModule } from './observability.module';
export { gatewayMetrics } from './gateway-metrics';
export { continueTrace, traceIdOf } from './trace-context';
export { startTracing, stopTracing, tracingStarted, type TracingOptions } from './tracing';
export { ManagementServer } from './management-server';
