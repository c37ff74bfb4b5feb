import { ArgumentsHost, Catch, ExceptionFilter, Inject } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { ProblemResponder } from './problem-responder';

/** The Nest adapter of `ProblemResponder`: every error a controller route throws, as problem+json. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly responder: ProblemResponder;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    this.responder = new ProblemResponder(config.problemTypeBase);
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    this.responder.send(exception, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
  }
}
