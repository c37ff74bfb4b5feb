import { applyDecorators, HttpStatus, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiResponse, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import { AGGREGATION_COMPLETE_HEADER, type AggregationMeta } from '../aggregation';

/** The OpenAPI schema of the `meta` that `aggregatedResponse` adds to every aggregated body. */
@ApiSchema({ name: 'AggregationMeta', description: 'Whether every source of an aggregated answer was there.' })
export class AggregationMetaDocument implements AggregationMeta {
  @ApiProperty({ description: 'True when every source answered' })
  complete: boolean;

  @ApiProperty({ description: 'The optional sources that failed or were skipped', type: 'array', items: { type: 'string', maxLength: 64 }, maxItems: 64 })
  missing: string[];
}

/**
 * Documents an aggregated endpoint's success answer: the view's schema plus
 * the `meta` and the `x-aggregation-complete` header that `aggregatedResponse`
 * adds, so a view class describes only what the view builds.
 *
 * @example @Get() @ApiAggregatedResponse(DashboardPage) dashboard() { ... }
 */
export function ApiAggregatedResponse(view: Type<unknown>, options: { status?: number; description?: string } = {}): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(view, AggregationMetaDocument),
    ApiResponse({
      status: options.status ?? HttpStatus.OK,
      description: options.description ?? 'The aggregated answer; `meta.missing` names the optional sources it lacks',
      headers: {
        [AGGREGATION_COMPLETE_HEADER]: { description: 'Whether every source answered', schema: { type: 'string', enum: ['true', 'false'] } },
      },
      schema: {
        allOf: [
          { $ref: getSchemaPath(view) },
          { type: 'object', required: ['meta'], properties: { meta: { $ref: getSchemaPath(AggregationMetaDocument) } } },
        ],
      },
    }),
  );
}
