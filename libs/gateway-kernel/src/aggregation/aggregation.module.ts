import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AggregationInterceptor } from './aggregation.interceptor';
import { Aggregator } from './aggregator.service';

/** The Aggregator for controllers, and the interceptor that marks completeness. */
@Global()
@Module({
  providers: [Aggregator, { provide: APP_INTERCEPTOR, useClass: AggregationInterceptor }],
  exports: [Aggregator],
})
export class AggregationModule {}
