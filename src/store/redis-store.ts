import type { Redis } from "ioredis";
import type { z } from "zod";
import type { Answers } from "../core/assessment/results.js";
import {
  MAX_TEAM_MEMBERS,
  type RoundRecord,
  type Session,
  type Store,
  type Team,
  TeamTooLargeError,
} from "../core/conversation/ports.js";
import { Keys } from "./keys.js";
import {
  answersSchema,
  CorruptRecordError,
  roundRecordSchema,
  sessionSchema,
  teamSchema,
} from "./schemas.js";

/** Compare-and-set of a session plus its indexes, in one atomic step. */
const SAVE_SESSION = `
local current = redis.call('GET', KEYS[1])
local version = 0
if current then
  local ok, record = pcall(cjson.decode, current)
  if ok and type(record) == 'table' and tonumber(record.version) then version = tonumber(record.version) else version = -1 end
end
if version ~= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('SADD', KEYS[2], ARGV[3])
redis.call('SADD', KEYS[3], ARGV[4])
if ARGV[5] ~= '' then redis.call('HSET', KEYS[4], ARGV[4], ARGV[5]) else redis.call('HDEL', KEYS[4], ARGV[4]) end
return 1`;

/**
 * Read-modify-write of a team's member list. ARGV: replace ("1" or "0"), ids to add (JSON), ids to remove
 * (JSON), the most members allowed. Returns the team JSON and the ids that left; refuses (an error reply
 * starting TEAM_TOO_LARGE, nothing written) when the list would pass the limit. cjson writes an empty Lua
 * table as {}, so the member list is written by hand.
 */
const CHANGE_MEMBERS = `
local raw = redis.call('GET', KEYS[1])
if not raw then return false end
local team = cjson.decode(raw)
local remove, seen, members, left = {}, {}, {}, {}
for _, id in ipairs(cjson.decode(ARGV[3])) do remove[id] = true end
local incoming = cjson.decode(ARGV[2])
local keep = {}
if ARGV[1] == '1' then
  for _, id in ipairs(incoming) do keep[id] = true end
  for _, id in ipairs(team.members) do if not keep[id] or remove[id] then table.insert(left, id) end end
else
  for _, id in ipairs(team.members) do
    if remove[id] then table.insert(left, id) elseif not seen[id] then table.insert(members, id); seen[id] = true end
  end
end
for _, id in ipairs(incoming) do
  if not remove[id] and not seen[id] then table.insert(members, id); seen[id] = true end
end
if #members > tonumber(ARGV[4]) then return redis.error_reply('TEAM_TOO_LARGE ' .. #members) end
team.members = nil
local rest = cjson.encode(team)
local list = '[]'
if #members > 0 then list = cjson.encode(members) end
local out = '{"members":' .. list
if rest ~= '{}' then out = out .. ',' .. string.sub(rest, 2) else out = out .. '}' end
redis.call('SET', KEYS[1], out)
return {out, cjson.encode(left)}`;

export interface StoreLogger {
  warn(message: string, context?: Record<string, unknown>): void;
}

/** The Store port on Redis: JSON records checked with zod, atomic where two writers can meet. */
export class RedisStore implements Store {
  readonly keys: Keys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly logger: StoreLogger = { warn: () => {} },
  ) {
    this.keys = new Keys(prefix);
  }

  async getTeam(tenant: string, teamId: string): Promise<Team | undefined> {
    return this.read(this.keys.team(tenant, teamId), teamSchema);
  }

  async createTeam(team: Team): Promise<{ team: Team; created: boolean }> {
    const valid = teamSchema.parse(team);
    const key = this.keys.team(team.tenant, team.id);
    const created = (await this.redis.set(key, JSON.stringify(valid), "NX")) === "OK";
    if (!created) return { team: (await this.getTeam(team.tenant, team.id)) ?? valid, created };
    const pipeline = this.redis.multi();
    for (const member of valid.members) pipeline.sadd(this.keys.userTeams(team.tenant, member), team.id);
    await pipeline.exec();
    return { team: valid, created };
  }

  async saveTeam(team: Team): Promise<void> {
    const valid = teamSchema.parse(team);
    await this.redis.set(this.keys.team(team.tenant, team.id), JSON.stringify(valid));
  }

  async teamsOf(tenant: string, userId: string): Promise<Team[]> {
    const ids = (await this.redis.smembers(this.keys.userTeams(tenant, userId))).sort();
    const teams = await Promise.all(ids.map((id) => this.getTeam(tenant, id)));
    return teams.filter((t): t is Team => Boolean(t?.members.includes(userId)));
  }

  setMembers(tenant: string, teamId: string, members: string[]): Promise<Team | undefined> {
    return this.members(tenant, teamId, true, members, []);
  }

  changeMembers(tenant: string, teamId: string, add: string[], remove: string[]): Promise<Team | undefined> {
    return this.members(tenant, teamId, false, add, remove);
  }

  private async members(tenant: string, teamId: string, replace: boolean, add: string[], remove: string[]) {
    const key = this.keys.team(tenant, teamId);
    const result = (await this.redis
      .eval(
        CHANGE_MEMBERS,
        1,
        key,
        replace ? "1" : "0",
        JSON.stringify(add),
        JSON.stringify(remove),
        String(MAX_TEAM_MEMBERS),
      )
      .catch((error: unknown) => {
        const size = /TEAM_TOO_LARGE (\d+)/.exec(error instanceof Error ? error.message : "");
        throw size ? new TeamTooLargeError(Number(size[1])) : error;
      })) as [string, string] | null;
    if (!result) return undefined;
    const team = teamSchema.parse(JSON.parse(result[0]));
    const left = JSON.parse(result[1]) as unknown;
    // The user -> teams index may hold extra ids for a moment; teamsOf() checks membership on the team.
    const pipeline = this.redis.multi();
    for (const member of team.members) pipeline.sadd(this.keys.userTeams(tenant, member), teamId);
    for (const member of Array.isArray(left) ? (left as string[]) : []) {
      pipeline.srem(this.keys.userTeams(tenant, member), teamId);
    }
    await pipeline.exec();
    return team;
  }

  async getSession(
    tenant: string,
    teamId: string,
    round: string,
    userId: string,
  ): Promise<Session | undefined> {
    return this.read(this.keys.session(tenant, teamId, round, userId), sessionSchema);
  }

  async saveSession(session: Session, expectedVersion: number): Promise<boolean> {
    const valid = sessionSchema.parse(session);
    const { tenant, teamId, round, userId } = valid;
    const completed = valid.status === "completed" ? JSON.stringify(valid.answers) : "";
    const saved = await this.redis.eval(
      SAVE_SESSION,
      4,
      this.keys.session(tenant, teamId, round, userId),
      this.keys.roundSessions(tenant, teamId, round),
      this.keys.teamRounds(tenant, teamId),
      this.keys.history(tenant, teamId, userId),
      String(expectedVersion),
      JSON.stringify(valid),
      userId,
      round,
      completed,
    );
    return saved === 1;
  }

  async sessionsOf(tenant: string, teamId: string, round: string): Promise<Session[]> {
    const users = (await this.redis.smembers(this.keys.roundSessions(tenant, teamId, round))).sort();
    const sessions = await Promise.all(users.map((u) => this.getSession(tenant, teamId, round, u)));
    return sessions.filter((s): s is Session => s !== undefined);
  }

  async roundsOf(tenant: string, teamId: string): Promise<string[]> {
    return (await this.redis.smembers(this.keys.teamRounds(tenant, teamId))).sort();
  }

  async previousAnswers(
    tenant: string,
    teamId: string,
    userId: string,
    beforeRound: string,
  ): Promise<Answers | undefined> {
    const history = await this.redis.hgetall(this.keys.history(tenant, teamId, userId));
    const latest = Object.keys(history)
      .filter((r) => r < beforeRound)
      .sort()
      .at(-1);
    if (!latest) return undefined;
    const parsed = answersSchema.safeParse(safeJson(history[latest]!));
    if (!parsed.success) {
      this.logger.warn("ignoring corrupt answer history", {
        key: this.keys.history(tenant, teamId, userId),
        round: latest,
      });
      return undefined;
    }
    return parsed.data;
  }

  async getRound(tenant: string, teamId: string, round: string): Promise<RoundRecord | undefined> {
    return this.read(this.keys.round(tenant, teamId, round), roundRecordSchema);
  }

  async closeRound(tenant: string, record: RoundRecord): Promise<RoundRecord> {
    const valid = roundRecordSchema.parse(record);
    const key = this.keys.round(tenant, valid.teamId, valid.round);
    if ((await this.redis.set(key, JSON.stringify(valid), "NX")) === "OK") return valid;
    return (await this.getRound(tenant, valid.teamId, valid.round)) ?? valid;
  }

  async claimDelivery(tenant: string, deliveryId: string): Promise<boolean> {
    return (await this.redis.set(this.keys.delivery(tenant, deliveryId), "1", "EX", 86_400, "NX")) === "OK";
  }

  /**
   * Reads and checks a record. A record that fails its schema is moved aside (key + ":corrupt"), logged,
   * and treated as absent, so one bad write cannot lock a user out; nothing is deleted.
   */
  private async read<S extends z.ZodType>(key: string, schema: S): Promise<z.infer<S> | undefined> {
    const raw = await this.redis.get(key);
    if (raw === null) return undefined;
    const parsed = schema.safeParse(safeJson(raw));
    if (parsed.success) return parsed.data;
    const detail = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    this.logger.warn("moved a corrupt record aside", { key, detail });
    await this.redis.rename(key, `${key}:corrupt`).catch(() => undefined);
    return undefined;
  }
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return Symbol("not json");
  }
}

export { CorruptRecordError };
