import { Injectable } from '@nestjs/common';
import { CallSignal, RequestContextStore, type CancelSignal } from '../context';
import { ErrorCode, GatewayError } from '../errors';
import { gatewayMetrics } from '../observability/gateway-metrics';
import { UpstreamRegistry } from '../upstream';
import type { AggregationPlan, SourceContext } from './aggregation-plan';
import type { AggregationResult } from './aggregation-result';
import { compilePlan, sourceRequest, type CompiledPlan } from './compiled-plan';

/**
 * Runs aggregation plans: every source as soon as its dependencies are in,
 * each bounded by its timeout and the route's deadline; a required failure
 * aborts the rest and fails the request.
 *
 * Each plan is compiled once, on its first run (clients resolved, the
 * dependency graph as indices); a run then sends each source's request
 * straight through its upstream's pipeline.
 *
 * @example const result = await aggregator.run(dashboardPlan, { userId });
 */
@Injectable()
export class Aggregator {
  private readonly compiled = new WeakMap<object, CompiledPlan>();

  constructor(private readonly upstreams: UpstreamRegistry) {}

  run<Input, Results extends Record<string, unknown>>(
    plan: AggregationPlan<Input, Results>,
    input: Input,
  ): Promise<AggregationResult<Results>> {
    let compiled: CompiledPlan;
    try {
      compiled = this.compiledOf(plan as unknown as AggregationPlan<unknown, Record<string, unknown>>);
    } catch (error) {
      return Promise.reject(error);
    }
    return new PlanRun(compiled, input).result as Promise<AggregationResult<Results>>;
  }

  /** Unknown upstream names fail on the first run of a plan rather than deep in a request. */
  private compiledOf(plan: AggregationPlan<unknown, Record<string, unknown>>): CompiledPlan {
    let compiled = this.compiled.get(plan);
    if (compiled === undefined || compiled.size !== plan.sources.length) {
      compiled = compilePlan(plan, this.upstreams);
      this.compiled.set(plan, compiled);
    }
    return compiled;
  }
}

/** One run of a compiled plan: which sources are waiting, done or failed, and what they gave. */
class PlanRun {
  readonly result: Promise<AggregationResult<Record<string, unknown>>>;
  private readonly results: Record<string, unknown> = {};
  private readonly missing: string[] = [];
  private readonly sourceContext: SourceContext<unknown, Record<string, unknown>>;
  /** Aborts every call of the run: a required source failed, or the client went away. */
  private readonly signal = new CallSignal();
  private readonly parent: CancelSignal | undefined;
  private readonly deadline: number;
  /** Per source: dependencies not settled yet, and whether one of them failed. */
  private readonly waitingOn: number[];
  private readonly dependencyFailed: boolean[];
  private pending: number;
  private finish!: () => void;

  constructor(
    private readonly plan: CompiledPlan,
    input: unknown,
  ) {
    const context = RequestContextStore.current();
    this.deadline = Date.now() + plan.deadlineMs;
    if (context) context.deadline = Math.min(context.deadline ?? Infinity, this.deadline);
    this.parent = context?.signal;
    this.sourceContext = { input, results: this.results };
    const sources = plan.sources;
    this.pending = sources.length;
    this.waitingOn = sources.map((source) => source.dependsOn.length);
    this.dependencyFailed = sources.map(() => false);
    this.result = new Promise<void>((resolve) => {
      this.finish = resolve;
      const parent = this.parent;
      if (parent?.aborted) this.signal.abort(parent.reason);
      else parent?.addEventListener('abort', this.onParentAbort);
      // Sources are in dependency order; those with none start now, the others as their dependencies settle.
      for (let i = 0; i < sources.length; i++) if (this.waitingOn[i] === 0) this.launch(i);
      if (this.pending === 0) resolve();
    }).then(() => this.outcome());
  }

  private readonly onParentAbort = () => this.signal.abort(this.parent?.reason);

  private launch(index: number): void {
    const source = this.plan.sources[index];
    const { spec } = source;
    let config;
    let request;
    try {
      config = spec.request(this.sourceContext);
      if (config !== null) {
        const remaining = this.deadline - Date.now();
        if (remaining <= 0) throw new GatewayError(ErrorCode.GatewayTimeout, `no time left for ${source.name}`);
        request = sourceRequest(source, config, Math.min(spec.timeoutMs ?? remaining, remaining), this.signal);
      }
    } catch (error) {
      return this.fail(index, error);
    }
    if (request === undefined) {
      // Nothing to ask: the source is empty, not missing.
      this.results[source.name] = spec.empty;
      return this.settle(index, true);
    }
    source.client.sendJson(request).then(
      (data) => {
        try {
          this.results[source.name] = spec.map ? spec.map(data, this.sourceContext) : data;
        } catch (error) {
          return this.fail(index, error);
        }
        this.settle(index, true);
      },
      (error: unknown) => this.fail(index, error),
    );
  }

  private fail(index: number, error: unknown): void {
    const source = this.plan.sources[index];
    if (source.required) {
      const failure =
        error instanceof GatewayError
          ? error
          : new GatewayError(ErrorCode.BadGateway, `required source ${source.name} is unavailable`, { cause: error });
      this.signal.abort(failure);
    } else {
      this.missing.push(source.name);
    }
    this.settle(index, false);
  }

  /** A source is done: its dependents whose dependencies are all in start, or fail when one of them failed. */
  private settle(index: number, ok: boolean): void {
    this.pending--;
    for (const dependent of this.plan.sources[index].dependents) {
      if (!ok) this.dependencyFailed[dependent] = true;
      if (--this.waitingOn[dependent] > 0) continue;
      if (this.dependencyFailed[dependent]) this.fail(dependent, undefined);
      else this.launch(dependent);
    }
    if (this.pending === 0) this.finish();
  }

  private outcome(): AggregationResult<Record<string, unknown>> {
    this.parent?.removeEventListener('abort', this.onParentAbort);
    const { signal, missing } = this;
    gatewayMetrics.aggregations.inc({ plan: this.plan.name, complete: String(!signal.aborted && missing.length === 0) });
    if (signal.aborted && signal.reason instanceof GatewayError) throw signal.reason;
    if (signal.aborted) throw new GatewayError(ErrorCode.GatewayTimeout, 'the request was cancelled');
    return { data: this.results, complete: missing.length === 0, missing };
  }
}
