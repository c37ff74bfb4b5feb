import { readdirSync, readFileSync } from 'node:fs';
import { Agent, fetch } from 'undici';
import WebSocket from 'ws';
import { configFileEnv, freePort, simControl, startBff, startSims, type RunningBff, type RunningSims } from '../support';

/**
 * After a few thousand faulted requests (upstreams down, resetting, sending
 * garbage, hanging, failing half the time, slow enough for clients to give up),
 * the BFF's open file descriptors come back to where they were once idle, and
 * its memory after a full GC stays within a generous margin: the resources a
 * leak would keep (sockets, pool connections, timers, listeners, per-key
 * state) are measured from /proc of the child process, not timed.
 */
const ROUNDS_PER_FAULT = 350;
const CONCURRENCY = 24;
/** Descriptors the BFF may hold beyond its idle baseline (a pool connection re-opened by a readiness probe, say). */
const FD_MARGIN = 6;
/** Heap growth after GC that is not a leak (JIT code, caches filled to their bound); the old finding was +75 MB for 20,000. */
const RSS_MARGIN_BYTES = 48 * 1024 * 1024;

const FAULTS: Record<string, unknown>[] = [
  { mode: 'down' },
  { mode: 'reset' },
  { mode: 'garbage' },
  { mode: 'hang' },
  { errorRate: 0.5, status: 503 },
  // Slower than the clients below wait: they abort while the upstream call is in flight.
  { latencyMs: 150, jitterMs: 100 },
];

function openFds(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

function rssBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!;
  return Number(line.replace(/\D+/g, '')) * 1024;
}

/** A DevTools session on the child's inspector, to run a full GC before reading its RSS. */
async function inspectorSession(port: number): Promise<{ collectGarbage(): Promise<void>; close(): void }> {
  const [target] = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise<void>((resolve, reject) => socket.once('open', () => resolve()).once('error', reject));
  let id = 0;
  const call = (method: string) =>
    new Promise<void>((resolve) => {
      const mine = ++id;
      const onMessage = (data: WebSocket.RawData) => {
        if ((JSON.parse(data.toString()) as { id?: number }).id !== mine) return;
        socket.off('message', onMessage);
        resolve();
      };
      socket.on('message', onMessage);
      socket.send(JSON.stringify({ id: mine, method }));
    });
  return {
    collectGarbage: async () => {
      // Twice: the first pass runs finalizers that free more on the second.
      await call('HeapProfiler.collectGarbage');
      await call('HeapProfiler.collectGarbage');
    },
    close: () => socket.close(),
  };
}

/** Waits until `read()` is at most `limit` (or the deadline passes) and returns the last reading. */
async function settleTo(read: () => number, limit: number, deadlineMs: number): Promise<number> {
  const until = Date.now() + deadlineMs;
  let value = read();
  while (value > limit && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 250));
    value = read();
  }
  return value;
}

describe('faults: a soak of faulted requests leaves no descriptors or memory behind', () => {
  let sims: RunningSims;
  let web: RunningBff;
  let inspector: Awaited<ReturnType<typeof inspectorSession>>;
  const statuses = new Map<number | string, number>();
  /** The first few unmapped answers, for the failure message. */
  const unmapped: string[] = [];

  beforeAll(async () => {
    sims = await startSims(['identity', 'users', 'catalog', 'orders', 'reviews', 'inventory']);
    const inspectPort = await freePort();
    web = await startBff('web-bff', sims.urls, {
      NODE_OPTIONS: `--inspect=127.0.0.1:${inspectPort}`,
      OVERLOAD_ENABLED: 'false',
      // Limits and breakers off: every faulted request goes all the way to the upstream.
      ...configFileEnv({
        throttling: { enabled: false },
        upstreams: Object.fromEntries(['catalog', 'reviews'].map((name) => [name, { timeoutMs: 1_000, breaker: { enabled: false }, outlier: { maxEjectedPercent: 0 } }])),
      }),
    });
    inspector = await inspectorSession(inspectPort);
  }, 60_000);
  afterAll(async () => {
    inspector?.close();
    await web?.stop();
    await sims?.stop();
  });

  /** `total` requests, `CONCURRENCY` at a time, over one client pool that is closed afterwards (its sockets are the BFF's fds too). */
  async function load(total: number, abortAfterMs?: number): Promise<void> {
    const client = new Agent({ connections: CONCURRENCY });
    const paths = ['/api/catalog/products/p1', '/api/products/p2', '/api/catalog/products?limit=3', '/api/products/p3'];
    let next = 0;
    const worker = async () => {
      while (next < total) {
        const i = next++;
        // Every fifth request is a client that gives up early, mid-call.
        const signal = abortAfterMs !== undefined && i % 5 === 0 ? AbortSignal.timeout(abortAfterMs) : undefined;
        try {
          const res = await fetch(`${web.url}${paths[i % paths.length]}`, { dispatcher: client, signal });
          const text = await res.text();
          if (res.status === 500 && unmapped.length < 3) unmapped.push(`${paths[i % paths.length]} ${text}`);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        } catch {
          statuses.set('aborted', (statuses.get('aborted') ?? 0) + 1);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    await client.close();
  }

  async function idleBaseline(pid: number): Promise<{ fds: number; rss: number }> {
    // Longer than the upstream pools' keep-alive (4 s): idle pool connections are gone.
    await new Promise((r) => setTimeout(r, 5_000));
    await inspector.collectGarbage();
    return { fds: openFds(pid), rss: rssBytes(pid) };
  }

  it('fds return to the idle baseline and RSS after GC stays within a margin', async () => {
    const pid = web.process.child.pid!;
    const catalog = simControl(sims.urls.catalog);
    const reviews = simControl(sims.urls.reviews);

    await load(600);
    const before = await idleBaseline(pid);

    for (const faults of FAULTS) {
      await Promise.all([catalog.setFaults(faults), reviews.setFaults(faults)]);
      await load(ROUNDS_PER_FAULT, 'latencyMs' in faults ? 60 : 150);
    }
    await Promise.all([catalog.clearFaults(), reviews.clearFaults()]);
    // Healthy again, so pools whose sockets were destroyed are back to normal use.
    await load(200);

    const fds = await settleTo(() => openFds(pid), before.fds + FD_MARGIN, 20_000);
    await inspector.collectGarbage();
    const rss = rssBytes(pid);
    const summary = { before, after: { fds, rss }, statuses: Object.fromEntries(statuses) };
    expect(web.process.running).toBe(true);
    // Only mapped outcomes reached the clients: no 500 among thousands of faulted requests.
    expect(unmapped).toEqual([]);
    expect([...statuses.keys()].filter((s) => typeof s === 'number' && (s === 500 || s > 504))).toEqual([]);
    expect([summary, fds]).toEqual([summary, expect.any(Number)]);
    expect(fds).toBeLessThanOrEqual(before.fds + FD_MARGIN);
    expect(rss).toBeLessThanOrEqual(before.rss + RSS_MARGIN_BYTES);
    process.stdout.write(`soak: ${JSON.stringify(summary)}\n`);
  }, 240_000);
});
