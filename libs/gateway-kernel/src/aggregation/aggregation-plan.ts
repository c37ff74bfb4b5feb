import type { CallConfig } from '../upstream/upstream-request.builder';

/** What a source's request builder sees: the route's input and the results it depends on. */
export interface SourceContext<Input, Results> {
  input: Input;
  results: Partial<Results>;
}

/** One upstream call in a plan. */
export interface SourceSpec<Input, Results, T> {
  /** Name of a configured upstream. */
  upstream: string;
  /**
   * The method to call when the upstream speaks gRPC (required then, refused
   * otherwise): `request` returns `{ data: <request message> }`, and `map`
   * gets the decoded answer.
   */
  rpc?: string;
  /** A required source failing fails the request; an optional one is reported missing. */
  required: boolean;
  /** This source's own ceiling, inside the route's deadline. */
  timeoutMs?: number;
  /** Sources whose results this one needs; they must be added before it. */
  dependsOn?: Array<keyof Results & string>;
  /** The call to make, or `null` when there is nothing to ask (the source is then empty, not missing). */
  /** Axios-style: `{ method, url, params, data, headers }`; for a gRPC source `{ data: message, headers }`. */
  request: (context: SourceContext<Input, Results>) => CallConfig | null;
  /** Turns the upstream's JSON into this source's result. */
  map?: (data: any, context: SourceContext<Input, Results>) => T; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** The result when `request` returns null. */
  empty?: T;
  /** Every caller gets the same answer (catalog data): lets caches and coalescing share it across callers. */
  shared?: boolean;
  /** Cache this source's answer this long when the upstream sends no Cache-Control (overrides the upstream's cacheTtlMs). */
  cacheTtlMs?: number;
}

export interface PlannedSource {
  name: string;
  spec: SourceSpec<unknown, Record<string, unknown>, unknown>;
  dependents: string[];
}

/**
 * A typed fan-out, built once at start: named sources run in parallel unless
 * one depends on another's result.
 *
 * @example
 * const plan = new AggregationPlan<{ id: string }>('product', { deadlineMs: 800 })
 *   .add('product', { upstream: 'catalog', required: true, request: ({ input }) => ({ url: `/products/${input.id}` }) })
 *   .add('reviews', { upstream: 'reviews', required: false, request: ({ input }) => ({ url: '/reviews', params: { productId: input.id } }) })
 *   .add('stock', { upstream: 'inventory', rpc: 'GetAvailability', required: false, request: ({ input }) => ({ data: { sku: input.id } }) });
 */
export class AggregationPlan<Input, Results extends Record<string, unknown> = Record<never, never>> {
  readonly sources: PlannedSource[] = [];
  private readonly byName = new Map<string, PlannedSource>();

  constructor(
    readonly name: string,
    readonly options: { deadlineMs: number },
  ) {}

  add<K extends string, T>(name: K, spec: SourceSpec<Input, Results, T>): AggregationPlan<Input, Results & Record<K, T>> {
    if (this.byName.has(name)) throw new Error(`plan ${this.name}: source "${name}" added twice`);
    for (const dependency of spec.dependsOn ?? []) {
      const planned = this.byName.get(dependency);
      if (!planned) throw new Error(`plan ${this.name}: "${name}" depends on "${dependency}", which is not added before it`);
      planned.dependents.push(name);
    }
    if (spec.timeoutMs !== undefined && spec.timeoutMs > this.options.deadlineMs) {
      throw new Error(`plan ${this.name}: "${name}" timeout exceeds the route deadline`);
    }
    const planned: PlannedSource = { name, spec: spec as PlannedSource['spec'], dependents: [] };
    this.sources.push(planned);
    this.byName.set(name, planned);
    return this as unknown as AggregationPlan<Input, Results & Record<K, T>>;
  }

  upstreams(): string[] {
    return [...new Set(this.sources.map((s) => s.spec.upstream))];
  }
}

/** Types the results of a plan: `PlanResults<typeof plan>`. */
export type PlanResults<P> = P extends AggregationPlan<unknown, infer R> ? R : never;
