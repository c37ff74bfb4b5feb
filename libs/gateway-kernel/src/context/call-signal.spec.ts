import { CallSignal } from './call-signal';

describe('CallSignal', () => {
  it('tells each listener once, in order, and remembers why', () => {
    const signal = new CallSignal();
    const calls: string[] = [];
    const first = () => calls.push(`first:${String(signal.reason)}`);
    signal.addEventListener('abort', first);
    signal.addEventListener('abort', first);
    signal.addEventListener('abort', () => calls.push('second'));
    signal.abort('gone');
    signal.abort('again');
    expect(calls).toEqual(['first:gone', 'second']);
    expect(signal).toMatchObject({ aborted: true, reason: 'gone' });
  });

  it('forgets removed listeners, and gives an AbortError when no reason is given', () => {
    const signal = new CallSignal();
    const listener = jest.fn();
    signal.addEventListener('abort', listener);
    signal.removeEventListener('abort', listener);
    signal.abort();
    expect(listener).not.toHaveBeenCalled();
    expect((signal.reason as DOMException).name).toBe('AbortError');
  });

  it('still tells the others when one listener throws, and rethrows that error on its own tick', () => {
    const signal = new CallSignal();
    const after = jest.fn();
    const nextTick = jest.spyOn(process, 'nextTick').mockImplementation(() => undefined);
    try {
      signal.addEventListener('abort', () => {
        throw new Error('listener failed');
      });
      signal.addEventListener('abort', after);
      signal.abort('x');
      expect(after).toHaveBeenCalled();
      const rethrow = nextTick.mock.calls[0][0] as () => void;
      expect(rethrow).toThrow('listener failed');
    } finally {
      nextTick.mockRestore();
    }
  });
});
