import type { Type } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import type { Reflector } from '@nestjs/core';
import { AUTH_MODE_KEY, IS_PUBLIC_KEY, REQUIRED_SCOPES_KEY, type AuthModeName } from '../../auth';
import type { GatewayConfig } from '../../config';
import type { LimitOverride, LimitValue, ThrottleDeclaration } from '../../throttling';
import { QUOTA_NAME, SKIP_ALL_NAME, THROTTLER_BLOCK_DURATION, THROTTLER_LIMIT, THROTTLER_SKIP, THROTTLER_TTL } from '../../throttling/throttling.constants';
import type { RouteDeclaration } from '../route-policy';

type Handler = object;

/**
 * Reads what a controller method declares through decorators (`@Public`,
 * `@Scopes`, `@AuthMode`, @nestjs/throttler's `@Throttle` and `@SkipThrottle`)
 * into the framework-free `RouteDeclaration`. Runs at start, once per route.
 */
export class RouteDeclarationReader {
  /** Limit names config knows; `@Throttle` names beyond these are route-only limits. */
  private readonly knownNames: ReadonlySet<string>;

  constructor(
    private readonly reflector: Reflector,
    config: GatewayConfig,
  ) {
    const { limits, tiers } = config.throttling;
    this.knownNames = new Set([...limits, ...Object.values(tiers).flatMap((tier) => tier.limits ?? [])].map((l) => l.name));
  }

  read(controller: Type<unknown>, handler: Handler): RouteDeclaration {
    const targets: [Type<unknown>, Type<unknown>] = [handler as Type<unknown>, controller];
    return {
      id: `${controller.name}.${(handler as { name?: string }).name ?? 'handler'}`,
      paths: pathsOf(controller, handler),
      auth: {
        public: this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, targets) ?? false,
        credential: this.reflector.getAllAndOverride<AuthModeName | undefined>(AUTH_MODE_KEY, targets),
        scopes: this.reflector.getAllAndMerge<string[]>(REQUIRED_SCOPES_KEY, targets) ?? [],
      },
      throttle: this.throttleOf(targets),
    };
  }

  private throttleOf(targets: [Type<unknown>, Type<unknown>]): ThrottleDeclaration {
    const read = <T>(key: string) => this.reflector.getAllAndOverride<T | undefined>(key, targets);
    const routeOnly = targets
      .flatMap((target) => Reflect.getMetadataKeys(target) as unknown[])
      .filter((key): key is string => typeof key === 'string' && key.startsWith(THROTTLER_LIMIT))
      .map((key) => key.slice(THROTTLER_LIMIT.length));
    const skip: string[] = [];
    const overrides: Record<string, LimitOverride> = {};
    for (const name of new Set([...this.knownNames, ...routeOnly, QUOTA_NAME])) {
      if (read<boolean>(THROTTLER_SKIP + name) === true) skip.push(name);
      const override = {
        ttl: read<LimitValue>(THROTTLER_TTL + name),
        limit: read<LimitValue>(THROTTLER_LIMIT + name),
        blockDuration: read<LimitValue>(THROTTLER_BLOCK_DURATION + name),
      };
      if (override.ttl !== undefined || override.limit !== undefined || override.blockDuration !== undefined) overrides[name] = override;
    }
    return { skipAll: read<boolean>(THROTTLER_SKIP + SKIP_ALL_NAME) === true, skip, overrides };
  }
}

/** `/api/orders/:id` for `@Controller('api/orders')` + `@Get(':id')`; every combination when either lists several. */
function pathsOf(controller: Type<unknown>, handler: Handler): string[] {
  const list = (target: object): string[] => {
    const value = Reflect.getMetadata(PATH_METADATA, target) as string | string[] | undefined;
    return Array.isArray(value) ? value : [value ?? ''];
  };
  return list(controller).flatMap((base) => list(handler).map((path) => `/${base}/${path}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1')));
}
