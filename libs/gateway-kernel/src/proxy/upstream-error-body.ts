import { codeForStatus, GatewayError } from '../errors';
import type { UpstreamResponse } from '../pipeline';
import { statusToGatewayError } from '../pipeline';

/** An upstream problem body larger than this is not read (a problem is a few hundred bytes). */
const MAX_PROBLEM_BYTES = 4_096;
const MAX_DETAIL_CHARS = 300;
const MAX_ERRORS = 20;

/**
 * What the client is told when an upstream answers 4xx or 5xx on a
 * pass-through route; the upstream's body never goes out as it is. A 5xx is
 * the upstream's failure (502/503/504). A 4xx keeps its meaning (the error
 * table's row for that status; 400 for one the table lacks) with no upstream
 * detail, unless the route passes problems: then an upstream
 * `application/problem+json` body of at most 4 KB lends its `detail` and
 * `errors` (strings, capped) and nothing else.
 *
 * @example throw await upstreamFailure(response, 'catalog', route.upstreamProblems === 'pass');
 */
export async function upstreamFailure(response: UpstreamResponse, upstream: string, passProblems: boolean): Promise<GatewayError> {
  const status = response.statusCode;
  if (status >= 500 || !passProblems || !isSmallProblem(response)) {
    response.body.dump().catch(() => undefined);
    return status >= 500 ? statusToGatewayError(status, upstream) : new GatewayError(codeForStatus(status));
  }
  let body: unknown;
  try {
    body = JSON.parse(await readCapped(response));
  } catch {
    return new GatewayError(codeForStatus(status));
  }
  const { detail, errors } = (body ?? {}) as { detail?: unknown; errors?: unknown };
  return new GatewayError(codeForStatus(status), typeof detail === 'string' ? detail.slice(0, MAX_DETAIL_CHARS) : undefined, {
    errors: Array.isArray(errors)
      ? errors.filter((e): e is string => typeof e === 'string').slice(0, MAX_ERRORS).map((e) => e.slice(0, MAX_DETAIL_CHARS))
      : undefined,
  });
}

function isSmallProblem(response: UpstreamResponse): boolean {
  const type = String(response.headers['content-type'] ?? '');
  const declared = response.headers['content-length'];
  return type.startsWith('application/problem+json') && (declared === undefined || Number(declared) <= MAX_PROBLEM_BYTES);
}

/** The body as text, given up (and the stream destroyed) past the cap: a chunked body declares no length. */
async function readCapped(response: UpstreamResponse): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_PROBLEM_BYTES) {
      response.body.destroy();
      throw new Error('problem body over the cap');
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
