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
 * Writes a problem+json reply with the given extra headers.
 *
 * @example sendProblem(reply, request, problem, { 'retry-after': '3' });
 */
export function sendProblem(
  reply: FastifyReply,
  request: FastifyRequest,
  problem: Omit<ProblemDetails, 'instance' | 'requestId'>,
  headers: Record<string, string> = {},
): void {
  const body: ProblemDetails = {
    ...problem,
    instance: request.url.split('?', 1)[0],
    requestId: String(request.id),
  };
  reply.status(problem.status).headers(headers).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}
