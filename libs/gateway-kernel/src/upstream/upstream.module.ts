import { Global, Module } from '@nestjs/common';
import { ResponseCacheModule } from '../caching/response-cache.module';
import { UpstreamStateHealth } from './upstream-state.health';
import { UpstreamRegistry } from './upstream.registry';

/** Named upstream clients from config (infrastructure, so global). */
@Global()
@Module({
  imports: [ResponseCacheModule],
  providers: [UpstreamRegistry, UpstreamStateHealth],
  exports: [UpstreamRegistry],
})
export class UpstreamModule {}
