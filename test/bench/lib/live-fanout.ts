import type { BenchOptions } from './args';
import { TARGETS } from './bench-targets';
import type { LiveFanoutReport, LiveFanoutRound } from './model';
import { memoryOfTree } from './proc-stats';
import { BFF_CONFIGS, type Stack } from './stack';
import { spread } from './stats';
import { runWorker } from './worker-process';

export interface LiveFanoutSettings {
  clients: number;
  events: number;
  rounds: number;
  warmupEvents: number;
  /** Apart enough that each event is its own fan-out, not a batch. */
  eventSpacingMs: number;
}

/** What the load process (live-fanout.worker.ts) is given. */
export interface LiveWorkerSettings extends LiveFanoutSettings {
  identityUrl: string;
  ordersUrl: string;
  bffUrl: string;
  bffPid: number;
  gatewayCpu: number;
  resultFile: string;
}

/** The target's number of clients always; fewer events per round under --quick. */
export function liveFanoutSettings(options: Pick<BenchOptions, 'quick' | 'rounds'>): LiveFanoutSettings {
  return { clients: TARGETS.liveFanoutClients, events: options.quick ? 40 : 200, rounds: options.rounds, warmupEvents: options.quick ? 10 : 50, eventSpacingMs: 25 };
}

/** mobile-bff as the live scenario runs it: one user holds every connection, so the per-user and per-address caps are lifted. */
export const liveBffEnv = (clients: number) => ({
  LIVE_MAX_CONNECTIONS_PER_USER: String(clients + 10),
  MAX_CONNECTIONS_PER_ADDRESS: '0',
  OVERLOAD_ENABLED: 'false',
});

export function liveFanoutMethod(settings: LiveFanoutSettings, cpus: { gateway: number; load: number }): string {
  return (
    `mobile-bff (one replica, no Redis; ${BFF_CONFIGS.bare.description}, load shedding off) pinned to CPU ${cpus.gateway}; the orders sim and a ` +
    `process holding the ${settings.clients} WebSocket clients (/api/live?topics=orders, one user's token) on CPU ${cpus.load}. After ${settings.warmupEvents} ` +
    `warm-up events, each round changes one order's status ${settings.events} times, ${settings.eventSpacingMs} ms apart, and waits until every client ` +
    'has every event; the BFF\'s CPU time (user + system of its process tree, /proc) over the round, less the same span measured idle just before ' +
    '(heartbeats, timers), divided by the events, is the cost of one fan-out: reading the change from the upstream feed, publishing it on the hub, ' +
    'and writing one frame to every client. No req/s chart bar: the events come at a fixed pace, so their rate measures nothing.'
  );
}

/** One round's figures: the CPU of the events, less the same span idle, per event (never below 0: idle noise can exceed a cheap round). */
export function liveRound(round: number, events: number, cpu: { cpuMs: number; idleCpuMs: number }, frames: number, foreignPercentOnGatewayCpu: number): LiveFanoutRound {
  return { round, events, ...cpu, cpuMsPerEvent: Math.max(0, cpu.cpuMs - cpu.idleCpuMs) / events, frames, foreignPercentOnGatewayCpu };
}

/** The scenario's figures from its rounds. */
export function summariseLiveFanout(settings: LiveFanoutSettings, rounds: LiveFanoutRound[], method: string, extra: { peakRssMb?: number; error?: string } = {}): LiveFanoutReport {
  return {
    clients: settings.clients,
    eventsPerRound: settings.events,
    eventSpacingMs: settings.eventSpacingMs,
    rounds,
    cpuMsPerEvent: spread(rounds.map((r) => r.cpuMsPerEvent)),
    idleCpuMsPerRound: spread(rounds.map((r) => r.idleCpuMs)),
    foreignPercentOnGatewayCpu: spread(rounds.map((r) => r.foreignPercentOnGatewayCpu)),
    method,
    ...extra,
  };
}

/** The `live` scenario: one order status change fanned out to many WebSocket clients of mobile-bff, the BFF's CPU per event. */
export async function runLiveFanout(stack: Stack, options: BenchOptions, log: (line: string) => void, deadline: number): Promise<LiveFanoutReport> {
  const settings = liveFanoutSettings(options);
  const method = liveFanoutMethod(settings, stack.cpus);
  const id = 'mobile-bff-live';
  try {
    const bff = await stack.startBff('bare', { id, app: 'mobile-bff', env: liveBffEnv(settings.clients) });
    const urls = stack.sims!.urls;
    const worker: Omit<LiveWorkerSettings, 'resultFile'> = {
      identityUrl: urls.identity,
      ordersUrl: urls.orders,
      bffUrl: bff.url,
      bffPid: bff.pid,
      gatewayCpu: stack.cpus.gateway,
      ...settings,
    };
    const rounds = await runWorker<LiveFanoutRound[]>(stack, { name: 'live-fanout', script: 'live-fanout.worker.ts', settings: worker, cpu: stack.cpus.load, timeoutMs: Math.max(60_000, deadline - Date.now()) });
    for (const r of rounds) {
      log(`live round ${r.round}/${settings.rounds}: ${r.events} events x ${settings.clients} clients, BFF CPU ${r.cpuMs.toFixed(0)} ms (idle ${r.idleCpuMs.toFixed(0)} ms): ${r.cpuMsPerEvent.toFixed(2)} ms per event`);
    }
    return summariseLiveFanout(settings, rounds, method, { peakRssMb: memoryOfTree(bff.pid).hwmMb });
  } catch (error) {
    log(`live: ${(error as Error).message}`);
    return summariseLiveFanout(settings, [], method, { error: (error as Error).message });
  } finally {
    await stack.stopServer(id);
  }
}
