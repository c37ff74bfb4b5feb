import { Injectable } from '@nestjs/common';
import { RequestContextStore } from '../context';
import { ErrorCode, GatewayError } from '../errors';
import { gatewayMetrics } from '../observability/gateway-metrics';
import { UpstreamRegistry, type UpstreamClient } from '../upstream';
import type { AggregationPlan, PlannedSource, SourceContext } from './aggregation-plan';
import type { AggregationResult } from './aggregation-result';

/**
 * Runs aggregation plans: every source as soon as its dependencies are in,
 * each bounded by its timeout and the route's deadline; a required failure
 * aborts the rest and fails the request.
 *
 * @example const result = await aggregator.run(dashboardPlan, { userId });
 */
@Injectable()
export class Aggregator {
  private readonly checked = new WeakSet<object>();

  constructor(private readonly upstreams: UpstreamRegistry) {}

  async run<Input, Results extends Record<string, unknown>>(
    plan: AggregationPlan<Input, Results>,
    input: Input,
  ): Promise<AggregationResult<Results>> {
    this.check(plan);
    const context = RequestContextStore.current();
    const deadline = Date.now() + plan.options.deadlineMs;
    if (context) context.deadline = Math.min(context.deadline ?? Infinity, deadline);

    const controller = new AbortController();
    const parent = context?.signal;
    const onParentAbort = () => controller.abort(parent?.reason);
    parent?.addEventListener('abort', onParentAbort, { once: true });

    const results: Partial<Results> = {};
    const missing: string[] = [];
    const sourceContext: SourceContext<Input, Results> = { input, results };
    const settled = new Map<string, Promise<boolean>>();

    const runSource = (source: PlannedSource): Promise<boolean> => {
      let promise = settled.get(source.name);
      if (promise) return promise;
      promise = (async () => {
        const deps = await Promise.all((source.spec.dependsOn ?? []).map((name) => settled.get(name)!));
        if (deps.some((ok) => !ok)) return this.fail(source, missing, controller, undefined);
        try {
          const value = await this.fetch(source, sourceContext as SourceContext<unknown, Record<string, unknown>>, deadline, controller.signal);
          (results as Record<string, unknown>)[source.name] = value;
          return true;
        } catch (error) {
          return this.fail(source, missing, controller, error);
        }
      })();
      settled.set(source.name, promise);
      return promise;
    };

    try {
      // Sources are in dependency order, so each one's dependencies are already in the map.
      for (const source of plan.sources) runSource(source);
      await Promise.all(settled.values());
    } finally {
      parent?.removeEventListener('abort', onParentAbort);
    }
    gatewayMetrics.aggregations.inc({ plan: plan.name, complete: String(!controller.signal.aborted && missing.length === 0) });
    if (controller.signal.aborted && controller.signal.reason instanceof GatewayError) throw controller.signal.reason;
    if (controller.signal.aborted) throw new GatewayError(ErrorCode.GatewayTimeout, 'the request was cancelled');
    return { data: results, complete: missing.length === 0, missing };
  }

  private async fetch(
    source: PlannedSource,
    context: SourceContext<unknown, Record<string, unknown>>,
    deadline: number,
    signal: AbortSignal,
  ): Promise<unknown> {
    const { spec } = source;
    const request = spec.request(context);
    if (request === null) return spec.empty;
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new GatewayError(ErrorCode.GatewayTimeout, `no time left for ${source.name}`);
    const client: UpstreamClient = this.upstreams.get(spec.upstream);
    const data = await client.callJson({
      ...request,
      timeout: Math.min(spec.timeoutMs ?? remaining, remaining),
      signal,
      gateway: { shared: spec.shared, cacheTtlMs: spec.cacheTtlMs, ...request.gateway },
    });
    return spec.map ? spec.map(data, context) : data;
  }

  private fail(source: PlannedSource, missing: string[], controller: AbortController, error: unknown): false {
    if (source.spec.required) {
      const failure =
        error instanceof GatewayError
          ? error
          : new GatewayError(ErrorCode.BadGateway, `required source ${source.name} is unavailable`, { cause: error });
      if (!controller.signal.aborted) controller.abort(failure);
    } else {
      missing.push(source.name);
    }
    return false;
  }

  /** Unknown upstream names fail on the first run of a plan rather than deep in a request. */
  private check(plan: AggregationPlan<unknown, Record<string, unknown>> | object): void {
    if (this.checked.has(plan)) return;
    for (const name of (plan as AggregationPlan<unknown>).upstreams()) this.upstreams.get(name);
    this.checked.add(plan);
  }
}
