import { connect } from 'node:net';

/** `INFO <section>` over a fresh connection (inline command), parsed to `field: value` pairs. */
export function redisInfo(port: number, section = 'stats', host = '127.0.0.1', timeoutMs = 2_000): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host);
    let data = '';
    const timer = setTimeout(() => socket.destroy(new Error('redis INFO timed out')), timeoutMs);
    socket.on('connect', () => socket.write(`INFO ${section}\r\n`));
    socket.on('data', (chunk) => {
      data += chunk.toString('utf8');
      const header = /^\$(\d+)\r\n/.exec(data);
      if (header && Buffer.byteLength(data) >= header[0].length + Number(header[1])) {
        clearTimeout(timer);
        socket.end();
        resolve(parseRedisInfo(data.slice(header[0].length)));
      }
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

export function parseRedisInfo(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0 && !line.startsWith('#')) out[line.slice(0, at)] = line.slice(at + 1).trim();
  }
  return out;
}

/** Commands Redis has processed so far (this INFO call included). */
export async function redisCommandCount(port: number): Promise<number> {
  return Number((await redisInfo(port)).total_commands_processed ?? NaN);
}

/** Calls per command from `INFO commandstats` fields (`cmdstat_evalsha: calls=10,usec=...`). */
export function commandCalls(info: Record<string, string>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [field, value] of Object.entries(info)) {
    const calls = /(?:^|,)calls=(\d+)/.exec(value);
    if (field.startsWith('cmdstat_') && calls) out[field.slice('cmdstat_'.length)] = Number(calls[1]);
  }
  return out;
}

/** Calls per command so far, to say which commands a request costs (our own INFO calls included). */
export async function redisCommandCalls(port: number): Promise<Record<string, number>> {
  return commandCalls(await redisInfo(port, 'commandstats'));
}

/** The bench's own commands, never the gateway's. */
const OURS = new Set(['info', 'monitor']);

/** Commands per request between two `redisCommandCalls` readings, busiest first, leaving out the bench's INFO and MONITOR. */
export function commandsPerRequest(before: Record<string, number>, after: Record<string, number>, requests: number): { command: string; perRequest: number }[] {
  return Object.entries(after)
    .filter(([command]) => !OURS.has(command))
    .map(([command, calls]) => ({ command, perRequest: (calls - (before[command] ?? 0)) / requests }))
    .filter((c) => c.perRequest > 0)
    .sort((a, b) => b.perRequest - a.perRequest);
}

/**
 * Redis counts a command a Lua script runs (`redis.call`) like one a client
 * sends, in `total_commands_processed` and in commandstats alike, so a
 * limiter that makes one EVALSHA round trip shows five or six "commands".
 * MONITOR tells them apart (`[0 lua]` for a script's); this splits its lines
 * into what clients sent and what scripts ran, by command name.
 */
export function parseMonitor(text: string): { sent: Record<string, number>; scripted: Record<string, number> } {
  const out = { sent: {} as Record<string, number>, scripted: {} as Record<string, number> };
  for (const line of text.split(/\r?\n/)) {
    const m = /^\+?\d+\.\d+ \[\d+ ([^\]]+)\] "([^"]+)"/.exec(line);
    if (!m) continue;
    const side = m[1] === 'lua' ? out.scripted : out.sent;
    const command = m[2].toLowerCase();
    side[command] = (side[command] ?? 0) + 1;
  }
  return out;
}

/**
 * Commands per request between two commandstats readings, split into those
 * the gateway sent (the command names MONITOR saw it send) and those its Lua
 * scripts ran. Without the names, everything counts as sent.
 */
export function redisCostPerRequest(
  before: Record<string, number>,
  after: Record<string, number>,
  requests: number,
  sentByGateway?: readonly string[],
): { sent: number; scripted?: number } {
  const per = commandsPerRequest(before, after, requests);
  const sum = (list: typeof per) => list.reduce((a, c) => a + c.perRequest, 0);
  if (!sentByGateway) return { sent: sum(per) };
  const sent = sum(per.filter((c) => sentByGateway.includes(c.command)));
  return { sent, scripted: sum(per) - sent };
}

/** MONITOR on a connection of its own, from when Redis acknowledged it until `stop`, which gives back what it saw. */
export function monitorRedis(port: number, host = '127.0.0.1', timeoutMs = 2_000): Promise<{ stop: () => Promise<string> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host);
    let data = '';
    let started = false;
    const timer = setTimeout(() => socket.destroy(new Error('redis MONITOR timed out')), timeoutMs);
    socket.on('connect', () => socket.write('MONITOR\r\n'));
    socket.on('data', (chunk) => {
      data += chunk.toString('utf8');
      if (!started && data.startsWith('+OK\r\n')) {
        started = true;
        clearTimeout(timer);
        resolve({
          stop: async () => {
            // Lines Redis wrote before the last command returned may still be on their way.
            await new Promise((r) => setTimeout(r, 100));
            socket.end();
            return data;
          },
        });
      }
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      if (!started) reject(error);
    });
  });
}
