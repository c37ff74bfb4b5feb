import { Param, type PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { ErrorCode, GatewayError } from '../errors';

/** What a path parameter must look like, and how the docs show it. */
export interface PathParamRule {
  /** The whole value must match (anchor it). */
  pattern: RegExp;
  /** The reason listed in the 400's `errors` when it does not. */
  message: string;
  maxLength?: number;
  description?: string;
  example?: string;
}

/** Checks one path parameter against its rule: a regex test, where a DTO costs class-transformer and class-validator per request. */
class PathParamPipe implements PipeTransform<string, string> {
  constructor(private readonly rule: PathParamRule) {}

  transform(value: string): string {
    const { pattern, maxLength, message } = this.rule;
    if (typeof value !== 'string' || (maxLength !== undefined && value.length > maxLength) || !pattern.test(value)) {
      throw new GatewayError(ErrorCode.ValidationFailed, 'the request input is invalid', { errors: [message] });
    }
    return value;
  }
}

/**
 * A path parameter checked against a pattern (400 problem+json with the
 * rule's message otherwise) and documented with it: the pipe is made once,
 * where the route is declared, and a request pays one regex test.
 *
 * @example
 * const PRODUCT_ID: PathParamRule = { pattern: /^p\d{1,9}$/, maxLength: 10, message: 'id must look like p123', example: 'p1' };
 * @Get(':id') product(@PathParam('id', PRODUCT_ID) id: string) {}
 */
export function PathParam(name: string, rule: PathParamRule): ParameterDecorator {
  const param = Param(name, new PathParamPipe(rule));
  const doc = ApiParam({
    name,
    required: true,
    description: rule.description,
    schema: {
      type: 'string',
      pattern: rule.pattern.source,
      ...(rule.maxLength === undefined ? {} : { maxLength: rule.maxLength }),
      ...(rule.example === undefined ? {} : { example: rule.example }),
    },
  });
  return (target, key, index) => {
    param(target, key, index);
    if (key !== undefined) doc(target, key, Object.getOwnPropertyDescriptor(target, key)!);
  };
}
