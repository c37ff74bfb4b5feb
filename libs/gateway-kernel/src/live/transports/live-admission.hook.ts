import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LiveConfig } from '../../config';
import { contextOf, type Principal } from '../../context';
import { ErrorCode, GatewayError } from '../../errors';
import type { RequestPolicy, RoutePolicy } from '../../policy';
import type { LiveHub, LiveReservation } from '../live-hub';
import { parseTopics, type TopicSubscription } from '../topics';
import { liveAuthorization } from './live-credentials';

/** What the handshake settled, for the handler that takes the connection over. */
export interface LiveAdmission {
  /** Who connected, as the handshake's policy settled it: later messages are checked and counted against it, and the connection ends at its `expiresAt`. */
  readonly principal: Principal;
  readonly topics: readonly TopicSubscription[];
  readonly reservation: LiveReservation;
}

const ADMISSION = Symbol('liveAdmission');
type Admitted = { [ADMISSION]?: LiveAdmission };

/**
 * The handshake of a live connection, before any upgrade or stream: the
 * route's policy (failed-auth limit, the JWT through the authenticator,
 * the throttling tiers: one subscription counts as one request), then the
 * `topics` (400/403) and a place under the caps (429 per user, on every
 * replica together with Redis; 503 per replica or draining). Each refusal
 * is an ordinary problem+json answer, so a WebSocket client gets 401
 * before any 101.
 *
 * @example fastify.route({ url: '/api/live', onRequest: liveAdmissionHook(requestPolicy, policy, hub, config.live, true), ... });
 */
export function liveAdmissionHook(requestPolicy: RequestPolicy, policy: RoutePolicy, hub: LiveHub, config: LiveConfig, alternatives: boolean) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    // Watched from the start: a client can go while the policy or the ledger (Redis) is being asked.
    const connection: { gone: boolean; reservation?: LiveReservation } = { gone: false };
    reply.raw.once('close', () => {
      connection.gone = true;
      connection.reservation?.release();
    });
    const authorization = liveAuthorization(request, alternatives);
    await requestPolicy.enforce(policy, { headers: { authorization }, ip: request.ip }, reply, request);
    const principal = contextOf(request)?.principal;
    if (!principal) throw new GatewayError(ErrorCode.Unauthorized, 'missing credentials');
    const topics = parseTopics((request.query as Record<string, unknown> | undefined)?.topics, principal, config.maxTopics);
    hub.assertServed(topics);
    // Given back when the connection ends, however it ends (refused, upgraded then closed, or never taken over).
    const reservation = await hub.reserve(principal.id);
    connection.reservation = reservation;
    if (connection.gone) {
      reservation.release();
      throw new GatewayError(ErrorCode.BadRequest, 'the client left during the handshake');
    }
    (request.raw as Admitted)[ADMISSION] = { principal, topics, reservation };
  };
}

/** The admission the hook left on this request. */
export function admissionOf(request: FastifyRequest): LiveAdmission {
  const admission = (request.raw as Admitted)[ADMISSION];
  if (!admission) throw new Error('live route handler ran without its admission hook');
  return admission;
}
