import { commandCalls, commandsPerRequest, parseMonitor, parseRedisInfo, redisCostPerRequest } from './redis-info';

describe('Redis INFO', () => {
  const info = (evalsha: number, info: number) =>
    parseRedisInfo(`# Commandstats\r\ncmdstat_evalsha:calls=${evalsha},usec=900,usec_per_call=0.9,rejected_calls=0,failed_calls=0\r\ncmdstat_info:calls=${info},usec=50\r\ncmdstat_client|setinfo:calls=2,usec=1\r\n`);

  it('reads calls per command from INFO commandstats', () => {
    expect(commandCalls(info(10, 3))).toEqual({ evalsha: 10, info: 3, 'client|setinfo': 2 });
  });

  it('gives commands per request between two readings, busiest first, without our INFO', () => {
    expect(commandsPerRequest(commandCalls(info(10, 3)), { ...commandCalls(info(20, 5)), get: 5 }, 5)).toEqual([
      { command: 'evalsha', perRequest: 2 },
      { command: 'get', perRequest: 1 },
    ]);
  });

  it('tells the commands a client sent from those its Lua scripts ran (MONITOR)', () => {
    const text = [
      '+OK',
      '+1796191099.124028 [0 127.0.0.1:47584] "evalsha" "abc" "2" "k1" "k2"',
      '+1796191099.124081 [0 lua] "TIME"',
      '+1796191099.124082 [0 lua] "hmget" "k1" "a" "b"',
      '+1796191099.124083 [0 lua] "hmget" "k2" "a" "b"',
      '+1796191099.129878 [0 unix:/tmp/r.sock] "get" "x"',
      'not a monitor line',
    ].join('\r\n');
    expect(parseMonitor(text)).toEqual({ sent: { evalsha: 1, get: 1 }, scripted: { time: 1, hmget: 2 } });
  });

  it('splits commands per request into sent and scripted by the names the gateway sends', () => {
    const before = { evalsha: 10, hmget: 20, time: 10, info: 4 };
    const after = { evalsha: 20, hmget: 40, time: 20, info: 5, monitor: 1 };
    expect(redisCostPerRequest(before, after, 10, ['evalsha'])).toEqual({ sent: 1, scripted: 3 });
    expect(redisCostPerRequest(before, after, 10)).toEqual({ sent: 4 });
  });
});
