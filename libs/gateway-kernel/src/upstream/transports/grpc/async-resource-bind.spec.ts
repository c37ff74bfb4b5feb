import { AsyncLocalStorage, AsyncResource, executionAsyncId } from 'node:async_hooks';
import { installCheapAsyncResourceBind } from './async-resource-bind';

/** bind as Node runs it (its types name only `fn`). */
type Bound = ((...args: unknown[]) => unknown) & { asyncResource?: AsyncResource };
const bindOf = (resource: AsyncResource) => resource.bind.bind(resource) as unknown as (fn: unknown, thisArg?: unknown) => Bound;

describe('installCheapAsyncResourceBind', () => {
  beforeAll(() => installCheapAsyncResourceBind());

  it('runs the bound function in the resource’s async scope, with the context it was bound in', () => {
    const storage = new AsyncLocalStorage<string>();
    const resource = storage.run('bound here', () => new AsyncResource('Test'));
    const bound = resource.bind(() => [storage.getStore(), executionAsyncId()]);
    const [store, id] = storage.run('called here', bound);
    expect(store).toBe('bound here');
    expect(id).toBe(resource.asyncId());
  });

  it('passes this and the arguments through, or the bound this, and returns what the function returns', () => {
    function add(this: { base: number } | undefined, a: number, b: number) {
      return (this?.base ?? 0) + a + b;
    }
    const unbound = bindOf(new AsyncResource('Test'))(add);
    expect(unbound.call({ base: 10 }, 1, 2)).toBe(13);
    const withThis = bindOf(new AsyncResource('Test'))(add, { base: 100 });
    expect(withThis(1, 2)).toBe(103);
    const staticBind = AsyncResource.bind as unknown as (fn: unknown, type: string, thisArg: unknown) => Bound;
    expect(staticBind(add, 'Static', { base: 1 })(1, 1)).toBe(3);
  });

  it('keeps the function’s length and the asyncResource property, and throws what Node throws for a non-function', () => {
    const resource = new AsyncResource('Test');
    const bound = bindOf(resource)((a: number, b: number) => a + b);
    expect(bound.length).toBe(2);
    expect(bound.asyncResource).toBe(resource);
    // A plain property, not Node's deprecated accessor: what makes a bind cheap.
    expect(Object.getOwnPropertyDescriptor(bound, 'asyncResource')).toMatchObject({ value: resource, enumerable: true });
    expect(() => bindOf(resource)('nope')).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
  });

  it('installs once, however many sessions ask', () => {
    const bind = AsyncResource.prototype.bind;
    installCheapAsyncResourceBind();
    expect(AsyncResource.prototype.bind).toBe(bind);
  });
});
