/** What one wrk run measured, read from its output. Latencies are in microseconds. */
export interface WrkResult {
  requests: number;
  durationS: number;
  rps: number;
  bytes: number;
  latencyUs: { mean: number; max: number; p50: number; p75: number; p90: number; p99: number; p999?: number };
  /** Answers outside 2xx (from the Lua counter; wrk's own count, >= 400, when the Lua line is missing). */
  non2xx: number;
  socketErrors: { connect: number; read: number; write: number; timeout: number };
  /** Zero errors of any kind and at least one request: only then does the run count. */
  valid: boolean;
  /** Why it does not count, when it does not. */
  invalidReason?: string;
}

const UNIT_US: Record<string, number> = { us: 1, ms: 1_000, s: 1_000_000, m: 60_000_000, h: 3_600_000_000 };

/** A wrk duration such as `812.00us`, `1.87ms` or `2.01s`, in microseconds. */
export function parseWrkDuration(text: string): number {
  const match = /^\s*([\d.]+)\s*(us|ms|s|m|h)\s*$/.exec(text);
  if (!match) throw new Error(`not a wrk duration: "${text}"`);
  return Number(match[1]) * UNIT_US[match[2]];
}

interface WrkLuaLine {
  requests: number;
  durationUs: number;
  bytes: number;
  non2xx: number;
  errors: { connect: number; read: number; write: number; status: number; timeout: number };
  latencyUs: { min: number; mean: number; stdev: number; max: number; p50: number; p75: number; p90: number; p99: number; p999: number };
}

/** The `BENCH_JSON {...}` line that wrk/count.lua prints, if present. */
export function parseBenchJsonLine(stdout: string): WrkLuaLine | undefined {
  const line = stdout.split('\n').find((l) => l.startsWith('BENCH_JSON '));
  return line ? (JSON.parse(line.slice('BENCH_JSON '.length)) as WrkLuaLine) : undefined;
}

/**
 * Reads wrk's output (run with `--latency -s wrk/count.lua`). The Lua line is
 * the source of truth; the text report is the fallback, so a run without the
 * script is still read (its non-2xx count is then wrk's, which misses 1xx/3xx).
 */
export function parseWrkOutput(stdout: string): WrkResult {
  const lua = parseBenchJsonLine(stdout);
  const text = parseWrkText(stdout);
  const result: WrkResult = lua
    ? {
        requests: lua.requests,
        durationS: lua.durationUs / 1e6,
        rps: lua.durationUs > 0 ? lua.requests / (lua.durationUs / 1e6) : 0,
        bytes: lua.bytes,
        latencyUs: {
          mean: lua.latencyUs.mean,
          max: lua.latencyUs.max,
          p50: lua.latencyUs.p50,
          p75: lua.latencyUs.p75,
          p90: lua.latencyUs.p90,
          p99: lua.latencyUs.p99,
          p999: lua.latencyUs.p999,
        },
        non2xx: Math.max(lua.non2xx, lua.errors.status),
        socketErrors: { connect: lua.errors.connect, read: lua.errors.read, write: lua.errors.write, timeout: lua.errors.timeout },
        valid: true,
      }
    : text;
  return judge(result);
}

/** The human-readable part of wrk's output. */
export function parseWrkText(stdout: string): WrkResult {
  const requestsLine = /(\d+) requests in ([\d.]+\w+), ([\d.]+\w+) read/.exec(stdout);
  if (!requestsLine) throw new Error(`wrk output has no "N requests in" line:\n${stdout.slice(0, 2_000)}`);
  const requests = Number(requestsLine[1]);
  const durationS = parseWrkDuration(requestsLine[2]) / 1e6;
  const rpsLine = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
  const latencyLine = /Latency\s+([\d.]+\w+)\s+([\d.]+\w+)\s+([\d.]+\w+)/.exec(stdout);
  const percentile = (p: string) => {
    const m = new RegExp(`^\\s*${p}%\\s+([\\d.]+\\w+)\\s*$`, 'm').exec(stdout);
    return m ? parseWrkDuration(m[1]) : NaN;
  };
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(stdout);
  return judge({
    requests,
    durationS,
    rps: rpsLine ? Number(rpsLine[1]) : requests / durationS,
    bytes: parseSize(requestsLine[3]),
    latencyUs: {
      mean: latencyLine ? parseWrkDuration(latencyLine[1]) : NaN,
      max: latencyLine ? parseWrkDuration(latencyLine[3]) : NaN,
      p50: percentile('50'),
      p75: percentile('75'),
      p90: percentile('90'),
      p99: percentile('99'),
    },
    non2xx: non2xx ? Number(non2xx[1]) : 0,
    socketErrors: socket
      ? { connect: Number(socket[1]), read: Number(socket[2]), write: Number(socket[3]), timeout: Number(socket[4]) }
      : { connect: 0, read: 0, write: 0, timeout: 0 },
    valid: true,
  });
}

function parseSize(text: string): number {
  const match = /^([\d.]+)(B|KB|MB|GB|TB)$/.exec(text);
  if (!match) return NaN;
  const power = ['B', 'KB', 'MB', 'GB', 'TB'].indexOf(match[2]);
  return Number(match[1]) * 1024 ** power;
}

function judge(result: WrkResult): WrkResult {
  const socketErrors = Object.values(result.socketErrors).reduce((a, b) => a + b, 0);
  const reasons: string[] = [];
  if (result.requests === 0) reasons.push('no requests completed');
  if (result.non2xx > 0) reasons.push(`${result.non2xx} non-2xx answers`);
  if (socketErrors > 0) {
    const kinds = Object.entries(result.socketErrors)
      .filter(([, n]) => n > 0)
      .map(([kind, n]) => `${kind} ${n}`);
    reasons.push(`socket errors (${kinds.join(', ')})`);
  }
  return reasons.length ? { ...result, valid: false, invalidReason: reasons.join('; ') } : { ...result, valid: true, invalidReason: undefined };
}
