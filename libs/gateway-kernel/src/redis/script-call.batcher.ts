import type Redis from 'ioredis';

interface PendingCall {
  sha: string;
  keys: readonly string[];
  args: readonly string[];
  resolve: (reply: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * Sends the script calls (EVALSHA) made during one turn of the event loop
 * as one pipeline: one socket write for all of them and their replies read
 * together, where each call alone would cost a write and a read. Under load
 * a turn holds many requests, so a request's limiter call mostly shares
 * them; alone, a call goes out by itself a turn later (setImmediate). Each
 * call still gets its own reply or error (NOSCRIPT included), and the
 * client's command timeout bounds each one.
 *
 * @example const batcher = new ScriptCallBatcher(redis); const reply = await batcher.evalsha(SHA, ['rl:{ip}:burst'], ['1000', '10']);
 */
export class ScriptCallBatcher {
  private pending: PendingCall[] = [];
  private scheduled = false;

  constructor(private readonly client: Redis) {}

  evalsha(sha: string, keys: readonly string[], args: readonly string[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.pending.push({ sha, keys, args, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(this.flush);
      }
    });
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 1) {
      const call = batch[0];
      this.client.evalsha(call.sha, call.keys.length, ...call.keys, ...call.args).then(call.resolve, call.reject);
      return;
    }
    const pipeline = this.client.pipeline();
    for (const call of batch) pipeline.evalsha(call.sha, call.keys.length, ...call.keys, ...call.args);
    pipeline.exec().then(
      (results) => {
        for (let i = 0; i < batch.length; i++) {
          const [error, reply] = results?.[i] ?? [new Error('Redis sent no reply for this call')];
          if (error) batch[i].reject(error);
          else batch[i].resolve(reply);
        }
      },
      (error: Error) => {
        for (const call of batch) call.reject(error);
      },
    );
  };
}
