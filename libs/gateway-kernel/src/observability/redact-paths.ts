/** Request and response headers that carry credentials. */
const SECRET_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie'];

/** Where headers sit in what the gateway logs: access lines, errors, axios configs. */
const HEADER_HOLDERS = ['req.headers', 'res.headers', 'headers', 'err.headers', 'err.config.headers', 'config.headers'];

/**
 * pino `redact` paths for every credential header, the configured API key
 * header included, wherever a log line may hold headers.
 *
 * @example redactPaths('x-api-key') // ['req.headers["authorization"]', ...]
 */
export function redactPaths(apiKeyHeader: string): string[] {
  const names = [...new Set([...SECRET_HEADERS, apiKeyHeader.toLowerCase()])];
  return HEADER_HOLDERS.flatMap((holder) => names.map((name) => `${holder}["${name}"]`));
}
