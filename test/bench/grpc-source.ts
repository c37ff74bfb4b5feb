// A unary gRPC source inside an aggregation against an HTTP source: the
// gateway's CPU per call. Run after `nx build upstream-sim`:
//   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register test/bench/grpc-source.ts [--calls 4000] [--concurrency 16] [--rounds 6]
// Writes bench-results/grpc-source.md and .json (git-ignored). Not part of npm test.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AggregationPlan, Aggregator, loadGatewayConfig, RequestContextStore, UpstreamRegistry } from '@gateway/kernel';
import { REPO_ROOT } from '../src/support/managed-process';
import { startSims } from '../src/support';
import { spread } from './lib/stats';
import { positiveIntArg as arg } from './lib/args';

/** The target of the protocols issue: a gRPC source costs no more CPU per call than an HTTP one (ratio at most 1, with 10% for noise). */
const TARGET_RATIO = 1.1;
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

async function main(): Promise<void> {
  const calls = arg('calls', 4_000);
  const concurrency = arg('concurrency', 16);
  const rounds = arg('rounds', 6);
  const sims = await startSims(['catalog', 'inventory']);
  // Both upstreams with the stages as shipped, except what would answer without a call (cache, coalescing).
  const shipped = { cache: { enabled: false }, coalesce: false };
  const config = loadGatewayConfig(
    {
      app: 'bench-grpc',
      upstreams: {
        catalog: { urls: [sims.urls.catalog], ...shipped },
        inventory: { urls: [sims.urls.inventory], protocol: 'grpc', grpc: { protoFile: 'inventory/v1/inventory.proto', service: 'inventory.v1.Inventory' }, ...shipped },
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

  /** `calls` runs of a plan, `concurrency` at a time, each in a request context as a controller's would be; the CPU they cost this process. */
  const measure = async (plan: AggregationPlan<{ id: string }>) => {
    let next = 0;
    const worker = async () => {
      while (next < calls) {
        const n = next++;
        const context = { requestId: `bench-${n}`, traceparent: TRACEPARENT, principal, deadline: Date.now() + 1_000 };
        await RequestContextStore.run(context, () => aggregator.run(plan, { id: `p${(n % 199) + 1}` }));
      }
    };
    const cpu = process.cpuUsage();
    const wall = performance.now();
    await Promise.all(Array.from({ length: concurrency }, worker));
    const used = process.cpuUsage(cpu);
    return { cpuUsPerCall: (used.user + used.system) / calls, wallMs: performance.now() - wall };
  };

  try {
    // Warm-up: channels and pools open, the JIT settles.
    await measure(plans.http);
    await measure(plans.grpc);
    const perRound: { http: number; grpc: number; ratio: number; httpWallMs: number; grpcWallMs: number }[] = [];
    for (let round = 0; round < rounds; round++) {
      // Alternate which goes first, so drift on a shared machine falls on both.
      const order = round % 2 === 0 ? (['http', 'grpc'] as const) : (['grpc', 'http'] as const);
      const result: Record<string, { cpuUsPerCall: number; wallMs: number }> = {};
      for (const kind of order) result[kind] = await measure(plans[kind]);
      const row = {
        http: result.http.cpuUsPerCall,
        grpc: result.grpc.cpuUsPerCall,
        ratio: result.grpc.cpuUsPerCall / result.http.cpuUsPerCall,
        httpWallMs: result.http.wallMs,
        grpcWallMs: result.grpc.wallMs,
      };
      perRound.push(row);
      console.log(`round ${round + 1}: HTTP ${row.http.toFixed(1)} µs/call, gRPC ${row.grpc.toFixed(1)} µs/call, gRPC/HTTP ${row.ratio.toFixed(3)}`);
    }
    const ratio = spread(perRound.map((r) => r.ratio));
    const report = {
      at: new Date().toISOString(),
      callsPerRound: calls,
      concurrency,
      rounds,
      httpCpuUsPerCall: spread(perRound.map((r) => r.http)),
      grpcCpuUsPerCall: spread(perRound.map((r) => r.grpc)),
      grpcOverHttp: ratio,
      perRound,
      target: { id: 'grpc-source', threshold: `gRPC/HTTP CPU per call <= ${TARGET_RATIO}`, status: ratio.median <= TARGET_RATIO ? 'met' : 'not met' },
      method:
        'The kernel in the bench process (UpstreamRegistry + Aggregator, stages as shipped less cache and coalescing), the sims in their own ' +
        `process. Each round runs a one-source plan ${calls} times, ${concurrency} at a time, each inside a request context (id, trace, ` +
        'caller, deadline), once against the catalog sim over HTTP/1.1 (undici pool, JSON parsed) and once against the inventory sim over ' +
        'gRPC (one channel, protobuf decoded), the order alternating per round; CPU is this process\'s user + system time ' +
        '(process.cpuUsage) over the run divided by the calls. The ratio is taken within each round; its median is the figure.',
    };
    const dir = join(REPO_ROOT, 'bench-results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'grpc-source.json'), JSON.stringify(report, null, 2));
    const md = [
      '# A unary gRPC source against an HTTP source',
      '',
      '| figure | median | min | max |',
      '| --- | --- | --- | --- |',
      `| HTTP source, gateway CPU per call (µs) | ${report.httpCpuUsPerCall.median.toFixed(1)} | ${report.httpCpuUsPerCall.min.toFixed(1)} | ${report.httpCpuUsPerCall.max.toFixed(1)} |`,
      `| gRPC source, gateway CPU per call (µs) | ${report.grpcCpuUsPerCall.median.toFixed(1)} | ${report.grpcCpuUsPerCall.min.toFixed(1)} | ${report.grpcCpuUsPerCall.max.toFixed(1)} |`,
      `| gRPC / HTTP (per round) | ${ratio.median.toFixed(3)} | ${ratio.min.toFixed(3)} | ${ratio.max.toFixed(3)} |`,
      '',
      `Target \`grpc-source\` (${report.target.threshold}): **${report.target.status}**.`,
      '',
      report.method,
      '',
    ].join('\n');
    writeFileSync(join(dir, 'grpc-source.md'), md);
    console.log(`\n${md}`);
  } finally {
    await registry.onApplicationShutdown();
    await sims.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`[grpc-source] failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
