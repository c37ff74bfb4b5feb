import { ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { ErrorCode, GatewayError } from '../errors';
import { memoizeValidationMetadata } from './validation-metadata.cache';

/**
 * The global pipe: every DTO is validated, unknown fields rejected, types
 * converted, reasons listed in the 400's `errors`.
 *
 * @example { provide: APP_PIPE, useFactory: gatewayValidationPipe }
 */
export function gatewayValidationPipe(): ValidationPipe {
  memoizeValidationMetadata();
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors: ValidationError[]) =>
      new GatewayError(ErrorCode.ValidationFailed, 'the request input is invalid', { errors: flatten(errors) }),
  });
}

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => [
    ...Object.values(error.constraints ?? {}).map((reason) =>
      reason.startsWith(error.property) ? `${prefix}${reason}` : `${prefix}${error.property}: ${reason}`,
    ),
    ...flatten(error.children ?? [], `${prefix}${error.property}.`),
  ]);
}
