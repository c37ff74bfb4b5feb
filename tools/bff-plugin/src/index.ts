export { bffGenerator } from './generators/bff/bff.generator';
export type { BffGeneratorSchema } from './generators/bff/schema';
