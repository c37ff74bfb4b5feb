import { Socket } from 'node:net';
import { HeldRequests } from './held-requests';

describe('HeldRequests', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs a delayed request after its delay and lets go of it', () => {
    const held = new HeldRequests();
    const socket = new Socket();
    const then = jest.fn();
    held.delay(socket, 100, then);
    expect(held.size).toBe(1);
    jest.advanceTimersByTime(99);
    expect(then).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(then).toHaveBeenCalledTimes(1);
    expect(held.size).toBe(0);
    expect(socket.listenerCount('close')).toBe(0);
  });

  it('drops the timer and listener when the client closes first', () => {
    const held = new HeldRequests();
    const socket = new Socket();
    const then = jest.fn();
    held.delay(socket, 100, then);
    held.hang(socket);
    socket.emit('close');
    expect(held.size).toBe(0);
    expect(socket.listenerCount('close')).toBe(0);
    jest.advanceTimersByTime(1000);
    expect(then).not.toHaveBeenCalled();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('destroys every held socket on destroyAll', () => {
    const held = new HeldRequests();
    const sockets = [new Socket(), new Socket()];
    held.hang(sockets[0]);
    held.delay(sockets[1], 1000, jest.fn());
    held.destroyAll();
    expect(sockets.every((s) => s.destroyed)).toBe(true);
    expect(held.size).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });
});
