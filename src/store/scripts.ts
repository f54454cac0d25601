import type { RedisClient } from "./client.js";

/** The Lua scripts of the Redis store: each touches the keys of one tenant only (one hash tag). */

/**
 * Compare-and-set of a session plus its indexes, in one atomic step. When the round keeps a tally
 * (KEYS[6] exists), the session's completed answers move in it: the previous completed answers of this
 * session (a retake) are counted out, the new ones in, so the tally always equals the completed sessions
 * (a respondent being one that gave at least one level).
 */
export const SAVE_SESSION = `
local current = redis.call('GET', KEYS[1])
local version = 0
local old
if current then
  local ok, record = pcall(cjson.decode, current)
  if ok and type(record) == 'table' and tonumber(record.version) then
    version = tonumber(record.version)
    old = record
  else
    version = -1
  end
end
if version ~= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('SADD', KEYS[2], ARGV[3])
if ARGV[5] ~= '' then redis.call('HSET', KEYS[4], ARGV[4], ARGV[5]) else redis.call('HDEL', KEYS[4], ARGV[4]) end
if ARGV[6] ~= '' then redis.call('RPUSH', KEYS[5], ARGV[6]) end
if redis.call('EXISTS', KEYS[6]) == 1 then
  local function count(answers, by)
    local given = false
    for key, level in pairs(answers) do
      if type(level) == 'number' then
        given = true
        redis.call('HINCRBY', KEYS[6], key .. ':' .. string.format('%d', level), by)
      end
    end
    -- A respondent gave at least one level (gaveAnswers in core/assessment/results.ts).
    if given then redis.call('HINCRBY', KEYS[6], 'n', by) end
  end
  if old and old.status == 'completed' and type(old.answers) == 'table' then count(old.answers, -1) end
  if ARGV[5] ~= '' then count(cjson.decode(ARGV[5]), 1) end
end
return 1`;

/** A new team and its indexes. KEYS: team, tenant's teams, schedule, then each member's teams. */
export const CREATE_TEAM = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX') == false then return 0 end
redis.call('SADD', KEYS[2], ARGV[2])
if ARGV[3] ~= '' then redis.call('ZADD', KEYS[3], ARGV[3], ARGV[2]) end
for i = 4, #KEYS do redis.call('SADD', KEYS[i], ARGV[2]) end
return 1`;

/** Opens a round unless one is open or the id was used. KEYS: open id, round, team's rounds, tally. */
export const INSERT_ROUND = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 'open' end
if redis.call('EXISTS', KEYS[2]) == 1 then return 'exists' end
redis.call('HSET', KEYS[4], 'n', 0)
redis.call('SET', KEYS[2], ARGV[2])
redis.call('SET', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
return 'opened'`;

/** Closes a round once, with its outbox entry. KEYS: round, open id, outbox. Returns {closed, record}. */
export const FINISH_ROUND = `
local raw = redis.call('GET', KEYS[1])
if not raw then return {0, ''} end
local ok, round = pcall(cjson.decode, raw)
if ok and type(round) == 'table' and round.closedAt then return {0, raw} end
redis.call('SET', KEYS[1], ARGV[1])
if redis.call('GET', KEYS[2]) == ARGV[2] then redis.call('DEL', KEYS[2]) end
redis.call('RPUSH', KEYS[3], ARGV[3])
return {1, ARGV[1]}`;

/**
 * Compare-and-set of a team record on its version (every write bumps it), with the member -> teams index
 * in the same step. KEYS: the team, then the index keys of members who joined (ARGV[4] of them), then of
 * those who left (none when only leads or settings change). The record is built and checked in
 * TypeScript (no cjson re-encoding: it writes an empty list as {}).
 */
export const SAVE_TEAM = `
local raw = redis.call('GET', KEYS[1])
if not raw then return -1 end
local ok, team = pcall(cjson.decode, raw)
local version = 0
if ok and type(team) == 'table' and tonumber(team.version) then version = tonumber(team.version) end
if version ~= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
local joined = tonumber(ARGV[4])
for i = 2, #KEYS do
  if i <= joined + 1 then redis.call('SADD', KEYS[i], ARGV[3]) else redis.call('SREM', KEYS[i], ARGV[3]) end
end
return 1`;

type ScriptCommand = (numKeys: number, ...args: (string | number)[]) => Promise<unknown>;
/**
 * Claims (KEYS[i], kept ARGV[i] ms) in order, each only if the one before was new: a retried delivery and
 * then its click, in one step. Returns how many were claimed.
 */
export const CLAIM = `
for i = 1, #KEYS do
  if not redis.call('SET', KEYS[i], '1', 'PX', ARGV[i], 'NX') then return i - 1 end
end
return #KEYS`;

/**
 * A member's most recent answers (hash KEYS[2], round -> answers) from a round opened before ARGV[1]
 * (sorted set KEYS[1] of the team's rounds; any round when ARGV[1] is not in it): {round, answers} or nil.
 */
export const PREVIOUS_ANSWERS = `
local before = redis.call('ZSCORE', KEYS[1], ARGV[1])
local rounds = redis.call('ZREVRANGEBYSCORE', KEYS[1], before and ('(' .. before) or '+inf', '-inf')
for _, round in ipairs(rounds) do
  if round ~= ARGV[1] then
    local answers = redis.call('HGET', KEYS[2], round)
    if answers then return {round, answers} end
  end
end
return false`;

const commandNames = new Map<string, string>();

/**
 * Runs a Lua script as `EVAL` would, but by its SHA (`EVALSHA`), sending the text only to a server that
 * has not seen it yet (after a restart, on a new cluster node): ioredis's own `defineCommand`, one
 * command per script, defined on the client the first time it runs there.
 */
export function evalScript(
  redis: RedisClient,
  lua: string,
  numKeys: number,
  ...args: (string | number)[]
): Promise<unknown> {
  let name = commandNames.get(lua);
  if (!name) {
    name = `mbScript${commandNames.size + 1}`;
    commandNames.set(lua, name);
  }
  const client = redis as unknown as Record<string, ScriptCommand | undefined>;
  if (typeof client[name] !== "function") redis.defineCommand(name, { lua });
  return client[name]!(numKeys, ...args);
}

/** Reserves a conversation's next send slot (KEYS[1]) ARGV[1] ms apart: returns how long to wait (0: go now). */
const PACE_FUNCTION = `
local function pace(key, gap)
  local t = redis.call('TIME')
  local now = t[1] * 1000 + math.floor(t[2] / 1000)
  local last = tonumber(redis.call('GET', key) or '0')
  if now - last < gap then return gap - (now - last) end
  redis.call('SET', key, now, 'PX', gap * 2)
  return 0
end`;

export const PACE = `${PACE_FUNCTION}
return pace(KEYS[1], tonumber(ARGV[1]))`;

/**
 * What a delivery needs to know before it sends, in one step. KEYS: the sent marker, the conversation's
 * pace, the DM channels, then (for a message dropped once its member is done) the member's session, their
 * preferences and the team's open round id. ARGV: the pace in ms, the DM's user ('' for a channel), the
 * round. Returns {1} when sent already; else {0, wait, DM channel, session, preferences, open round}. The
 * send slot is reserved (wait >= 0) only when nothing can drop the message: no session, no preferences,
 * its round still open; else wait is -1 and the records decide.
 */
export const BEFORE_DELIVERY = `${PACE_FUNCTION}
if redis.call('EXISTS', KEYS[1]) == 1 then return {1} end
local dm = false
if ARGV[2] ~= '' then dm = redis.call('HGET', KEYS[3], ARGV[2]) end
if #KEYS == 6 then
  local session = redis.call('GET', KEYS[4])
  local prefs = redis.call('GET', KEYS[5])
  local open = redis.call('GET', KEYS[6])
  if session or prefs or open ~= ARGV[3] then return {0, -1, dm, session, prefs, open} end
end
return {0, pace(KEYS[2], tonumber(ARGV[1])), dm}`;

/**
 * After a send, in one step: the sent marker (KEYS[1], kept ARGV[1] seconds), the DM channel the message
 * went to (hash KEYS[2], field ARGV[2] = ARGV[3], unless ARGV[3] is ''), and the member's count of this
 * notice in the round (hash KEYS[3], field ARGV[4], kept ARGV[1] seconds), when that key is given.
 */
export const AFTER_DELIVERY = `
redis.call('SET', KEYS[1], '1', 'EX', ARGV[1])
if ARGV[3] ~= '' then redis.call('HSET', KEYS[2], ARGV[2], ARGV[3]) end
if #KEYS == 3 then
  redis.call('HINCRBY', KEYS[3], ARGV[4], 1)
  redis.call('EXPIRE', KEYS[3], ARGV[1])
end
return 1`;
