import { SetMetadata } from '@nestjs/common';
import { IS_PUBLIC_KEY } from './auth.constants';

/**
 * Lets a route (or every route of a controller) through without credentials.
 * Credentials that are presented anyway are still checked, and the principal is
 * attached when they are valid; invalid ones never fail a public route.
 *
 * @example @Public() @Get('health/live') live() {}
 */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);
