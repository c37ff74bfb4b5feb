import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ShutdownState } from '../shutdown/shutdown.state';
import { HealthController } from './health.controller';
import { ReadinessRegistry } from './readiness.registry';

/**
 * Live and ready endpoints; other modules add checks through ReadinessRegistry.
 *
 * @example imports: [HealthModule] // GatewayKernelModule does this
 */
@Global()
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [ReadinessRegistry, ShutdownState],
  exports: [ReadinessRegistry, ShutdownState],
})
export class HealthModule {}
