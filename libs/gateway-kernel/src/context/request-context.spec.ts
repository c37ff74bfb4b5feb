import { attachContext, contextOf, RequestContextStore, type RequestContext } from './request-context';

describe('request context', () => {
  it('is the current context inside run, and nothing outside', () => {
    const context: RequestContext = { requestId: 'r-1' };
    expect(RequestContextStore.run(context, () => RequestContextStore.current())).toBe(context);
    expect(RequestContextStore.current()).toBeUndefined();
  });

  it('can be found from the raw request outside AsyncLocalStorage (hooks, filters)', () => {
    const raw = {};
    const context: RequestContext = { requestId: 'r-2' };
    attachContext(raw, context);
    expect(contextOf({ raw })).toBe(context);
    expect(contextOf({ raw: {} })).toBeUndefined();
  });
});
