import { SetMetadata } from '@nestjs/common';
import { REQUIRED_SCOPES_KEY } from './auth.constants';

/**
 * Requires every listed scope (403 when one is missing). Scopes on the controller
 * and on the route add up.
 *
 * @example @Scopes('orders:write') @Post('orders') create() {}
 */
export const Scopes = (...scopes: string[]) => SetMetadata(REQUIRED_SCOPES_KEY, scopes);
