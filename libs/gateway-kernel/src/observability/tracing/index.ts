// Kept apart from the kernel's index: an app imports this before anything
// else, and it must not pull in Fastify, Nest or undici ahead of the SDK.
export { startTracing, stopTracing, tracingRequested, tracingStarted, type TracingOptions } from './start-tracing';
