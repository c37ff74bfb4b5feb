export { setupApiDocs, DOCS_PATH, DOCS_JSON_PATH } from './api-docs.setup';
export { ApiAggregatedResponse, AggregationMetaDocument } from './aggregated-response.docs';
export { ProblemDocument } from './problem-document.schema';
