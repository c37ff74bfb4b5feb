import { RequestContextStore, type Principal } from '../context';
import { GatewayError } from '../errors';
import { OwnCustomer } from './own-customer.pipe';

const pipe = OwnCustomer('customer_id');
const as = (principal: Principal | undefined, value: unknown) => () =>
  RequestContextStore.run({ requestId: 'r1', principal }, () => pipe.transform(value));
const partner: Principal = { kind: 'partner', id: 'acme', scopes: [], customers: new Set(['u3']) };

describe('OwnCustomer: a request acts only for the caller\'s own customers', () => {
  it('lets a partner act for a declared customer', () => {
    expect(as(partner, { customer_id: 'u3' })()).toEqual({ customer_id: 'u3' });
  });

  it.each([
    ['another customer', partner, { customer_id: 'u4' }],
    ['a partner with no customers', { ...partner, customers: undefined }, { customer_id: 'u3' }],
    ['a missing field', partner, {}],
    ['a non-string field', partner, { customer_id: ['u3'] }],
    ['no body', partner, undefined],
    ['no caller', undefined, { customer_id: 'u3' }],
    ["a user acting for someone else", { kind: 'user', id: 'u1', scopes: [] } as Principal, { customer_id: 'u3' }],
  ])('403 for %s', (_case, principal, value) => {
    expect(as(principal, value)).toThrow(expect.objectContaining({ status: 403 }) as unknown as GatewayError);
  });

  it('lets a user act for themselves', () => {
    expect(as({ kind: 'user', id: 'u1', scopes: [] }, { customer_id: 'u1' })()).toEqual({ customer_id: 'u1' });
  });
});
