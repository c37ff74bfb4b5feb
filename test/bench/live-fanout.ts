// One event fanned out to many WebSocket clients: how much of the BFF's CPU
// it costs. Run after `nx run-many -t build -p mobile-bff upstream-sim`:
//   node -r @swc-node/register test/bench/live-fanout.ts [--clients 1000] [--events 200] [--rounds 5]
// Writes bench-results/live-fanout.md and .json (git-ignored). Not part of npm test.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { REPO_ROOT } from '../src/support/managed-process';
import { startBff, startSims, userToken } from '../src/support';
import { cpuMsOfTree } from './lib/proc-stats';
import { spread } from './lib/stats';
import { positiveIntArg as arg } from './lib/args';

/** The target of the protocols issue: one event to 1,000 clients in under 50 ms of the BFF's time. */
const TARGET_MS = 50;
/** Apart enough that each event is its own fan-out, not a batch. */
const EVENT_SPACING_MS = 25;

async function main(): Promise<void> {
  const clients = arg('clients', 1_000);
  const events = arg('events', 200);
  const rounds = arg('rounds', 5);
  const sims = await startSims(['identity', 'orders']);
  const bff = await startBff('mobile-bff', sims.urls, {
    LIVE_MAX_CONNECTIONS_PER_USER: String(clients + 10),
    MAX_CONNECTIONS_PER_ADDRESS: '0',
    THROTTLE_ENABLED: 'false',
    OVERLOAD_ENABLED: 'false',
    LOG_LEVEL: 'warn',
  });
  try {
    const token = await userToken(sims.urls.identity, 'alice');
    const userId = (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { sub: string }).sub;
    const orderId = ((await (await fetch(`${sims.urls.orders}/orders?userId=${userId}&limit=1`)).json()) as { items: { id: string }[] }).items[0].id;
    let received = 0;
    const sockets: WebSocket[] = [];
    for (let i = 0; i < clients; i += 100) {
      sockets.push(
        ...(await Promise.all(
          Array.from(
            { length: Math.min(100, clients - i) },
            () =>
              new Promise<WebSocket>((resolve, reject) => {
                const ws = new WebSocket(`${bff.url.replace('http', 'ws')}/api/live?topics=orders`, { headers: { authorization: `Bearer ${token}` } });
                ws.on('message', () => received++);
                ws.once('open', () => resolve(ws));
                ws.once('error', reject);
              }),
          ),
        )),
      );
    }
    const statuses = ['paid', 'shipped', 'delivered', 'created'];
    const change = (n: number) =>
      fetch(`${sims.urls.orders}/__sim/orders/${orderId}/status`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ status: statuses[n % statuses.length] }),
      });
    // Warm-up: the feed opens, the JIT settles.
    for (let n = 0; n < 50; n++) await change(n);
    await until(() => received >= 50 * clients);

    const perEventMs: number[] = [];
    const idleMs: number[] = [];
    for (let round = 0; round < rounds; round++) {
      // The same span without events: heartbeats and timers, taken off below.
      const idleStart = cpuMsOfTree(bff.process.child.pid!);
      await new Promise((r) => setTimeout(r, events * EVENT_SPACING_MS));
      const idle = cpuMsOfTree(bff.process.child.pid!) - idleStart;
      idleMs.push(idle);

      received = 0;
      const start = cpuMsOfTree(bff.process.child.pid!);
      for (let n = 0; n < events; n++) {
        await change(n);
        await new Promise((r) => setTimeout(r, EVENT_SPACING_MS));
      }
      await until(() => received >= events * clients);
      const used = cpuMsOfTree(bff.process.child.pid!) - start;
      perEventMs.push(Math.max(0, used - idle) / events);
      console.log(`round ${round + 1}: ${events} events x ${clients} clients, BFF CPU ${used.toFixed(0)} ms (idle ${idle.toFixed(0)} ms): ${(perEventMs[round]).toFixed(2)} ms per event`);
    }
    for (const ws of sockets) ws.terminate();

    const figure = spread(perEventMs);
    const met = figure.median < TARGET_MS;
    const report = {
      at: new Date().toISOString(),
      clients,
      eventsPerRound: events,
      rounds,
      bffCpuMsPerEvent: figure,
      idleCpuMsPerRound: spread(idleMs),
      target: { id: 'live-fanout', threshold: `< ${TARGET_MS} ms of BFF CPU per event to ${clients} clients`, status: met ? 'met' : 'not met' },
      method:
        'mobile-bff and the orders sim on this machine, unpinned; the clients in the bench process. Each round changes one order\'s status ' +
        `${events} times, ${EVENT_SPACING_MS} ms apart, and waits until every client has every event; the BFF's CPU time (user + system, /proc) ` +
        'over the round, less the same span measured idle just before, divided by the events, is the cost of one fan-out: ' +
        'reading the change from the upstream feed, publishing it on the hub, and writing one frame to every client.',
    };
    const dir = join(REPO_ROOT, 'bench-results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'live-fanout.json'), JSON.stringify(report, null, 2));
    const md = [
      '# Live fan-out',
      '',
      `One order status change fanned out to ${clients} WebSocket clients of mobile-bff.`,
      '',
      '| figure | median | min | max |',
      '| --- | --- | --- | --- |',
      `| BFF CPU per event (ms) | ${figure.median.toFixed(2)} | ${figure.min.toFixed(2)} | ${figure.max.toFixed(2)} |`,
      '',
      `Target \`live-fanout\` (${report.target.threshold}): **${report.target.status}**.`,
      '',
      report.method,
      '',
    ].join('\n');
    writeFileSync(join(dir, 'live-fanout.md'), md);
    console.log(`\n${md}`);
  } finally {
    await bff.stop();
    await sims.stop();
  }
}

async function until(check: () => boolean, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting for every client to get every event');
    await new Promise((r) => setTimeout(r, 5));
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`[live-fanout] failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
