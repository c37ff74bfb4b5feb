import { Global, Module } from '@nestjs/common';
import { Aggregator } from './aggregator.service';

/** The Aggregator for controllers. */
@Global()
@Module({
  providers: [Aggregator],
  exports: [Aggregator],
})
export class AggregationModule {}
