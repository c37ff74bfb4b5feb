export { PolicyModule } from './policy.module';
export { RequestPolicy, type PolicyRequest } from './request-policy';
export type { RouteDeclaration, RoutePolicy } from './route-policy';
export { routePolicyHook } from './fastify/route-policy.hook';
export { RouteDeclarationReader } from './nest/route-declaration.reader';
