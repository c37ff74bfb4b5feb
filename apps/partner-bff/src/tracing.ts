// Imported first by main.ts: OpenTelemetry must patch node:http before
// Fastify and Nest load. Does nothing unless the OTEL_* variables ask for traces.
import { startTracing } from '@gateway/kernel/tracing';

startTracing({ serviceName: 'partner-bff' });
