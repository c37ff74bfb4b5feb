export { setupApiDocs, DOCS_PATH, DOCS_JSON_PATH } from './api-docs.setup';
export { ProblemDocument } from './problem-document.schema';
