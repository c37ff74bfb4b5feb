import { Global, Module } from '@nestjs/common';
import { ResponseCacheModule } from '../caching/response-cache.module';
import { UpstreamReadiness } from './upstream-readiness';
import { UpstreamStateHealth } from './upstream-state.health';
import { UpstreamRegistry } from './upstream.registry';

/**
 * Named upstream clients from config (infrastructure, so global); their
 * readiness and breaker state go into the health module's ReadinessRegistry.
 *
 * @example imports: [UpstreamModule] // then inject UpstreamRegistry
 */
@Global()
@Module({
  imports: [ResponseCacheModule],
  providers: [UpstreamRegistry, UpstreamReadiness, UpstreamStateHealth],
  exports: [UpstreamRegistry],
})
export class UpstreamModule {}
