import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { map, type Observable } from 'rxjs';
import { AggregatedResponse } from './aggregation-result';

/** Turns an AggregatedResponse into its body with `meta` and the completeness header. */
@Injectable()
export class AggregationInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((value: unknown) => {
        if (!(value instanceof AggregatedResponse)) return value;
        const { complete, missing } = value.result;
        context.switchToHttp().getResponse<FastifyReply>().header('x-aggregation-complete', String(complete));
        return { ...value.body, meta: { ...(value.body as { meta?: object }).meta, complete, missing } };
      }),
    );
  }
}
