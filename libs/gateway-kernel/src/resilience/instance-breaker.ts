import { Logger } from '@nestjs/common';
import { CircuitState, ConsecutiveBreaker, SamplingBreaker, type IBreaker } from 'cockatiel';
import type { BreakerConfig } from '../config';
import { ErrorCode, GatewayError } from '../errors';
import type { CallOutcome } from '../pipeline/call-outcome';
import type { BreakerState, CircuitBreaker } from '../pipeline/upstream-call';
import { resilienceMetrics } from './resilience.metrics';

const GAUGE_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

/**
 * The circuit breaker of one upstream instance. cockatiel's SamplingBreaker
 * (failure rate over a window, with a minimum number of attempts) and, when
 * configured, its ConsecutiveBreaker decide when to open. Each attempt is
 * counted once on the instance it went to; a retry is another attempt, and
 * failures that never reached the instance are not counted (`CallOutcome`).
 * The failure rate is the default rule because a consecutive count opens on
 * a couple of failing requests and their retries, for every route at once.
 * The state machine is ours because
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
  private rules: IBreaker[];
  private lastRecordAt = 0;
  private readonly gauge;
  private readonly logger = new Logger('CircuitBreaker');

  constructor(
    readonly upstream: string,
    readonly instance: string,
    private readonly config: BreakerConfig,
  ) {
    this.rules = this.freshRules();
    this.gauge = resilienceMetrics.breakerState.labels({ upstream, upstream_instance: instance });
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
    const now = Date.now();
    // cockatiel's SamplingBreaker expires a slice of its window only when a call rotates into
    // it, so after a quiet spell old failures would still count: a window idle for a whole
    // `windowMs` starts empty instead.
    if (now - this.lastRecordAt > this.config.windowMs && this.state === 'closed') this.rules = this.freshRules();
    this.lastRecordAt = now;
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

  /** The rules that decide when to open: the failure rate over the window, and consecutive failures when asked for. */
  private freshRules(): IBreaker[] {
    const { consecutiveFailures, failureRateThreshold, windowMs, minimumCalls } = this.config;
    const rules: IBreaker[] = [];
    if (failureRateThreshold < 1) {
      rules.push(
        new SamplingBreaker({
          threshold: failureRateThreshold,
          duration: windowMs,
          // SamplingBreaker wants a rate; minimumCalls over the window is the same bound.
          minimumRps: minimumCalls / (windowMs / 1000),
        }),
      );
    }
    if (consecutiveFailures > 0) rules.push(new ConsecutiveBreaker(consecutiveFailures));
    return rules;
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
