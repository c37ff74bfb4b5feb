/**
 * KEYS: the event log (a stream), the feed's cursor key, the channel's latest
 * key (either the log again when unused). ARGV: log length, pub/sub channel,
 * channel, topic as JSON, data as JSON, cursor value ('' when none), TTL ms of
 * cursor and latest, '1' to retain the event as the channel's latest. Adds the
 * event to the log (its id is the stream id), publishes its frame, moves the
 * feed's cursor and keeps the latest, in one step, so a replica taking the feed
 * over resumes right after it and a client joining later gets that state.
 */
export const PUBLISH_SCRIPT = `
local id = redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[1], '*', 'c', ARGV[3], 't', ARGV[4], 'd', ARGV[5])
local frame = '{"id":"' .. id .. '","topic":' .. ARGV[4] .. ',"data":' .. ARGV[5] .. '}'
redis.call('PUBLISH', ARGV[2], frame)
if ARGV[6] ~= '' then redis.call('SET', KEYS[2], ARGV[6], 'PX', ARGV[7]) end
if ARGV[8] == '1' then redis.call('SET', KEYS[3], frame, 'PX', ARGV[7]) end
return id
`;

/**
 * KEYS: the lease, the feed's cursor. ARGV: this replica's id, lease ms.
 * Returns { 2 acquired | 1 renewed | 0 held by another, cursor or false }.
 */
export const LEASE_SCRIPT = `
local holder = redis.call('GET', KEYS[1])
local status = 0
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  status = 1
elseif not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  status = 2
end
return { status, redis.call('GET', KEYS[2]) }
`;

/** KEYS: the lease. ARGV: this replica's id. Gives the lease up only if still held by this replica. */
export const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
