export * from './aggregation-plan';
export * from './aggregation-result';
export { Aggregator } from './aggregator.service';
export { AggregationModule } from './aggregation.module';
