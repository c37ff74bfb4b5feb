import { Principal } from '../context';
import { AuthRequest, PassportAttempt, PassportStrategyLike } from './gateway-strategy.interface';

/** How one passport attempt ended: a principal, or the strategy's failure info or error. */
export interface StrategyOutcome {
  principal?: Principal;
  info?: unknown;
  error?: unknown;
}

/**
 * Runs one passport strategy instance against a request, the way passport's own
 * `authenticate` middleware does (a per-attempt `Object.create(strategy)` carrying
 * the callbacks). Calling the instance directly, rather than `AuthGuard(name)`,
 * skips passport's process-wide strategy registry, where a second app in the same
 * process (tests, e2e) would replace this app's `jwt` strategy and its config.
 */
export function runStrategy(strategy: PassportStrategyLike, request: AuthRequest): Promise<StrategyOutcome> {
  return new Promise<StrategyOutcome>((resolve) => {
    const attempt = Object.create(strategy) as PassportStrategyLike & PassportAttempt;
    attempt.success = (user) => resolve({ principal: user as Principal });
    attempt.fail = (challenge) => resolve({ info: challenge });
    attempt.error = (error) => resolve({ error });
    attempt.pass = () => resolve({});
    attempt.redirect = () => resolve({});
    try {
      attempt.authenticate(request, {});
    } catch (error) {
      resolve({ error });
    }
  });
}
