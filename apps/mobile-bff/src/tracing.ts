// Imported first by main.ts, as both apply to what loads after them: V8's
// memory settings (see MEMORY_SETTINGS), and OpenTelemetry, which must patch
// node:http before Fastify and Nest load and does nothing unless the OTEL_*
// variables ask for traces.
import { applyMemorySettings, startTracing } from '@gateway/kernel/tracing';

applyMemorySettings();
startTracing({ serviceName: 'mobile-bff' });
