import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  MAX_TEAM_MEMBERS,
  type Round,
  type Session,
  type Team,
  TeamTooLargeError,
} from "../../../src/core/conversation/ports.js";
import { RedisStore } from "../../../src/store/redis-store.js";
import { cleanPrefix, connect, testPrefix } from "../../support/redis.js";

/** Each test's own key prefix: no test reads what another one wrote. */
let prefix: string;
let redis: Redis;
let store: RedisStore;
const warnings: string[] = [];

const team = (over: Partial<Team> = {}): Team => ({
  id: "C1",
  tenant: "T1",
  platform: "slack",
  name: "ml-platform",
  timezone: "UTC",
  leads: ["U1"],
  members: ["U1", "U2", "U3"],
  createdAt: "2026-11-20T10:00:00.000Z",
  createdBy: "U1",
  ...over,
});

const round = (id: string, openedAt: string, over: Partial<Round> = {}): Round => ({
  id,
  teamId: "C1",
  cadence: "quarterly",
  openedAt,
  deadline: new Date(Date.parse(openedAt) + 14 * 86_400_000).toISOString(),
  openedBy: "schedule",
  members: ["U1", "U2", "U3"],
  ...over,
});

const session = (over: Partial<Session> = {}): Session => ({
  tenant: "T1",
  teamId: "C1",
  round: "2026-Q4",
  userId: "U1",
  mode: "quick",
  keys: ["q7-development", "q8-automation", "q9-operations"],
  answers: {},
  cursor: 0,
  status: "in-progress",
  startedAt: "2026-11-20T10:00:00.000Z",
  version: 1,
  ...over,
});

beforeAll(() => {
  redis = connect();
});
beforeEach(() => {
  prefix = testPrefix("store");
  warnings.length = 0;
  store = new RedisStore(redis, prefix, { warn: (m) => warnings.push(m) });
});
afterEach(async () => {
  await cleanPrefix(redis, prefix);
});
afterAll(async () => {
  await redis.quit();
});

describe("teams", () => {
  it("creates a team once and indexes its members", async () => {
    const first = await store.createTeam(team());
    expect(first.created).toBe(true);
    const again = await store.createTeam(team({ leads: ["U2"] }));
    expect(again).toMatchObject({ created: false, team: { leads: ["U1"] } });
    expect((await store.teamsOf("T1", "U2")).map((t) => t.id)).toEqual(["C1"]);
    expect(await store.teamsOf("T1", "U9")).toEqual([]);
    expect(await store.teamsOf("T2", "U2")).toEqual([]);
  });

  it("adds and removes members atomically, and replaces the whole list", async () => {
    await store.createTeam(team({ id: "C2", members: ["U1"] }));
    const joined = await store.changeMembers("T1", "C2", ["U4", "U5", "U4"], []);
    expect(joined?.members).toEqual(["U1", "U4", "U5"]);
    const left = await store.changeMembers("T1", "C2", [], ["U4"]);
    expect(left?.members).toEqual(["U1", "U5"]);
    expect((await store.teamsOf("T1", "U4")).map((t) => t.id)).not.toContain("C2");
    const replaced = await store.setMembers("T1", "C2", ["U7"]);
    expect(replaced?.members).toEqual(["U7"]);
    expect((await store.teamsOf("T1", "U5")).map((t) => t.id)).not.toContain("C2");
    const empty = await store.setMembers("T1", "C2", []);
    expect(empty?.members).toEqual([]);
    expect(await store.changeMembers("T1", "missing", ["U1"], [])).toBeUndefined();
  });

  it("keeps concurrent joins from several processes", async () => {
    await store.createTeam(team({ id: "C3", members: [] }));
    const others = [connect(), connect(), connect()];
    const stores = others.map((r) => new RedisStore(r, prefix));
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => stores[i % 3]!.changeMembers("T1", "C3", [`U${100 + i}`], [])),
    );
    expect((await store.getTeam("T1", "C3"))?.members).toHaveLength(30);
    await Promise.all(others.map((r) => r.quit()));
  });
});

describe("sessions", () => {
  it("saves only when the stored version is the expected one", async () => {
    expect(await store.saveSession(session(), 0)).toBe(true);
    expect(await store.saveSession(session(), 0)).toBe(false);
    const answered = session({ answers: { "q7-development": 3 }, cursor: 1, version: 2 });
    expect(await store.saveSession(answered, 1)).toBe(true);
    expect(await store.saveSession({ ...answered, answers: { "q7-development": 5 }, version: 3 }, 1)).toBe(
      false,
    );
    expect((await store.getSession("T1", "C1", "2026-Q4", "U1"))?.answers).toEqual({ "q7-development": 3 });
  });

  it("two processes clicking at once leave one consistent answer", async () => {
    await store.saveSession(session({ userId: "U2" }), 0);
    const a = connect();
    const b = connect();
    const [sa, sb] = [new RedisStore(a, prefix), new RedisStore(b, prefix)];
    const click = (s: RedisStore, level: number) =>
      s.saveSession(
        session({ userId: "U2", answers: { "q7-development": level }, cursor: 1, version: 2 }),
        1,
      );
    const results = await Promise.all([click(sa, 2), click(sb, 5), click(sa, 4), click(sb, 1)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const stored = await store.getSession("T1", "C1", "2026-Q4", "U2");
    expect(stored?.version).toBe(2);
    expect([2, 5, 4, 1]).toContain(stored?.answers["q7-development"]);
    await Promise.all([a.quit(), b.quit()]);
  });

  it("resumes from a new connection (a restarted process) at the saved question", async () => {
    await store.saveSession(session(), 0);
    await store.saveSession(session({ answers: { "q7-development": 3 }, cursor: 1, version: 2 }), 1);
    const fresh = connect();
    const again = new RedisStore(fresh, prefix);
    const s = await again.getSession("T1", "C1", "2026-Q4", "U1");
    expect(s?.cursor).toBe(1);
    expect(s?.keys[s.cursor]).toBe("q8-automation");
    await fresh.quit();
  });

  it("indexes sessions by round, lists rounds, and remembers completed answers for next quarter", async () => {
    expect(await store.insertRound("T1", round("2026-Q3", "2026-07-01T09:00:00.000Z"))).toBe("opened");
    await redis.del(store.keys.openRound("T1", "C1"));
    expect(await store.insertRound("T1", round("2026-Q4", "2026-10-01T09:00:00.000Z"))).toBe("opened");
    for (const userId of ["U1", "U2"]) await store.saveSession(session({ userId }), 0);
    await store.saveSession(
      session({
        userId: "U3",
        round: "2026-Q3",
        answers: { "q7-development": 2, "q8-automation": 2, "q9-operations": null },
        cursor: 3,
        status: "completed",
        completedAt: "2026-09-01T00:00:00.000Z",
      }),
      0,
    );
    expect((await store.roundsOf("T1", "C1")).map((r) => r.id)).toEqual(["2026-Q3", "2026-Q4"]);
    expect((await store.sessionsOf("T1", "C1", "2026-Q4")).map((s) => s.userId)).toEqual(["U1", "U2"]);
    expect(await store.previousAnswers("T1", "C1", "U3", "2026-Q4")).toEqual({
      "q7-development": 2,
      "q8-automation": 2,
      "q9-operations": null,
    });
    expect(await store.previousAnswers("T1", "C1", "U3", "2026-Q3")).toBeUndefined();
    // A round not (yet) in the team's list: the latest answers of any round.
    expect(await store.previousAnswers("T1", "C1", "U3", "2027-Q1")).toEqual({
      "q7-development": 2,
      "q8-automation": 2,
      "q9-operations": null,
    });
    await redis.hset(store.keys.history("T1", "C1", "U3"), "2026-Q3", "{not json");
    expect(await store.previousAnswers("T1", "C1", "U3", "2026-Q4")).toBeUndefined();
  });

  it("keeps a round's tally of completed answers in the session script, retakes counted once", async () => {
    const opened = round("2027-Q1", "2027-01-01T09:00:00.000Z");
    expect(await store.insertRound("T1", opened)).toBe("opened");
    const done = (userId: string, answers: Record<string, number | null>, version = 1) =>
      session({
        userId,
        round: opened.id,
        answers,
        cursor: 3,
        status: "completed",
        completedAt: "2026-11-02T00:00:00.000Z",
        version,
      });
    const a = { "q7-development": 2, "q8-automation": 3, "q9-operations": null };
    expect(await store.saveSession(done("U1", a), 0)).toBe(true);
    expect(await store.saveSession(done("U2", { ...a, "q7-development": 4 }), 0)).toBe(true);
    expect(await store.saveSession(session({ userId: "U9", round: opened.id }), 0)).toBe(true);
    let tally = await store.roundTally("T1", "C1", opened.id);
    expect(tally?.respondents).toBe(2);
    expect(tally?.participants.sort()).toEqual(["U1", "U2", "U9"]);
    expect(tally?.counts.get("q7-development")).toEqual(
      new Map([
        [2, 1],
        [4, 1],
      ]),
    );
    expect(tally?.counts.has("q9-operations")).toBe(false);
    // A retake: restarted (its answers leave the tally), then completed with other answers.
    expect(await store.saveSession(session({ userId: "U1", round: opened.id, version: 2 }), 1)).toBe(true);
    expect((await store.roundTally("T1", "C1", opened.id))?.respondents).toBe(1);
    expect(await store.saveSession(done("U1", { ...a, "q8-automation": 5 }, 3), 2)).toBe(true);
    // A stale write changes nothing.
    expect(await store.saveSession(done("U1", a, 3), 2)).toBe(false);
    tally = await store.roundTally("T1", "C1", opened.id);
    expect(tally?.respondents).toBe(2);
    expect(tally?.counts.get("q8-automation")).toEqual(
      new Map([
        [3, 1],
        [5, 1],
      ]),
    );
    // A round opened before tallies were kept has none: readers fall back to its sessions.
    await redis.del(store.keys.tally("T1", "C1", opened.id));
    expect(await store.roundTally("T1", "C1", opened.id)).toBeUndefined();
  });

  it("counts no respondent in the tally for a completed session that skipped every question", async () => {
    const opened = round("2027-Q1", "2027-01-01T09:00:00.000Z");
    expect(await store.insertRound("T1", opened)).toBe("opened");
    const skipped = { "q7-development": null, "q8-automation": null, "q9-operations": null };
    const done = (userId: string, answers: Record<string, number | null>, version = 1) =>
      session({ userId, round: opened.id, answers, cursor: 3, status: "completed", version });
    expect(await store.saveSession(done("U1", skipped), 0)).toBe(true);
    expect(await store.saveSession(done("U2", { ...skipped, "q7-development": 2 }), 0)).toBe(true);
    let tally = await store.roundTally("T1", "C1", opened.id);
    expect(tally?.respondents).toBe(1);
    expect(tally?.counts.get("q7-development")).toEqual(new Map([[2, 1]]));
    // Retaken with an answer, U1 counts; skipped again, no longer.
    expect(await store.saveSession(done("U1", { ...skipped, "q8-automation": 4 }, 2), 1)).toBe(true);
    expect((await store.roundTally("T1", "C1", opened.id))?.respondents).toBe(2);
    expect(await store.saveSession(done("U1", skipped, 3), 2)).toBe(true);
    tally = await store.roundTally("T1", "C1", opened.id);
    expect(tally?.respondents).toBe(1);
    expect(tally?.counts.has("q8-automation")).toBe(false);
  });

  it("rejects an invalid session on write", async () => {
    await expect(
      store.saveSession(session({ userId: "U4", answers: { "q7-development": 7 } }), 0),
    ).rejects.toThrow();
    await expect(store.saveSession(session({ userId: "U4", cursor: 9 }), 0)).rejects.toThrow(/cursor/);
    expect(await store.getSession("T1", "C1", "2026-Q4", "U4")).toBeUndefined();
  });

  it("moves a corrupted record aside on read instead of trusting it", async () => {
    const key = store.keys.session("T1", "C1", "2026-Q4", "U5");
    await redis.set(
      key,
      JSON.stringify({ ...session({ userId: "U5" }), answers: { "q7-development": "lots" } }),
    );
    expect(await store.getSession("T1", "C1", "2026-Q4", "U5")).toBeUndefined();
    expect(await redis.exists(key)).toBe(0);
    expect(await redis.get(`${key}:corrupt`)).toContain("lots");
    expect(warnings).toContain("moved a corrupt record aside");
    // The user can start afresh.
    expect(await store.saveSession(session({ userId: "U5" }), 0)).toBe(true);

    const teamKey = store.keys.team("T1", "C9");
    await redis.set(teamKey, "{not json");
    expect(await store.getTeam("T1", "C9")).toBeUndefined();
  });
});

describe("team size limits", () => {
  it("keeps a team whose last member leaves, stored with an empty member list", async () => {
    await store.createTeam(team({ id: "CEMPTY", members: ["U1"] }));
    const after = await store.changeMembers("T1", "CEMPTY", [], ["U1"]);
    expect(after?.members).toEqual([]);
    expect(JSON.parse((await redis.get(store.keys.team("T1", "CEMPTY")))!).members).toEqual([]);
    const read = await store.getTeam("T1", "CEMPTY");
    expect(read?.leads).toEqual(["U1"]);
    expect(read?.members).toEqual([]);
    expect(await redis.exists(`${store.keys.team("T1", "CEMPTY")}:corrupt`)).toBe(0);
    expect((await store.setMembers("T1", "CEMPTY", []))?.members).toEqual([]);
    expect((await store.getTeam("T1", "CEMPTY"))?.members).toEqual([]);
  });

  it("refuses a join past the member limit before writing anything", async () => {
    const full = Array.from({ length: MAX_TEAM_MEMBERS }, (_, i) => `U${i}`);
    await store.createTeam(team({ id: "CFULL", members: full.slice(0, 2) }));
    await store.setMembers("T1", "CFULL", full);
    const before = await redis.get(store.keys.team("T1", "CFULL"));
    await expect(store.changeMembers("T1", "CFULL", ["UNEW"], [])).rejects.toThrow(TeamTooLargeError);
    await expect(store.setMembers("T1", "CFULL", [...full, "UNEW"])).rejects.toThrow(
      /at most 20,000 members/,
    );
    expect(await redis.get(store.keys.team("T1", "CFULL"))).toBe(before);
    expect((await store.getTeam("T1", "CFULL"))?.members).toHaveLength(MAX_TEAM_MEMBERS);
    // Someone leaving makes room again.
    expect((await store.changeMembers("T1", "CFULL", ["UNEW"], ["U0"]))?.members).toContain("UNEW");
  });
});

describe("rounds and deliveries", () => {
  const result = {
    respondents: 3,
    members: 3,
    visible: true,
    score: 2.4,
    level: 2,
    band: "weak" as const,
    components: [{ id: "mlops-maturity", score: 2, level: 2 }],
    disagreements: [],
  };

  it("opens one round at a time and never reuses an id", async () => {
    const r = round("2027-Q1", "2027-01-04T09:00:00.000Z", { teamId: "C7" });
    expect(await store.insertRound("T1", r)).toBe("opened");
    expect(await store.openRoundOf("T1", "C7")).toEqual(r);
    await store.createTeam(team({ id: "C7", members: ["U1", "U2"] }));
    await store.saveSession(session({ teamId: "C7", round: r.id }), 0);
    const click = await store.assessmentClick("T1", "C7", r.id, "U1");
    expect(click.team?.members).toEqual(["U1", "U2"]);
    expect(click.session?.keys[click.session.cursor]).toBe("q7-development");
    expect(click.open).toEqual(r);
    expect(await store.assessmentClick("T1", "C7", r.id, "U2")).toEqual({ team: click.team, open: r });
    expect(await store.assessmentClick("T1", "C7", "2026-Q4", "U1")).toEqual({ team: click.team });
    expect(await store.assessmentClick("T1", "C9", r.id, "U1")).toEqual({});
    expect(await store.insertRound("T1", { ...r, id: "2027-Q1-2" })).toBe("open");
    await store.finishRound("T1", {
      ...r,
      closedAt: "2027-01-18T09:00:00.000Z",
      closedBy: "deadline",
      result,
    });
    expect(await store.openRoundOf("T1", "C7")).toBeUndefined();
    expect((await store.assessmentClick("T1", "C7", r.id, "U1")).open).toBeUndefined();
    expect(await store.insertRound("T1", r)).toBe("exists");
  });

  it("closes a round once, with one outbox entry; a closed round never changes", async () => {
    const r = round("2026-Q3", "2026-07-01T09:00:00.000Z", { teamId: "C8" });
    await store.insertRound("T3", r);
    const closed = { ...r, closedAt: "2026-10-01T00:00:00.000Z", closedBy: "lead" as const, result };
    expect(await store.finishRound("T3", closed)).toEqual({ closed: true, round: closed });
    const second = await store.finishRound("T3", { ...closed, result: { ...result, score: 4.9, level: 5 } });
    expect(second.closed).toBe(false);
    expect(second.round.result?.score).toBe(2.4);
    expect((await store.getRound("T3", "C8", "2026-Q3"))?.result?.level).toBe(2);
    expect(await store.outbox("T3")).toEqual([
      { type: "round-closed", teamId: "C8", round: "2026-Q3", at: "2026-10-01T00:00:00.000Z" },
    ]);
    await store.ackOutbox("T3", 1);
    expect(await store.outbox("T3")).toEqual([]);
  });

  it("lists tenants and their teams, and teams by next opening", async () => {
    await store.createTeam(team());
    expect(await store.tenants()).toContain("T1");
    expect(await store.teamIds("T1")).toContain("C1");
    await store.setNextOpening("T1", "C1", new Date("2027-01-04T09:00:00Z"));
    expect(await store.teamsDue("T1", new Date("2027-01-01T00:00:00Z"))).toEqual([]);
    expect(await store.teamsDue("T1", new Date("2027-01-04T09:00:00Z"))).toEqual([
      { teamId: "C1", at: new Date("2027-01-04T09:00:00Z") },
    ]);
  });

  it("claims a delivery id once per tenant, and a second id only when the first was new", async () => {
    const day = 86_400_000;
    expect(await store.claim("T1", [{ id: "Ev1", forMs: day }])).toBe(1);
    expect(await store.claim("T1", [{ id: "Ev1", forMs: day }])).toBe(0);
    expect(await store.claim("T2", [{ id: "Ev1", forMs: day }])).toBe(1);
    // A retried delivery leaves its click unclaimed; a new delivery of the same click within its window
    // claims the delivery but not the click.
    expect(
      await store.claim("T1", [
        { id: "Ev1", forMs: day },
        { id: "click-1", forMs: 5000 },
      ]),
    ).toBe(0);
    expect(await redis.exists(store.keys.delivery("T1", "click-1"))).toBe(0);
    expect(
      await store.claim("T1", [
        { id: "Ev2", forMs: day },
        { id: "click-1", forMs: 5000 },
      ]),
    ).toBe(2);
    expect(
      await store.claim("T1", [
        { id: "Ev3", forMs: day },
        { id: "click-1", forMs: 5000 },
      ]),
    ).toBe(1);
    const ttl = await redis.pttl(store.keys.delivery("T1", "click-1"));
    expect(ttl).toBeGreaterThan(3000);
    expect(ttl).toBeLessThanOrEqual(5000);
    expect(await store.claim("T1", [])).toBe(0);
  });

  it("reads several members' settings in one go, as getPrefs reads each, a corrupt record moved aside", async () => {
    await store.setTimezones("T1", { UP1: "Europe/Berlin", UP3: "Asia/Tokyo" });
    await store.setPrefs("T1", "UP2", { optedOut: true });
    await store.setPrefs("T1", "UP3", { snoozedUntil: "2026-12-01T00:00:00.000Z" });
    await redis.set(store.keys.prefs("T1", "UP4"), '{"optedOut":"yes"}');
    const users = ["UP1", "UP2", "UP3", "UP4", "UP5"];
    const many = await store.prefsOf("T1", users);
    expect(many).toEqual([
      { timezone: "Europe/Berlin" },
      { optedOut: true },
      { timezone: "Asia/Tokyo", snoozedUntil: "2026-12-01T00:00:00.000Z" },
      {},
      {},
    ]);
    expect(await redis.exists(`${store.keys.prefs("T1", "UP4")}:corrupt`)).toBe(1);
    expect(await Promise.all(users.map((u) => store.getPrefs("T1", u)))).toEqual(many);
    expect(await store.prefsOf("T1", [])).toEqual([]);
  });

  it("keeps every key under the prefix and the tenant's hash tag", async () => {
    await store.createTeam(team());
    await store.saveSession(session(), 0);
    await store.insertRound("T2", round("2026-Q4", "2026-10-01T09:00:00.000Z"));
    await store.claim("T3", [{ id: "Ev1", forMs: 1000 }]);
    await store.setTimezones("T1", { U1: "Europe/Berlin" });
    const keys = await redis.keys(`${prefix}:*`);
    expect(keys.length).toBeGreaterThan(5);
    for (const key of keys.filter((k) => k !== `${prefix}:tenants`)) {
      expect(key).toMatch(new RegExp(`^${prefix}:\\{T[123]\\}:`));
    }
    const other = new RedisStore(redis, `${prefix}x`);
    expect(await other.getTeam("T1", "C1")).toBeUndefined();
  });
});
