import { PipeTransform } from '@nestjs/common';
import { Principal, RequestContextStore } from '../context';
import { ErrorCode, GatewayError } from '../errors';

/**
 * Lets a value through only when its `field` names a customer the caller may act
 * for: one of a partner key's declared `customers`, or a user's own id. Runs
 * after the global ValidationPipe (Nest applies parameter pipes last), so a
 * malformed body is still a 400 and only a well-formed one for another
 * customer is a 403. The detail never echoes the id that was sent.
 */
export class OwnCustomerPipe implements PipeTransform {
  constructor(private readonly field: string) {}

  transform(value: unknown): unknown {
    const customer = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[this.field] : undefined;
    const principal = RequestContextStore.current()?.principal;
    if (typeof customer !== 'string' || !principal || !actsFor(principal, customer)) {
      throw new GatewayError(ErrorCode.Forbidden, `${this.field} is not a customer of this caller`);
    }
    return value;
  }
}

function actsFor(principal: Principal, customer: string): boolean {
  return principal.kind === 'user' ? principal.id === customer : principal.customers?.has(customer) === true;
}

/**
 * A parameter pipe binding the request to the caller's own customers (403 problem+json otherwise).
 *
 * @example @Post() create(@Body(OwnCustomer('customer_id')) body: CreateOrderDto) {}
 */
export const OwnCustomer = (field: string): OwnCustomerPipe => new OwnCustomerPipe(field);
