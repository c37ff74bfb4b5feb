import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Authenticator } from '../auth';
import { AuthFailureLimiter, RateLimiter } from '../throttling';
import { RoutePolicyGuard } from './nest/route-policy.guard';
import { RequestPolicy } from './request-policy';

/**
 * The route policy of every request: `RequestPolicy` (authentication, then
 * limits) and its Nest adapter, the one global guard. Needs AuthModule;
 * ThrottlingModule is optional (without it no route is limited). Global, so
 * pass-through routes (ProxyModule) get the same `RequestPolicy`.
 *
 * @example @Module({ imports: [GatewayConfigModule.forRoot(config), AuthModule.forRoot(), ThrottlingModule.forRoot(), PolicyModule] })
 */
@Global()
@Module({
  providers: [
    {
      provide: RequestPolicy,
      useFactory: (authenticator: Authenticator, limiter?: RateLimiter, authFailures?: AuthFailureLimiter | null) =>
        new RequestPolicy(authenticator, limiter, authFailures ?? undefined),
      inject: [Authenticator, { token: RateLimiter, optional: true }, { token: AuthFailureLimiter, optional: true }],
    },
    { provide: APP_GUARD, useClass: RoutePolicyGuard },
  ],
  exports: [RequestPolicy],
})
export class PolicyModule {}
