import { CallHandler, ExecutionContext, Inject, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, of, type Observable } from 'rxjs';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { RequestContextStore } from '../context';
import { ErrorCode, GatewayError } from '../errors';
import { IDEMPOTENCY_KEY_FORMAT, IDEMPOTENT_ROUTE, type IdempotentOptions } from './idempotency.constants';
import { IdempotencyStore } from './idempotency-store.interface';

export const REPLAYED_HEADER = 'idempotency-replayed';

/** Applies @Idempotent routes; every other route passes straight through. */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly options = new Map<unknown, Required<IdempotentOptions> | null>();

  private readonly logger = new Logger('Idempotency');

  constructor(
    private readonly reflector: Reflector,
    @Inject(IdempotencyStore) private readonly store: IdempotencyStore,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const handler = context.getHandler();
    let options = this.options.get(handler);
    if (options === undefined) {
      options = this.reflector.get<Required<IdempotentOptions>>(IDEMPOTENT_ROUTE, handler) ?? null;
      this.options.set(handler, options);
    }
    if (!options) return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const key = request.headers['idempotency-key'];
    if (key === undefined) {
      if (options.required) throw new GatewayError(ErrorCode.BadRequest, 'an Idempotency-Key header is required');
      return next.handle();
    }
    if (typeof key !== 'string' || !IDEMPOTENCY_KEY_FORMAT.test(key)) {
      throw new GatewayError(ErrorCode.BadRequest, 'Idempotency-Key must be 8-128 characters of [A-Za-z0-9_.:-]');
    }
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    // A key belongs to (caller, route): another caller's key is never seen, replayed or reported.
    const principal = RequestContextStore.current()?.principal;
    const caller = principal ? `${principal.kind}:${principal.id}` : 'anonymous';
    return from(this.run(`${caller}:${request.method}:${request.routeOptions.url}:${key}`, request, reply, options, next));
  }

  private async run(
    key: string,
    request: FastifyRequest,
    reply: FastifyReply,
    options: Required<IdempotentOptions>,
    next: CallHandler,
  ): Promise<unknown> {
    const fingerprint = createHash('sha256')
      .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
      .digest('base64url');
    let begun: Awaited<ReturnType<IdempotencyStore['begin']>>;
    try {
      begun = await this.store.begin(key, fingerprint, options.ttlMs);
    } catch (error) {
      return this.storeDown(error, next);
    }
    if (begun.state === 'in-progress') {
      throw new GatewayError(ErrorCode.Conflict, 'a request with this Idempotency-Key is still being processed');
    }
    if (begun.state === 'done') {
      if (begun.record.fingerprint !== fingerprint) {
        throw new GatewayError(ErrorCode.Conflict, 'this Idempotency-Key was used for a different request');
      }
      reply.status(begun.record.status).header(REPLAYED_HEADER, 'true');
      return lastValueFrom(of(begun.record.body));
    }
    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      // The write happened: a store failure now must not turn it into an error the client would retry.
      await this.store
        .complete(key, { status: reply.statusCode, body, fingerprint }, options.ttlMs)
        .catch((error: unknown) => this.logger.warn(`idempotency store failed to record a completed write: ${(error as Error)?.message}`));
      return body;
    } catch (error) {
      await this.store.abandon(key).catch(() => undefined);
      throw error;
    }
  }

  /** The store failed before the write: 503 under fail-closed (the default), or the write runs unprotected under fail-open. */
  private storeDown(error: unknown, next: CallHandler): Promise<unknown> {
    this.logger.warn(`idempotency store unavailable (${(error as Error)?.message}); ${this.config.idempotency.onStoreError}`);
    if (this.config.idempotency.onStoreError === 'fail-open') return lastValueFrom(next.handle(), { defaultValue: undefined });
    throw new GatewayError(ErrorCode.Unavailable, 'idempotent writes are unavailable; retry shortly', { headers: { 'retry-after': '1' }, cause: error });
  }
}
