import { connect } from 'node:net';

/** `INFO stats` over a fresh connection (inline command), parsed to `field: value` pairs. */
export function redisInfo(port: number, host = '127.0.0.1', timeoutMs = 2_000): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host);
    let data = '';
    const timer = setTimeout(() => socket.destroy(new Error('redis INFO timed out')), timeoutMs);
    socket.on('connect', () => socket.write('INFO stats\r\n'));
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
