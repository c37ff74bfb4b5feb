export { ConditionalResponseModule } from './conditional-response.module';
export { registerConditionalResponses, type ConditionalResponseOptions } from './conditional-responses';
