import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { GatewayConfig } from '../config';
import { RequestContextStore } from '../context';
import { BatchedLines } from './batched-lines';
import { CENSOR, redactPaths } from './redact-paths';
import { traceIdOf } from './trace-context';

/**
 * The app's root pino logger: JSON lines (pretty only in development), the
 * configured level, credentials redacted, and the request id and trace id of
 * the request in flight on every line logged while it runs (read from the
 * request context, so no request-scoped provider is needed).
 *
 * @example const logger = createGatewayLogger(config);
 */
export function createGatewayLogger(
  config: GatewayConfig,
  env: NodeJS.ProcessEnv = process.env,
  destination?: DestinationStream,
): Logger {
  const { logLevel } = config.observability;
  const options: LoggerOptions = {
    level: logLevel,
    base: { app: config.app },
    redact: { paths: redactPaths(config.auth.apiKeyHeader), censor: CENSOR },
    // Every line logged while a request runs carries its ids, read from the request context;
    // a child logger that was given the request id already (bindings) is not given it twice.
    mixin(_object, _level, logger) {
      const context = RequestContextStore.current();
      if (!context) return {};
      const traceId = traceIdOf(context.traceparent);
      return takesRequestId.has(logger) ? { requestId: context.requestId, traceId } : { traceId };
    },
  };
  if (prettyLogs(config, env) && !destination) {
    options.transport = { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' } };
  } else {
    options.timestamp = isoTimeOncePerMs();
    options.formatters = { level: (label) => ({ level: label }) };
  }
  const root = pino(options, destination ?? (options.transport ? undefined : stdoutDestination()));
  takesRequestId.add(root);
  return root;
}

/**
 * Lines leave for stdout in batches of about LOG_BATCH_CHARS, and at the
 * latest LOG_FLUSH_MS after they were logged: at an access line per request,
 * a write per line cost a busy replica more CPU than the rest of its logging
 * (sonic-boom encoding and handing each line to the thread pool), and 64 K
 * batches cost a busy replica ~8% less CPU than 8 K ones (256 K: more, and
 * a longer pause per write). What is gathered is written synchronously on
 * exit, a crash included.
 */
const LOG_BATCH_CHARS = 64 * 1024;
const LOG_FLUSH_MS = 250;

function stdoutDestination(): DestinationStream {
  return new BatchedLines(pino.destination({ dest: 1, sync: false, minLength: 0 }), LOG_BATCH_CHARS, LOG_FLUSH_MS);
}

/** Loggers whose lines take the request id from the context: the root and its access-line twin (not request child loggers). */
const takesRequestId = new WeakSet<object>();

/**
 * The root logger's twin for access lines: the same lines, with no
 * redaction of its own, since the access line censors the one place it holds
 * headers itself (`headerCensor`): @pinojs/redact walks its paths again for
 * every line, which cost an access line more than the rest of its serialising.
 *
 * @example registerAccessLog(fastify, accessLineLogger(root), headerCensor(config.auth.apiKeyHeader));
 */
export function accessLineLogger(root: Logger): Logger {
  const logger = root.child({}, { redact: { paths: [] } });
  takesRequestId.add(logger);
  return logger;
}

/**
 * pino's `isoTime`, formatted once per millisecond: a busy replica writes
 * several lines in the same millisecond, and `toISOString` was a visible
 * share of each access line. The same text as `pino.stdTimeFunctions.isoTime`.
 */
function isoTimeOncePerMs(): () => string {
  let lastMs = -1;
  let text = '';
  return () => {
    const now = Date.now();
    if (now !== lastMs) {
      lastMs = now;
      text = `,"time":"${new Date(now).toISOString()}"`;
    }
    return text;
  };
}

/**
 * Pretty output only for development: `observability.prettyLogs` (LOG_PRETTY)
 * or NODE_ENV=development, never in production (pino-pretty is a dev dependency).
 */
export function prettyLogs(config: GatewayConfig, env: NodeJS.ProcessEnv): boolean {
  if (env.NODE_ENV === 'production' || env.NODE_ENV === 'test') return false;
  return config.observability.prettyLogs || env.NODE_ENV === 'development';
}
