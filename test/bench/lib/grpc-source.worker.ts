// The `grpc` scenario's measuring process, started by lib/grpc-source.ts
// pinned to the gateway's CPU: the kernel (UpstreamRegistry + Aggregator)
// runs here, the sims in their own process on the load CPU. Its one argument
// is GrpcWorkerSettings as JSON; it writes GrpcSourceRound[] to resultFile.
import { writeFileSync } from 'node:fs';
import { AggregationPlan, Aggregator, loadGatewayConfig, RequestContextStore, UpstreamRegistry } from '@gateway/kernel';
import type { GrpcWorkerSettings } from './grpc-source';
import type { GrpcSourceRound } from './model';
import { busyPercent, readCpuTimes } from './proc-stats';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
/** The catalog's products are p1..p199: each call asks for the next, so no two in flight share an answer. */
const PRODUCTS = 199;

async function main(settings: GrpcWorkerSettings): Promise<void> {
  // Both upstreams with the stages as shipped, except what would answer without a call (cache, coalescing).
  const shipped = { cache: { enabled: false }, coalesce: false };
  const config = loadGatewayConfig(
    {
      app: 'bench-grpc',
      upstreams: {
        catalog: { urls: [settings.catalogUrl], ...shipped },
        inventory: { urls: [settings.inventoryUrl], protocol: 'grpc', grpc: { protoFile: 'inventory/v1/inventory.proto', service: 'inventory.v1.Inventory' }, ...shipped },
      },
      auth: { mode: 'api-key', apiKeys: [{ id: 'k', sha256: 'a'.repeat(64), tier: 'free' }] },
    },
    {},
  );
  const registry = new UpstreamRegistry(config);
  const aggregator = new Aggregator(registry);
  // The same answer both ways: the catalog sim's availability route (HTTP/1.1, JSON) and inventory's GetAvailability (gRPC, protobuf).
  const plans = {
    http: new AggregationPlan<{ id: string }>('bench-http', { deadlineMs: 1_000 }).add('availability', {
      upstream: 'catalog',
      required: true,
      request: ({ input }) => ({ url: `/products/${input.id}/availability` }),
    }),
    grpc: new AggregationPlan<{ id: string }>('bench-grpc', { deadlineMs: 1_000 }).add('availability', {
      upstream: 'inventory',
      rpc: 'GetAvailability',
      required: true,
      request: ({ input }) => ({ data: { sku: input.id } }),
    }),
  };
  const principal = { kind: 'partner' as const, id: 'bench', scopes: ['products:read'], tier: 'gold' };

  /**
   * `calls` runs of a plan started at a fixed pace, each in a request context
   * as a controller's would be; the CPU they cost this process. A fixed pace
   * rather than a closed loop: a closed loop runs the faster upstream at a
   * higher rate, and calls in a busy loop share the process's wake-ups, so
   * CPU per call would fall with the upstream's speed, not the transport's.
   */
  const measure = async (plan: AggregationPlan<{ id: string }>) => {
    let errors = 0;
    let firstError: string | undefined;
    let latencyMs = 0;
    const call = async (n: number) => {
      const context = { requestId: `bench-${n}`, traceparent: TRACEPARENT, principal, deadline: Date.now() + 1_000 };
      const started = performance.now();
      try {
        await RequestContextStore.run(context, () => aggregator.run(plan, { id: `p${(n % PRODUCTS) + 1}` }));
        latencyMs += performance.now() - started;
      } catch (error) {
        // Counted, as wrk counts a non-2xx: the round is then left out, not the whole scenario.
        errors++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    };
    const cpus = readCpuTimes();
    const cpu = process.cpuUsage();
    const wall = performance.now();
    const calls: Promise<void>[] = [];
    for (let n = 0; n < settings.calls; n++) {
      // Late timers start the calls that are due together: the pace holds on average.
      const wait = wall + (n * 1000) / settings.callsPerSecond - performance.now();
      if (wait >= 1) await new Promise((r) => setTimeout(r, wait));
      calls.push(call(n));
    }
    await Promise.all(calls);
    const used = process.cpuUsage(cpu);
    const wallMs = performance.now() - wall;
    const ownPercent = (100 * (used.user + used.system)) / 1000 / wallMs;
    return {
      cpuUsPerCall: (used.user + used.system) / settings.calls,
      msPerCall: latencyMs / Math.max(1, settings.calls - errors),
      foreignPercent: Math.max(0, busyPercent(cpus, readCpuTimes(), settings.gatewayCpu) - ownPercent),
      errors,
      firstError,
    };
  };

  try {
    // Warm-up: channels and pools open, the JIT settles.
    await measure(plans.http);
    await measure(plans.grpc);
    const rounds: GrpcSourceRound[] = [];
    for (let round = 1; round <= settings.rounds; round++) {
      // Alternate which goes first, so drift on a shared machine falls on both.
      const order: ('http' | 'grpc')[] = round % 2 === 1 ? ['http', 'grpc'] : ['grpc', 'http'];
      const result: Partial<Record<'http' | 'grpc', Awaited<ReturnType<typeof measure>>>> = {};
      for (const kind of order) result[kind] = await measure(plans[kind]);
      const { http, grpc } = result as Required<typeof result>;
      rounds.push({
        round,
        order,
        httpCpuUsPerCall: http.cpuUsPerCall,
        grpcCpuUsPerCall: grpc.cpuUsPerCall,
        ratio: grpc.cpuUsPerCall / http.cpuUsPerCall,
        httpMsPerCall: http.msPerCall,
        grpcMsPerCall: grpc.msPerCall,
        foreignPercentOnGatewayCpu: Math.max(http.foreignPercent, grpc.foreignPercent),
        httpErrors: http.errors,
        grpcErrors: grpc.errors,
        firstError: http.firstError ?? grpc.firstError,
      });
      console.log(`round ${round}: HTTP ${http.cpuUsPerCall.toFixed(1)} µs/call (${http.errors} failed), gRPC ${grpc.cpuUsPerCall.toFixed(1)} µs/call (${grpc.errors} failed)`);
    }
    writeFileSync(settings.resultFile, JSON.stringify(rounds));
  } finally {
    await registry.onApplicationShutdown();
  }
}

main(JSON.parse(process.argv[2] ?? '{}') as GrpcWorkerSettings).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`grpc-source worker failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
