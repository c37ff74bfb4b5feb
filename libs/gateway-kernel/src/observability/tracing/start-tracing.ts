import type { OtelSdkOptions, StartedSdk } from './otel-sdk';

/** What `startTracing` needs beyond the standard `OTEL_*` variables. */
export interface TracingOptions {
  /** `service.name` when `OTEL_SERVICE_NAME` is unset (the app's name). */
  serviceName: string;
  /** Environment to read (tests pass their own). */
  env?: NodeJS.ProcessEnv;
}

let sdk: StartedSdk | undefined;

/**
 * Whether the standard variables ask for traces: an exporter named in
 * `OTEL_TRACES_EXPORTER` (not `none`) or an OTLP endpoint, and the SDK not
 * disabled by `OTEL_SDK_DISABLED`.
 */
export function tracingRequested(env: NodeJS.ProcessEnv): boolean {
  if (env.OTEL_SDK_DISABLED === 'true') return false;
  const exporter = env.OTEL_TRACES_EXPORTER?.trim();
  if (exporter) return exporter !== 'none';
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/**
 * Starts OpenTelemetry tracing (spans for each request and each upstream
 * call, exported as the `OTEL_*` variables say) when they ask for it; else
 * does nothing and loads nothing. Must run before Fastify, Nest and undici are
 * loaded, so each app imports its `tracing.ts` first in `main.ts`.
 *
 * @example startTracing({ serviceName: 'web-bff' }); // in apps/web-bff/src/tracing.ts
 */
export function startTracing(options: TracingOptions): boolean {
  const env = options.env ?? process.env;
  if (sdk || !tracingRequested(env)) return Boolean(sdk);
  // Required here rather than imported at the top: with tracing off the SDK
  // and its exporters are never loaded.
  const { startOtelSdk } = require('./otel-sdk') as typeof import('./otel-sdk');
  const sdkOptions: OtelSdkOptions = { serviceName: env.OTEL_SERVICE_NAME || options.serviceName };
  sdk = startOtelSdk(sdkOptions);
  return true;
}

/** True once the SDK runs: OTel spans then drive `traceparent` instead of the gateway's own. */
export function tracingStarted(): boolean {
  return sdk !== undefined;
}

/** Flushes and stops the SDK (at shutdown, so the last spans are exported). */
export async function stopTracing(): Promise<void> {
  const running = sdk;
  sdk = undefined;
  await running?.shutdown();
}
