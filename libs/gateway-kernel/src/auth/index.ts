export { AuthModule } from './auth.module';
export type { AuthModuleOptions, AuthModeName } from './auth-module-options.interface';
export { Public } from './public.decorator';
export { Scopes } from './scopes.decorator';
export { AuthMode } from './auth-mode.decorator';
export { CurrentPrincipal } from './current-principal.decorator';
export { hashApiKey } from './hash-api-key';
export * from './auth.constants';
