import type { FastifyReply, FastifyRequest } from 'fastify';

/** RFC 9457 problem details, as every error leaves the gateway. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  requestId: string;
  /** Field-level reasons for a 400 from validation. */
  errors?: string[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * Writes a problem+json reply with the given extra headers, and the request's
 * id in `x-request-id` as in the body: a request refused before the request
 * context's hook ran (the edge guard, load shedding) has it too.
 *
 * @example sendProblem(reply, request, problem, { 'retry-after': '3' });
 */
export function sendProblem(
  reply: FastifyReply,
  request: FastifyRequest,
  problem: Omit<ProblemDetails, 'instance' | 'requestId'>,
  headers: Record<string, string> = {},
): void {
  const requestId = String(request.id);
  const body: ProblemDetails = {
    ...problem,
    instance: request.url.split('?', 1)[0],
    requestId,
  };
  reply.status(problem.status).header('x-request-id', requestId).headers(headers).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}
