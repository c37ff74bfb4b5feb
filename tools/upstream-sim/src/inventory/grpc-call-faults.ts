import type { EventEmitter } from 'node:events';
import { Metadata, type MethodDefinition, type ServerErrorResponse, type ServiceDefinition } from '@grpc/grpc-js';
import type { FaultConfig } from '../faults/fault-config';
import type { FaultController } from '../faults/fault-controller';
import { LEAK_MARKERS } from '../faults/fault-responses';
import { CONNECTION_MODES } from './grpc-fault-config';

/** A handler answers with this to have the `garbage` fault's bytes sent in place of a message. */
export const GARBAGE = Symbol('garbage response');

/** Field 15 with wire type 7, which protobuf does not define: a decoder skipping the unknown field cannot. */
const GARBAGE_BYTES = Buffer.from([0x7f]);

/** A call the faults can hold: it says when the client gave up. */
type HeldCall = EventEmitter & { cancelled: boolean };

/** The service with each response serialiser taught to send GARBAGE_BYTES for GARBAGE. */
export function withGarbageResponses(service: ServiceDefinition): ServiceDefinition {
  const methods: Record<string, MethodDefinition<unknown, unknown>> = {};
  for (const [name, method] of Object.entries(service)) {
    const serialize = method.responseSerialize;
    methods[name] = { ...method, responseSerialize: (value: unknown) => (value === GARBAGE ? GARBAGE_BYTES : serialize(value)) };
  }
  return methods;
}

/**
 * The faults of calls: latency, errors by gRPC status (their details and
 * trailers full of internal detail no gateway may pass on), `hang` and
 * `garbage`. `down` and `reset` act on connections (shared-port.ts).
 * A held call lets go when its client cancels (deadline or abort), so a
 * patient client costs a timer at most and an impatient one nothing.
 */
export class GrpcCallFaults {
  private readonly held = new Set<() => void>();

  constructor(private readonly faults: FaultController) {}

  /** Runs `proceed` (with `garbage` true for the garbage fault) or ends the call through `fail`, as the faults say. */
  apply(path: string, call: HeldCall, proceed: (garbage: boolean) => void, fail: (error: ServerErrorResponse) => void): void {
    const config = this.faults.active;
    if (config === null || (config.routes.length > 0 && !config.routes.some((prefix) => path.startsWith(prefix)))) return proceed(false);
    const delay = config.latencyMs + (config.jitterMs > 0 ? Math.random() * config.jitterMs : 0);
    if (delay > 0) this.hold(call, delay, () => this.outcome(config, call, proceed, fail));
    else this.outcome(config, call, proceed, fail);
  }

  /** Lets go of every held call (server close). */
  releaseAll(): void {
    for (const release of [...this.held]) release();
  }

  private outcome(config: FaultConfig, call: HeldCall, proceed: (garbage: boolean) => void, fail: (error: ServerErrorResponse) => void): void {
    if (CONNECTION_MODES.has(config.mode)) return proceed(false);
    if (config.errorRate < 1 && Math.random() >= config.errorRate) return proceed(false);
    switch (config.mode) {
      case 'ok':
        return fail(internalError(config.status));
      case 'garbage':
        return proceed(true);
      case 'hang':
        return this.hold(call, undefined, () => undefined);
    }
  }

  private hold(call: HeldCall, ms: number | undefined, then: () => void): void {
    if (call.cancelled) return;
    let timer: NodeJS.Timeout | undefined;
    const release = () => {
      clearTimeout(timer);
      call.off('cancelled', release);
      this.held.delete(release);
    };
    if (ms !== undefined) {
      timer = setTimeout(() => {
        release();
        then();
      }, ms);
    }
    call.on('cancelled', release);
    this.held.add(release);
  }
}

function internalError(code: number): ServerErrorResponse {
  const metadata = new Metadata();
  metadata.set('x-debug-backend', `${LEAK_MARKERS[0]}:5432`);
  metadata.set('x-debug-stack', `Error: connect ETIMEDOUT ${LEAK_MARKERS[2]}:5432 at ${LEAK_MARKERS[1]}/pg-pool/index.js:45:11`);
  return Object.assign(new Error('injected fault'), {
    code,
    details: `${LEAK_MARKERS[0]}:5432 timeout after 3000ms (${LEAK_MARKERS[2]})`,
    metadata,
  });
}
