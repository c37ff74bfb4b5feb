import { createHash } from 'node:crypto';

/**
 * Checks and counts every limit of one request atomically, in one round trip.
 * Sliding-window counters: each key is a hash {w: window number, c: hits in
 * window w, p: hits in window w-1, b: refused until (ms)}; a sliding limit
 * counts p weighted by how much of window w-1 lies in the last `ttl`. Time is
 * Redis's own (TIME), so replicas with skewed clocks agree on windows. Keys
 * expire on their own once their windows are over (PEXPIRE). Needs Redis >= 5
 * (writes after TIME rely on effects replication, the default since 5).
 *
 * KEYS[i]: one hash per limit, all with the same {tracker} hash tag (one Cluster slot).
 * ARGV[4i-3..4i]: window ms, limit, sliding (1) or fixed (0), block ms; the last ARGV: the
 * time (ms) after which the call is stale. A call that reaches Redis after its caller gave up
 * (Redis stalled past the command timeout, then resumed) counts nothing and returns {-1, 0}.
 * Returns {refusing limit (1-based; 0: admitted), retry ms, then per limit: remaining, reset ms}.
 */
export const RATE_LIMIT_SCRIPT = `
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
if now > tonumber(ARGV[#ARGV]) then return {-1, 0} end
local n = #KEYS
local out = {0, 0}
local win, seen, prev, left, used = {}, {}, {}, {}, {}
for i = 1, n do
  local ttl, limit, sliding, block = tonumber(ARGV[4*i-3]), tonumber(ARGV[4*i-2]), ARGV[4*i-1] == '1', tonumber(ARGV[4*i])
  local w = math.floor(now / ttl)
  local h = redis.call('HMGET', KEYS[i], 'w', 'c', 'p', 'b')
  local s, c, p = tonumber(h[1]), 0, 0
  if s == w then c, p = tonumber(h[2]) or 0, tonumber(h[3]) or 0 elseif s == w - 1 then p = tonumber(h[2]) or 0 end
  if not sliding then p = 0 end
  local l = ttl - (now - w * ttl)
  local u = c + p * l / ttl
  local wait = (tonumber(h[4]) or 0) - now
  if wait <= 0 then
    wait = 0
    if u + 1 > limit then
      if c + 1 <= limit then wait = l - (limit - c - 1) * ttl / p
      elseif sliding then wait = l + math.max(0, ttl - (limit - 1) * ttl / c)
      else wait = l end
      if block > wait then wait = block end
      if block > 0 then
        redis.call('HSET', KEYS[i], 'b', now + wait)
        redis.call('PEXPIRE', KEYS[i], math.max(ttl * (w + 2) - now, wait))
      end
    end
  end
  if wait > out[2] then out[1], out[2] = i, wait end
  win[i], seen[i], prev[i], left[i], used[i] = w, s, p, l, u
end
local taken = 0
if out[1] == 0 then taken = 1 end
for i = 1, n do
  local limit = tonumber(ARGV[4*i-2])
  if taken == 1 then
    if seen[i] == win[i] then
      redis.call('HINCRBY', KEYS[i], 'c', 1)
    else
      if ARGV[4*i-1] == '1' then
        redis.call('HSET', KEYS[i], 'w', win[i], 'c', 1, 'p', prev[i])
        redis.call('PEXPIRE', KEYS[i], math.ceil(left[i]) + tonumber(ARGV[4*i-3]))
      else
        redis.call('HSET', KEYS[i], 'w', win[i], 'c', 1, 'p', 0)
        redis.call('PEXPIRE', KEYS[i], math.ceil(left[i]))
      end
    end
  end
  local r = math.floor(limit - used[i] - taken)
  if r < 0 or i == out[1] then r = 0 end
  out[2*i+1] = r
  out[2*i+2] = math.ceil(left[i])
end
out[2] = math.ceil(out[2])
return out
`;

/** EVALSHA name of the script: Redis keys scripts by the SHA-1 of their text. */
export const RATE_LIMIT_SCRIPT_SHA = createHash('sha1').update(RATE_LIMIT_SCRIPT).digest('hex');
