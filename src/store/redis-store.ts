import type { z } from "zod";
import type { Answers } from "../core/assessment/results.js";
import {
  type ClickState,
  type DeadLetter,
  MAX_TEAM_MEMBERS,
  type MemberPrefs,
  type OutboxEntry,
  type Round,
  type RoundTally,
  type Session,
  type Store,
  type Team,
  TeamTooLargeError,
  type TenantSettings,
} from "../core/conversation/ports.js";
import type { RedisClient } from "./client.js";
import { DeadLetters } from "./dead-letters.js";
import { Deliveries } from "./deliveries.js";
import { guardStorage } from "./guard.js";
import { Keys } from "./keys.js";
import {
  answersSchema,
  dropUndefined,
  outboxEntrySchema,
  prefsSchema,
  roundSchema,
  safeJson,
  sessionSchema,
  settingsSchema,
  teamSchema,
} from "./schemas.js";
import {
  CLAIM,
  CREATE_TEAM,
  evalScript,
  FINISH_ROUND,
  INSERT_ROUND,
  PREVIOUS_ANSWERS,
  SAVE_SESSION,
  SAVE_TEAM,
} from "./scripts.js";

/** How many checked team and round records a store keeps (a few MB at most). */
const CHECKED_RECORDS = 5000;
export interface StoreLogger {
  warn(message: string, context?: Record<string, unknown>): void;
}

/** The Store port on Redis: JSON records checked with zod, atomic where two writers can meet. */
export class RedisStore implements Store {
  readonly keys: Keys;
  /** The jobs' delivery bookkeeping: sent markers, pace, DM channels, notice counts. */
  readonly deliveries: Deliveries;
  private readonly letters: DeadLetters;
  /** The last checked record per key with the text it came from (teams and rounds only). */
  private readonly checked = new Map<string, { raw: string; checked: string }>();

  constructor(
    readonly redis: RedisClient,
    prefix: string,
    private readonly logger: StoreLogger = { warn: () => {} },
  ) {
    this.keys = new Keys(prefix);
    this.letters = new DeadLetters(redis, this.keys);
    this.deliveries = guardStorage(
      new Deliveries(redis, this.keys, (key, raw, schema) => this.check(key, raw, schema)),
    );
    // biome-ignore lint/correctness/noConstructorReturn: every caller gets the guarded store
    return guardStorage(this);
  }

  async getTeam(tenant: string, teamId: string): Promise<Team | undefined> {
    return this.read(this.keys.team(tenant, teamId), teamSchema, true);
  }

  async createTeam(team: Team, nextOpening?: Date): Promise<{ team: Team; created: boolean }> {
    const valid = teamSchema.parse({ ...team, version: team.version ?? 1 });
    const { tenant } = valid;
    // The list of tenants lives in no tenant's slot, so it is written first, on its own: a tenant listed
    // before its first team exists is visited and found empty, never missed.
    await this.redis.sadd(this.keys.tenants(), tenant);
    const created =
      (await evalScript(
        this.redis,
        CREATE_TEAM,
        3 + valid.members.length,
        this.keys.team(tenant, valid.id),
        this.keys.tenantTeams(tenant),
        this.keys.schedule(tenant),
        ...valid.members.map((m) => this.keys.userTeams(tenant, m)),
        JSON.stringify(valid),
        valid.id,
        nextOpening ? String(nextOpening.getTime()) : "",
      )) === 1;
    if (!created) return { team: (await this.getTeam(tenant, valid.id)) ?? valid, created };
    return { team: valid, created };
  }

  async saveTeam(team: Team): Promise<boolean> {
    return (await this.writeTeam(team, team)) === 1;
  }

  async updateTeam(tenant: string, teamId: string, change: (team: Team) => Team): Promise<Team | undefined> {
    return this.retryTeam(tenant, teamId, 20, async (current) => {
      const next = { ...change(current), members: current.members };
      return (await this.writeTeam(current, next)) === 1
        ? { ...next, version: (current.version ?? 0) + 1 }
        : "retry";
    });
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

  /** Read, change, compare-and-set: a concurrent change (leads, schedule, members) makes it read again. */
  private members(
    tenant: string,
    teamId: string,
    replace: boolean,
    add: string[],
    remove: string[],
  ): Promise<Team | undefined> {
    return this.retryTeam(tenant, teamId, 100, async (team) => {
      const gone = new Set(remove);
      const base = replace ? [] : team.members.filter((m) => !gone.has(m));
      const members = [...new Set([...base, ...add.filter((m) => !gone.has(m))])];
      if (members.length > MAX_TEAM_MEMBERS) throw new TeamTooLargeError(members.length);
      const before = new Set(team.members);
      const after = new Set(members);
      const joined = members.filter((m) => !before.has(m));
      const left = team.members.filter((m) => !after.has(m));
      if (joined.length === 0 && left.length === 0) return team;
      const next = { ...team, members };
      return (await this.writeTeam(team, next, joined, left)) === 1
        ? { ...next, version: (team.version ?? 0) + 1 }
        : "retry";
    });
  }

  /**
   * Writes `next` over `current` if the stored version is still current's (every write bumps it), keeping
   * the member -> teams index for who joined and who left. 1: written, 0: changed meanwhile, -1: gone.
   */
  private async writeTeam(
    current: Team,
    next: Team,
    joined: string[] = [],
    left: string[] = [],
  ): Promise<number> {
    const expected = current.version ?? 0;
    const valid = teamSchema.parse({ ...next, version: expected + 1 });
    const { tenant, id } = current;
    return Number(
      await evalScript(
        this.redis,
        SAVE_TEAM,
        1 + joined.length + left.length,
        this.keys.team(tenant, id),
        ...joined.map((m) => this.keys.userTeams(tenant, m)),
        ...left.map((m) => this.keys.userTeams(tenant, m)),
        String(expected),
        JSON.stringify(valid),
        id,
        String(joined.length),
      ),
    );
  }

  /**
   * Reads the team and tries a change until it is written: a lost race (many joins at once in a big
   * channel's first minutes) backs off a little, at random, and reads again. Undefined: no such team.
   */
  private async retryTeam(
    tenant: string,
    teamId: string,
    attempts: number,
    attempt: (team: Team) => Promise<Team | "retry">,
  ): Promise<Team | undefined> {
    for (let n = 0; n < attempts; n++) {
      if (n > 0) await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, n * 2)));
      const team = await this.getTeam(tenant, teamId);
      if (!team) return undefined;
      const done = await attempt(team);
      if (done !== "retry") return done;
    }
    throw new Error(`team ${teamId} kept changing; gave up after ${attempts} attempts`);
  }

  async getSession(
    tenant: string,
    teamId: string,
    round: string,
    userId: string,
  ): Promise<Session | undefined> {
    return this.read(this.keys.session(tenant, teamId, round, userId), sessionSchema);
  }

  /** Saves a session (compare-and-set); completing one also queues an outbox entry in the same step. */
  async saveSession(session: Session, expectedVersion: number): Promise<boolean> {
    const valid = sessionSchema.parse(session);
    const { tenant, teamId, round, userId } = valid;
    const completed = valid.status === "completed" ? JSON.stringify(valid.answers) : "";
    const entry: OutboxEntry | undefined =
      valid.status === "completed"
        ? { type: "completed", teamId, round, userId, at: valid.completedAt ?? new Date().toISOString() }
        : undefined;
    const saved = await evalScript(
      this.redis,
      SAVE_SESSION,
      6,
      this.keys.session(tenant, teamId, round, userId),
      this.keys.roundSessions(tenant, teamId, round),
      this.keys.teamRounds(tenant, teamId),
      this.keys.history(tenant, teamId, userId),
      this.keys.outbox(tenant),
      this.keys.tally(tenant, teamId, round),
      String(expectedVersion),
      JSON.stringify(valid),
      userId,
      round,
      completed,
      entry ? JSON.stringify(entry) : "",
    );
    return saved === 1;
  }

  async sessionsOf(tenant: string, teamId: string, round: string): Promise<Session[]> {
    const users = (await this.redis.smembers(this.keys.roundSessions(tenant, teamId, round))).sort();
    const sessions = await Promise.all(users.map((u) => this.getSession(tenant, teamId, round, u)));
    return sessions.filter((s): s is Session => s !== undefined);
  }

  async roundTally(tenant: string, teamId: string, round: string): Promise<RoundTally | undefined> {
    const [[, raw], [, participants]] = (await this.redis
      .multi()
      .hgetall(this.keys.tally(tenant, teamId, round))
      .smembers(this.keys.roundSessions(tenant, teamId, round))
      .exec()) as [[Error | null, Record<string, string>], [Error | null, string[]]];
    if (raw.n === undefined) return undefined;
    const counts = new Map<string, Map<number, number>>();
    for (const [field, value] of Object.entries(raw)) {
      const at = field.lastIndexOf(":");
      const count = Number(value);
      if (at < 0 || !(count > 0)) continue;
      const key = field.slice(0, at);
      const levels = counts.get(key) ?? new Map<number, number>();
      levels.set(Number(field.slice(at + 1)), count);
      counts.set(key, levels);
    }
    return { respondents: Math.max(0, Number(raw.n) || 0), participants, counts };
  }

  async roundsOf(tenant: string, teamId: string): Promise<Round[]> {
    const ids = await this.redis.zrange(this.keys.teamRounds(tenant, teamId), "0", "-1");
    const rounds = await Promise.all(ids.map((id) => this.getRound(tenant, teamId, id)));
    return rounds.filter((r): r is Round => r !== undefined);
  }

  async previousAnswers(
    tenant: string,
    teamId: string,
    userId: string,
    beforeRound: string,
  ): Promise<Answers | undefined> {
    const history = this.keys.history(tenant, teamId, userId);
    const found = (await evalScript(
      this.redis,
      PREVIOUS_ANSWERS,
      2,
      this.keys.teamRounds(tenant, teamId),
      history,
      beforeRound,
    )) as [string, string] | null;
    if (!found) return undefined;
    const parsed = answersSchema.safeParse(safeJson(found[1]));
    if (parsed.success) return parsed.data;
    this.logger.warn("ignoring corrupt answer history", { key: history, round: found[0] });
    return undefined;
  }

  /** What an assessment button needs, in one read: the team, the member's session and whether the round is open. */
  async assessmentClick(tenant: string, teamId: string, round: string, userId: string): Promise<ClickState> {
    const keys = [this.keys.team(tenant, teamId), this.keys.session(tenant, teamId, round, userId)] as const;
    const roundKey = this.keys.round(tenant, teamId, round);
    const [team, session, record, open] = await this.redis.mget(
      ...keys,
      roundKey,
      this.keys.openRound(tenant, teamId),
    );
    const r = open === round && record ? await this.check(roundKey, record, roundSchema, true) : undefined;
    return {
      team: team ? await this.check(keys[0], team, teamSchema, true) : undefined,
      session: session ? await this.check(keys[1], session, sessionSchema) : undefined,
      open: r && !r.closedAt ? r : undefined,
    };
  }

  async getRound(tenant: string, teamId: string, round: string): Promise<Round | undefined> {
    return this.read(this.keys.round(tenant, teamId, round), roundSchema, true);
  }

  async openRoundOf(tenant: string, teamId: string): Promise<Round | undefined> {
    const id = await this.redis.get(this.keys.openRound(tenant, teamId));
    if (!id) return undefined;
    const round = await this.getRound(tenant, teamId, id);
    return round && !round.closedAt ? round : undefined;
  }

  async insertRound(tenant: string, round: Round): Promise<"opened" | "open" | "exists"> {
    const valid = roundSchema.parse(round);
    return (await evalScript(
      this.redis,
      INSERT_ROUND,
      4,
      this.keys.openRound(tenant, valid.teamId),
      this.keys.round(tenant, valid.teamId, valid.id),
      this.keys.teamRounds(tenant, valid.teamId),
      this.keys.tally(tenant, valid.teamId, valid.id),
      valid.id,
      JSON.stringify(valid),
      String(Date.parse(valid.openedAt)),
    )) as "opened" | "open" | "exists";
  }

  async finishRound(tenant: string, closed: Round): Promise<{ closed: boolean; round: Round }> {
    const valid = roundSchema.parse(closed);
    const entry: OutboxEntry = {
      type: "round-closed",
      teamId: valid.teamId,
      round: valid.id,
      at: valid.closedAt ?? new Date().toISOString(),
    };
    const [done, raw] = (await evalScript(
      this.redis,
      FINISH_ROUND,
      3,
      this.keys.round(tenant, valid.teamId, valid.id),
      this.keys.openRound(tenant, valid.teamId),
      this.keys.outbox(tenant),
      JSON.stringify(valid),
      valid.id,
      JSON.stringify(entry),
    )) as [number, string];
    const stored = raw ? roundSchema.safeParse(safeJson(raw)) : undefined;
    return { closed: done === 1, round: stored?.success ? stored.data : valid };
  }

  async tenants(): Promise<string[]> {
    return (await this.redis.smembers(this.keys.tenants())).sort();
  }

  async teamIds(tenant: string): Promise<string[]> {
    return (await this.redis.smembers(this.keys.tenantTeams(tenant))).sort();
  }

  async setNextOpening(tenant: string, teamId: string, at: Date): Promise<void> {
    await this.redis.zadd(this.keys.schedule(tenant), at.getTime(), teamId);
  }

  async teamsDue(tenant: string, until: Date): Promise<{ teamId: string; at: Date }[]> {
    const flat = await this.redis.zrangebyscore(
      this.keys.schedule(tenant),
      "-inf",
      String(until.getTime()),
      "WITHSCORES",
    );
    const due: { teamId: string; at: Date }[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2)
      due.push({ teamId: flat[i]!, at: new Date(Number(flat[i + 1])) });
    return due;
  }

  async outbox(tenant: string, count = 100): Promise<OutboxEntry[]> {
    const raw = await this.redis.lrange(this.keys.outbox(tenant), 0, count - 1);
    return raw.flatMap((r) => {
      const parsed = outboxEntrySchema.safeParse(safeJson(r));
      if (parsed.success) return [parsed.data];
      this.logger.warn("skipping a corrupt outbox entry", { tenant });
      return [];
    });
  }

  async ackOutbox(tenant: string, count: number): Promise<void> {
    if (count > 0) await this.redis.ltrim(this.keys.outbox(tenant), count, -1);
  }

  async claim(tenant: string, claims: { id: string; forMs: number }[]): Promise<number> {
    if (claims.length === 0) return 0;
    const keys = claims.map((c) => this.keys.delivery(tenant, c.id));
    return (await evalScript(
      this.redis,
      CLAIM,
      keys.length,
      ...keys,
      ...claims.map((c) => c.forMs),
    )) as number;
  }

  async getPrefs(tenant: string, userId: string): Promise<MemberPrefs> {
    return (await this.prefsOf(tenant, [userId]))[0]!;
  }

  /** Several members' settings at once (a fan-out's), in one round trip. */
  async prefsOf(tenant: string, userIds: readonly string[]): Promise<MemberPrefs[]> {
    if (userIds.length === 0) return [];
    const keys = userIds.map((u) => this.keys.prefs(tenant, u));
    const [raws, zones] = await Promise.all([
      this.redis.mget(...keys),
      this.redis.hmget(this.keys.timezones(tenant), ...userIds),
    ]);
    const prefs = await Promise.all(
      raws.map((raw, i) => (raw === null ? undefined : this.check(keys[i]!, raw, prefsSchema))),
    );
    return prefs.map((p, i) => ({ ...(zones[i] ? { timezone: zones[i] } : {}), ...(p ?? {}) }));
  }

  async setTimezones(tenant: string, zones: Record<string, string>): Promise<void> {
    const entries = Object.entries(zones).filter(([, z]) => z.length > 0 && z.length <= 64);
    if (entries.length > 0) await this.redis.hset(this.keys.timezones(tenant), Object.fromEntries(entries));
  }

  async setPrefs(tenant: string, userId: string, change: Partial<MemberPrefs>): Promise<void> {
    const next = prefsSchema.parse(dropUndefined({ ...(await this.getPrefs(tenant, userId)), ...change }));
    await this.redis.set(this.keys.prefs(tenant, userId), JSON.stringify(next));
  }

  async getSettings(tenant: string): Promise<TenantSettings> {
    return (await this.read(this.keys.settings(tenant), settingsSchema)) ?? {};
  }

  async setSettings(tenant: string, change: Partial<TenantSettings>): Promise<void> {
    const next = settingsSchema.parse(dropUndefined({ ...(await this.getSettings(tenant)), ...change }));
    await this.redis.set(this.keys.settings(tenant), JSON.stringify(next));
  }

  addDeadLetter(tenant: string, letter: DeadLetter): Promise<void> {
    return this.letters.add(tenant, letter);
  }

  deadLetters(tenant: string): Promise<DeadLetter[]> {
    return this.letters.list(tenant);
  }

  takeDeadLetter(tenant: string, id: string): Promise<DeadLetter | undefined> {
    return this.letters.take(tenant, id);
  }

  /**
   * Reads and checks a record. A record that fails its schema is moved aside (key + ":corrupt"), logged,
   * and treated as absent, so one bad write cannot lock a user out; nothing is deleted.
   */
  private async read<S extends z.ZodType>(
    key: string,
    schema: S,
    /** Teams and rounds: large (every member), read on every click, rarely changed. */
    remember = false,
  ): Promise<z.infer<S> | undefined> {
    const raw = await this.redis.get(key);
    return raw === null ? undefined : this.check(key, raw, schema, remember);
  }

  /** Checks a record's stored text (see read). */
  private async check<S extends z.ZodType>(
    key: string,
    raw: string,
    schema: S,
    remember = false,
  ): Promise<z.infer<S> | undefined> {
    // The same stored text as last time: the same record, already checked. A new copy each time, so
    // callers may change it: parsing the checked record's JSON costs a fraction of structuredClone.
    const known = remember ? this.checked.get(key) : undefined;
    if (known && known.raw === raw) return JSON.parse(known.checked) as z.infer<S>;
    const parsed = schema.safeParse(safeJson(raw));
    if (parsed.success) {
      if (remember) {
        if (this.checked.size >= CHECKED_RECORDS) this.checked.delete(this.checked.keys().next().value!);
        this.checked.set(key, { raw, checked: JSON.stringify(parsed.data) });
      }
      return parsed.data;
    }
    const detail = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    this.logger.warn("moved a corrupt record aside", { key, detail });
    await this.redis.rename(key, `${key}:corrupt`).catch(() => undefined);
    return undefined;
  }
}
