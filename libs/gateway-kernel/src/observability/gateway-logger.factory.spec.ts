import { Writable } from 'node:stream';
import { loadGatewayConfig } from '../config';
import { RequestContextStore } from '../context';
import { accessLineLogger, createGatewayLogger, prettyLogs } from './gateway-logger.factory';
import { headerCensor } from './redact-paths';

const config = (extra: Record<string, unknown> = {}) =>
  loadGatewayConfig(
    {
      app: 'log-test',
      auth: { mode: 'api-key', apiKeys: [{ id: 'k1', sha256: 'a'.repeat(64), tier: 'free' }], apiKeyHeader: 'x-partner-key' },
      ...extra,
    },
    {},
  );

function capture() {
  const lines: Record<string, any>[] = [];
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      raw.push(...String(chunk).split('\n').filter(Boolean));
      lines.push(...String(chunk).split('\n').filter(Boolean).map((line) => JSON.parse(line)));
      done();
    },
  });
  return { lines, raw, stream };
}

describe('createGatewayLogger', () => {
  it('redacts authorization, cookies and the configured API key header wherever headers are logged', () => {
    const { lines, stream } = capture();
    const logger = createGatewayLogger(config(), {}, stream);
    const headers = { authorization: 'Bearer tok-123', cookie: 'sid=cookie-456', 'x-partner-key': 'key-789', 'user-agent': 'jest' };
    logger.info({ req: { headers }, headers, err: { config: { headers } } }, 'with credentials');
    const text = JSON.stringify(lines);
    for (const secret of ['tok-123', 'cookie-456', 'key-789']) expect(text).not.toContain(secret);
    expect(lines[0].req.headers).toEqual({ authorization: '[Redacted]', cookie: '[Redacted]', 'x-partner-key': '[Redacted]', 'user-agent': 'jest' });
    expect(lines[0].err.config.headers.authorization).toBe('[Redacted]');
  });

  it('puts the request id and trace id of the request in flight on every line, and nothing outside one', () => {
    const { lines, raw, stream } = capture();
    const logger = createGatewayLogger(config(), {}, stream);
    logger.info('at start');
    RequestContextStore.run({ requestId: 'req-1', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }, () => {
      logger.warn('inside');
      logger.child({ requestId: 'req-1' }).info('through a request logger');
    });
    expect(lines[0]).not.toHaveProperty('requestId');
    expect(lines[0]).not.toHaveProperty('traceId');
    expect(lines[1]).toEqual(expect.objectContaining({ requestId: 'req-1', traceId: '4bf92f3577b34da6a3ce929d0e0e4736', msg: 'inside' }));
    // A request logger already carries the id: it is not written twice.
    expect(raw[2].match(/"requestId"/g)).toHaveLength(1);
    expect(lines[2].traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it('writes access lines through a twin of the root: the same line, key for key, once the censor took the credentials out of the headers', () => {
    const { raw, stream } = capture();
    const root = createGatewayLogger(config(), {}, stream);
    const access = accessLineLogger(root);
    const censor = headerCensor(config().auth.apiKeyHeader);
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const line = () => ({
      requestId: 'req-9',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      req: { method: 'GET', url: '/x', headers: { authorization: 'Bearer tok-123', 'x-partner-key': 'key-789', 'user-agent': 'jest' } },
      status: 200,
    });
    RequestContextStore.run({ requestId: 'req-9', traceparent }, () => {
      root.info(line(), 'GET /x 200');
      const censored = line();
      access.info({ ...censored, req: { ...censored.req, headers: censor(censored.req.headers) } }, 'GET /x 200');
    });
    const withoutTime = (text: string) => text.replace(/"time":"[^"]+"/, '');
    expect(withoutTime(raw[1])).toBe(withoutTime(raw[0]));
    expect(raw[1]).not.toMatch(/tok-123|key-789/);
    expect(JSON.parse(raw[1]).req.headers).toEqual({ authorization: '[Redacted]', 'x-partner-key': '[Redacted]', 'user-agent': 'jest' });
  });

  it('censors headers without touching the request: a copy when a credential is there, the same object when none is', () => {
    const censor = headerCensor('X-Partner-Key');
    const headers = { authorization: 'Bearer t', cookie: 'sid=1', 'x-partner-key': 'k', 'sec-websocket-protocol': 'bearer.t', accept: '*/*' };
    expect(censor(headers)).toEqual({ authorization: '[Redacted]', cookie: '[Redacted]', 'x-partner-key': '[Redacted]', 'sec-websocket-protocol': '[Redacted]', accept: '*/*' });
    expect(headers.authorization).toBe('Bearer t');
    const plain = { accept: '*/*', 'user-agent': 'jest' };
    expect(censor(plain)).toBe(plain);
  });

  it('logs at the configured level, with the level as a label and the app name', () => {
    const { lines, stream } = capture();
    const logger = createGatewayLogger(config({ observability: { logLevel: 'warn' } }), {}, stream);
    logger.info('dropped');
    logger.warn('kept');
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', app: 'log-test', msg: 'kept' })]);
  });

  it('is pretty only in development, never in production', () => {
    expect(prettyLogs(config(), { NODE_ENV: 'development' })).toBe(true);
    expect(prettyLogs(config({ observability: { prettyLogs: true } }), {})).toBe(true);
    expect(prettyLogs(config({ observability: { prettyLogs: true } }), { NODE_ENV: 'production' })).toBe(false);
    expect(prettyLogs(config(), {})).toBe(false);
  });
});
