import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth';
import { ShutdownState } from '../shutdown/shutdown.state';
import { healthMetrics } from './health.metrics';
import { ReadinessRegistry } from './readiness.registry';

const READY_CACHE_MS = 1_000;

/** `/health/live` (process up) and `/health/ready` (dependencies reachable, not draining). */
@Public()
@SkipThrottle()
@Controller('health')
export class HealthController {
  private lastReady?: { at: number; ok: boolean; body: unknown };

  constructor(
    private readonly health: HealthCheckService,
    private readonly readiness: ReadinessRegistry,
    private readonly shutdown: ShutdownState,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness', description: 'Answers while the process runs; calls nothing.' })
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness', description: 'Whether the critical upstreams (and Redis, when configured) answer; 503 while shutting down.' })
  @HealthCheck()
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    if (this.shutdown.isDraining) {
      healthMetrics.ready.set(0);
      reply.status(HttpStatus.SERVICE_UNAVAILABLE);
      return { status: 'shutting_down' };
    }
    // Probes from every replica's kubelet and load balancer must not multiply upstream traffic.
    const cached = this.lastReady;
    const result = cached && Date.now() - cached.at < READY_CACHE_MS ? cached : await this.evaluate();
    if (!result.ok) reply.status(HttpStatus.SERVICE_UNAVAILABLE);
    return result.body;
  }

  private async evaluate() {
    try {
      const body = await this.health.check(this.readiness.all());
      this.lastReady = { at: Date.now(), ok: true, body };
      healthMetrics.ready.set(1);
    } catch (error) {
      const body = (error as { getResponse?: () => unknown }).getResponse?.() ?? { status: 'error' };
      this.lastReady = { at: Date.now(), ok: false, body };
      healthMetrics.ready.set(0);
    }
    return this.lastReady;
  }
}
