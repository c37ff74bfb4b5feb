// The `live` scenario's load, started by lib/live-fanout.ts pinned to the
// load CPU: the WebSocket clients and the order changes that feed them. The
// BFF under test runs on the gateway's CPU; this process reads its CPU time
// from /proc. Its one argument is LiveWorkerSettings as JSON; it writes
// LiveFanoutRound[] to resultFile.
import { writeFileSync } from 'node:fs';
import { WebSocket } from 'ws';
import { userToken } from '../../src/support/clients';
import { liveRound, type LiveWorkerSettings } from './live-fanout';
import type { LiveFanoutRound } from './model';
import { busyPercent, cpuMsOfTree, readCpuTimes } from './proc-stats';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

async function main(settings: LiveWorkerSettings): Promise<void> {
  const { clients, bffPid } = settings;
  const token = await userToken(settings.identityUrl, 'alice');
  const userId = (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { sub: string }).sub;
  const orders = (await (await fetch(`${settings.ordersUrl}/orders?userId=${userId}&limit=1`)).json()) as { items: { id: string }[] };
  const orderId = orders.items[0]?.id;
  if (!orderId) throw new Error(`the orders sim has no order of ${userId}`);

  let received = 0;
  const sockets: WebSocket[] = [];
  // A hundred at a time: the BFF's accept queue, not the bench, sets the pace.
  for (let i = 0; i < clients; i += 100) {
    const batch = Array.from(
      { length: Math.min(100, clients - i) },
      () =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(`${settings.bffUrl.replace(/^http/, 'ws')}/api/live?topics=orders`, { headers: { authorization: `Bearer ${token}` } });
          ws.on('message', () => received++);
          ws.once('open', () => resolve(ws));
          ws.once('error', reject);
        }),
    );
    sockets.push(...(await Promise.all(batch)));
  }
  console.log(`${sockets.length} clients connected`);

  const statuses = ['paid', 'shipped', 'delivered', 'created'];
  const change = async (n: number) => {
    const res = await fetch(`${settings.ordersUrl}/__sim/orders/${orderId}/status`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: statuses[n % statuses.length] }),
    });
    if (!res.ok) throw new Error(`order status change: ${res.status} ${await res.text()}`);
  };

  // Warm-up: the feed opens, the JIT settles.
  for (let n = 0; n < settings.warmupEvents; n++) await change(n);
  await until(() => received >= settings.warmupEvents * clients, 'every client to get every warm-up event');

  const rounds: LiveFanoutRound[] = [];
  const spanMs = settings.events * settings.eventSpacingMs;
  for (let round = 1; round <= settings.rounds; round++) {
    // The same span without events: heartbeats and timers, taken off below.
    const idleStart = cpuMsOfTree(bffPid);
    await sleep(spanMs);
    const idleCpuMs = cpuMsOfTree(bffPid) - idleStart;

    received = 0;
    const cpus = readCpuTimes();
    const wall = Date.now();
    const start = cpuMsOfTree(bffPid);
    for (let n = 0; n < settings.events; n++) {
      await change(n);
      await sleep(settings.eventSpacingMs);
    }
    await until(() => received >= settings.events * clients, 'every client to get every event');
    const cpuMs = cpuMsOfTree(bffPid) - start;
    const ownPercent = (100 * cpuMs) / Math.max(1, Date.now() - wall);
    const foreign = Math.max(0, busyPercent(cpus, readCpuTimes(), settings.gatewayCpu) - ownPercent);
    const row = liveRound(round, settings.events, { cpuMs, idleCpuMs }, received, foreign);
    rounds.push(row);
    console.log(`round ${round}: BFF CPU ${cpuMs.toFixed(0)} ms (idle ${idleCpuMs.toFixed(0)} ms): ${row.cpuMsPerEvent.toFixed(2)} ms per event`);
  }
  for (const ws of sockets) ws.terminate();
  writeFileSync(settings.resultFile, JSON.stringify(rounds));
}

main(JSON.parse(process.argv[2] ?? '{}') as LiveWorkerSettings).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`live-fanout worker failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
