/** What a plan produced: required sources are present; optional ones may be missing. */
export interface AggregationResult<Results> {
  data: Partial<Results>;
  /** True when every source answered. */
  complete: boolean;
  /** Optional sources that failed or were skipped because a dependency failed. */
  missing: string[];
}

/** The `meta` every aggregated body carries. */
export interface AggregationMeta {
  complete: boolean;
  missing: string[];
}

/**
 * A controller's aggregated answer; the kernel's interceptor adds
 * `x-aggregation-complete` and the body's `meta`.
 *
 * @example return new AggregatedResponse(result, { name: result.data.profile?.displayName });
 */
export class AggregatedResponse<Body extends object> {
  constructor(
    readonly result: AggregationResult<unknown>,
    readonly body: Body,
  ) {}
}
