import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Principal } from '../context';
import { AuthRequest } from './gateway-strategy.interface';

/**
 * The authenticated caller of this request (`undefined` on a public route called
 * without valid credentials). Named apart from the `Principal` type of `../context`.
 *
 * @example @Get('me') me(@CurrentPrincipal() principal: Principal) { return { id: principal.id }; }
 */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal | undefined =>
    context.switchToHttp().getRequest<AuthRequest>().principal,
);
