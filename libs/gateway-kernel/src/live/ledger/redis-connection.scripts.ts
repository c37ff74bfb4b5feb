/**
 * KEYS: the user's connections (a sorted set: one member per connection,
 * `<replica>:<connection>`, scored by when it lapses, in Redis's own clock so
 * replicas' clocks never matter). ARGV: the member, the cap, how long a place
 * lasts unrefreshed (ms). Drops lapsed places, counts, and adds this one if
 * under the cap, in one step. Returns 1 taken, 0 at the cap.
 */
export const TAKE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`;

/**
 * KEYS: the user's connections. ARGV: how long a place lasts (ms), then this
 * replica's members for that user. Moves each one's lapse time on, adding it
 * back if it had lapsed or was never counted (admitted while Redis was away),
 * so the count is what is open. The key lapses with its last place.
 */
export const REFRESH_SCRIPT = `
local t = redis.call('TIME')
local until_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[1])
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], until_ms, ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return #ARGV - 1
`;
