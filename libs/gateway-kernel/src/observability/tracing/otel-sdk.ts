import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { NodeSDK } from '@opentelemetry/sdk-node';

export interface OtelSdkOptions {
  serviceName: string;
}

export interface StartedSdk {
  shutdown(): Promise<void>;
}

// Probes and scrapes arrive every few seconds from every kubelet and Prometheus: no spans for them.
const UNTRACED = /^\/(health|metrics)(\/|\?|$)/;

/**
 * Query parameters whose values never reach a server span: the instrumentation's
 * own list (it is replaced, not extended, by this option) plus `access_token`,
 * how a browser's WebSocket carries its JWT to the live endpoint.
 */
const REDACTED_QUERY_PARAMS = ['sig', 'Signature', 'AWSAccessKeyId', 'X-Goog-Signature', 'X-Amz-Signature', 'X-Amz-Credential', 'X-Amz-Security-Token', 'access_token'];

/**
 * The OpenTelemetry Node SDK with the two instrumentations the gateway needs:
 * node:http for the server span of each request (continuing the client's W3C
 * traceparent), undici for a client span per upstream call (its traceparent
 * goes upstream). Exporter, sampler and resource come from the `OTEL_*`
 * variables, as the SDK reads them.
 */
export function startOtelSdk(options: OtelSdkOptions): StartedSdk {
  const sdk = new NodeSDK({
    serviceName: options.serviceName,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED.test(request.url ?? ''),
        redactedQueryParamsServer: REDACTED_QUERY_PARAMS,
        // Upstream calls go through undici; node:http clients here are only the exporter's own.
        disableOutgoingRequestInstrumentation: true,
      }),
      // Readiness probes and JWKS refreshes outside a request get no root spans of their own.
      new UndiciInstrumentation({ requireParentforSpans: true }),
    ],
  });
  sdk.start();
  return sdk;
}
