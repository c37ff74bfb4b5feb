// Kept apart from the kernel's index: an app imports this before anything
// else (V8's memory settings apply to what loads next; the SDK must patch
// node:http first), and it must not pull in Fastify, Nest or undici.
export { applyMemorySettings, liftStartupMemoryLimit, MEMORY_SETTINGS, type MemorySettingsOptions } from './memory-settings';
export { startTracing, stopTracing, tracingRequested, tracingStarted, type TracingOptions } from './start-tracing';
