import { DynamicModule, Inject, Logger, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { registerConditionalResponses, type ConditionalResponseOptions } from './conditional-responses';

const REGISTERED = Symbol('ConditionalResponsesRegistered');

/**
 * Opt-in ETag/304 and br/gzip compression for an app's responses.
 *
 * @example @Module({ imports: [ConditionalResponseModule.forRoot()] }) export class AppModule {}
 */
@Module({})
export class ConditionalResponseModule implements OnModuleInit {
  private readonly logger = new Logger('ConditionalResponses');

  constructor(@Inject(REGISTERED) private readonly registered: boolean) {}

  static forRoot(options: ConditionalResponseOptions = {}): DynamicModule {
    return {
      module: ConditionalResponseModule,
      providers: [
        {
          provide: REGISTERED,
          inject: [HttpAdapterHost],
          // Runs while Nest builds the module graph, before any route exists (compression attaches per route).
          useFactory: async (host: HttpAdapterHost): Promise<boolean> => {
            const fastify = host.httpAdapter?.getInstance<FastifyInstance>();
            if (!fastify) return false;
            await registerConditionalResponses(fastify, options);
            return true;
          },
        },
      ],
    };
  }

  onModuleInit(): void {
    if (!this.registered) {
      this.logger.warn('no Fastify adapter while the module was built (a testing module?): ETag and compression are off');
    }
  }
}
