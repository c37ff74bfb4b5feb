import { ErrorCode, GatewayError } from '../errors';
import type { UpstreamBody } from '../pipeline/upstream-call';

/**
 * Reads an upstream body as the caller asked (JSON by default); a body cut
 * off in time is a 504, one that cannot be read or parsed a 502.
 *
 * @example const data = await readUpstreamBody('catalog', response.body);
 */
export async function readUpstreamBody(upstream: string, body: UpstreamBody, type?: string): Promise<unknown> {
  try {
    switch (type) {
      case 'stream':
        return body;
      case 'arraybuffer':
        return Buffer.from(await body.arrayBuffer());
      case 'text':
        return await body.text();
      default:
        return parseJsonText(upstream, await body.text());
    }
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'UND_ERR_BODY_TIMEOUT' || (error as Error).name === 'AbortError') {
      throw new GatewayError(ErrorCode.GatewayTimeout, `upstream ${upstream} did not answer in time`, { cause: error });
    }
    throw new GatewayError(ErrorCode.BadGateway, `upstream ${upstream} sent an unreadable response`, { cause: error });
  }
}

/**
 * An upstream's JSON text parsed (empty: undefined); text that is not JSON is a 502.
 *
 * @example const data = parseJsonText('catalog', buffered.body.buffer.toString('utf8'));
 */
export function parseJsonText(upstream: string, text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new GatewayError(ErrorCode.BadGateway, `upstream ${upstream} sent an unreadable response`, { cause: error });
  }
}
