import type { GatewayConfig } from '../../config';
import type { ProblemResponder } from '../../errors';
import type { RequestPolicy, RoutePolicy } from '../../policy';
import type { LiveHub } from '../live-hub';

/** What a live route needs, all made at start. */
export interface LiveRouteDeps {
  hub: LiveHub;
  config: GatewayConfig;
  requestPolicy: RequestPolicy;
  /** The route's policy, resolved once. */
  policy: RoutePolicy;
  responder: ProblemResponder;
}
