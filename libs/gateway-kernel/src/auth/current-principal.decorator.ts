import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Principal, RequestContextStore } from '../context';

/**
 * The authenticated caller of this request (`undefined` on a public route called
 * without valid credentials), from its one home, the request context. Named apart from the `Principal` type of `../context`.
 *
 * @example @Get('me') me(@CurrentPrincipal() principal: Principal) { return { id: principal.id }; }
 */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, _context: ExecutionContext): Principal | undefined => RequestContextStore.current()?.principal,
);
