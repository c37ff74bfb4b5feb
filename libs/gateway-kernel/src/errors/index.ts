export * from './gateway-error';
export * from './problem-details';
export { ProblemDetailsFilter } from './problem-details.filter';
export { ProblemResponder } from './problem-responder';
