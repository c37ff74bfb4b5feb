import { Logger } from '@nestjs/common';
import { CircuitState, ConsecutiveBreaker, SamplingBreaker, type IBreaker } from 'cockatiel';
import type { BreakerConfig } from '../config';
import { ErrorCode, GatewayError } from '../errors';
import type { CallOutcome } from '../pipeline/call-outcome';
import type { BreakerState, CircuitBreaker } from '../pipeline/upstream-call';
import { resilienceMetrics } from './resilience.metrics';

const GAUGE_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

/**
 * The circuit breaker of one upstream instance. cockatiel's ConsecutiveBreaker
 * and SamplingBreaker decide when to open; the state machine is ours because
 * cockatiel's CircuitBreakerPolicy queues every caller behind the half-open
 * probe (and re-runs them without their abort signal), and cannot tell the
 * balancer whether an instance would take a call without making it the probe.
 * Here, while half-open, one probe goes through and every other call is
 * refused at once, like while open.
 *
 * @example const probe = breaker.enter(); try { ... breaker.record('success', probe) } ...
 */
export class InstanceBreaker implements CircuitBreaker {
  private state: BreakerState = 'closed';
  private probing = false;
  private openedAt = 0;
  private timer?: NodeJS.Timeout;
  private readonly rules: IBreaker[];
  private readonly gauge;
  private readonly logger = new Logger('CircuitBreaker');

  constructor(
    readonly upstream: string,
    readonly instance: string,
    private readonly config: BreakerConfig,
  ) {
    this.rules = [new ConsecutiveBreaker(config.consecutiveFailures)];
    if (config.failureRateThreshold < 1) {
      this.rules.push(
        new SamplingBreaker({
          threshold: config.failureRateThreshold,
          duration: config.windowMs,
          // SamplingBreaker wants a rate; minimumCalls over the window is the same bound.
          minimumRps: config.minimumCalls / (config.windowMs / 1000),
        }),
      );
    }
    this.gauge = resilienceMetrics.breakerState.labels({ upstream, instance });
    this.gauge.set(0);
  }

  get current(): BreakerState {
    return this.state;
  }

  /** True when a call would be let through now: closed, or half-open with no probe out. */
  acceptsCalls(): boolean {
    return this.state === 'closed' || (this.state === 'half-open' && !this.probing);
  }

  /**
   * Lets one call through or throws 503 at once. Returns true when the call
   * is the half-open probe; pass that back to `record`.
   */
  enter(): boolean {
    if (this.state === 'closed') return false;
    if (this.state === 'half-open' && !this.probing) {
      this.probing = true;
      return true;
    }
    throw this.openError();
  }

  /** Counts how a call that `enter` let through ended. */
  record(outcome: CallOutcome, probe: boolean): void {
    if (probe) this.probing = false;
    if (outcome === 'ignored') return;
    if (outcome === 'success') {
      if (probe) this.close();
      else if (this.state === 'closed') for (const rule of this.rules) rule.success(CircuitState.Closed);
      return;
    }
    if (probe) {
      this.open();
      return;
    }
    // Calls let in before the breaker opened may end after; only the closed state counts them.
    if (this.state !== 'closed') return;
    let trip = false;
    for (const rule of this.rules) trip = rule.failure(CircuitState.Closed) || trip;
    if (trip) this.open();
  }

  dispose(): void {
    clearTimeout(this.timer);
  }

  private open(): void {
    this.transition('open');
    this.openedAt = Date.now();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.transition('half-open'), this.config.halfOpenAfterMs);
    this.timer.unref();
  }

  private close(): void {
    // A success in half-open clears both rules' history (cockatiel's own convention).
    for (const rule of this.rules) rule.success(CircuitState.HalfOpen);
    this.transition('closed');
  }

  private transition(state: BreakerState): void {
    if (state === this.state) return;
    this.state = state;
    this.probing = false;
    this.gauge.set(GAUGE_VALUE[state]);
    const message = `upstream ${this.upstream} instance ${this.instance}: breaker ${state}`;
    if (state === 'open') this.logger.warn(message);
    else this.logger.log(message);
  }

  private openError(): GatewayError {
    const waitMs = this.state === 'open' ? this.config.halfOpenAfterMs - (Date.now() - this.openedAt) : 0;
    return new GatewayError(ErrorCode.CircuitOpen, `upstream ${this.upstream} is unavailable`, {
      headers: { 'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))) },
    });
  }
}
