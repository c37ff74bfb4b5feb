import { AsyncResource } from 'node:async_hooks';

const INSTALLED = Symbol.for('gateway-kernel.cheapAsyncResourceBind');

/** As Node runs it: `bind(fn, thisArg)`, though its types name only `fn`. */
type LooseBind = (this: AsyncResource, fn: unknown, thisArg?: unknown) => unknown;
type Bindable = AsyncResource & { [INSTALLED]?: true };

/**
 * Makes `AsyncResource#bind` (and so the static `AsyncResource.bind`) cost
 * ~1 µs instead of ~12 µs on Node 20 (~4 µs on 22 and 24), process-wide,
 * once. node:http2 binds a new AsyncResource for every stream a client
 * session opens, so every gRPC call paid it; the time goes to the
 * deprecated `asyncResource` accessor (DEP0172) that Node defines on each
 * bound function through two `deprecate()` wrappers. The bound function
 * behaves the same: it runs `fn` in the resource's async scope with the
 * same `this` and arguments, keeps `fn`'s length, and still carries
 * `asyncResource` (a plain property, without the deprecation warning).
 *
 * @example installCheapAsyncResourceBind(); // H2Session does, before its first stream
 */
export function installCheapAsyncResourceBind(): void {
  const prototype = AsyncResource.prototype as Bindable;
  if (prototype[INSTALLED]) return;
  const original = prototype.bind as unknown as LooseBind;
  const cheap: LooseBind = function bind(this: AsyncResource, fn: unknown, thisArg?: unknown) {
    // Node's own for what it refuses (not a function), with its error.
    if (typeof fn !== 'function') return original.call(this, fn, thisArg);
    return boundTo(this, fn as (...args: unknown[]) => unknown, thisArg);
  };
  prototype.bind = cheap as unknown as Bindable['bind'];
  prototype[INSTALLED] = true;
}

function boundTo(resource: AsyncResource, target: (...args: unknown[]) => unknown, thisArg: unknown) {
  const bound =
    thisArg === undefined
      ? function (this: unknown, ...args: unknown[]) {
          return resource.runInAsyncScope(target, this, ...args);
        }
      : resource.runInAsyncScope.bind(resource, target, thisArg);
  Object.defineProperty(bound, 'length', { configurable: true, enumerable: false, writable: false, value: target.length });
  Object.defineProperty(bound, 'asyncResource', { configurable: true, enumerable: true, writable: true, value: resource });
  return bound;
}
