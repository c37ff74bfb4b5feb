import { SetMetadata } from '@nestjs/common';
import { AUTH_MODE_KEY } from './auth.constants';
import { AuthModeName } from './auth-module-options.interface';

/**
 * Takes another credential than the app's `auth.mode` on a route or controller.
 * The strategy must be configured (`auth.jwt`, or at least one `auth.apiKeys` entry).
 *
 * @example @AuthMode('api-key') @Controller('webhooks') export class WebhooksController {}
 */
export const AuthMode = (mode: AuthModeName) => SetMetadata(AUTH_MODE_KEY, mode);
