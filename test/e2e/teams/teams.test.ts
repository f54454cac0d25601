import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { levelChangeSummary, nudgeReply } from "../../../src/core/conversation/notices.js";
import type { Round } from "../../../src/core/conversation/ports.js";
import { NotifyError } from "../../../src/core/notify.js";
import type { Comparison } from "../../../src/core/rounds/lifecycle.js";
import { cardProblems } from "../../support/adaptive-card.js";
import { type RunningApp, startApp, TestClock } from "../../support/app.js";
import { FakeConnector } from "../../support/fake-connector.js";
import { testPrefix } from "../../support/redis.js";
import {
  BOT,
  botAddedToTeam,
  CHANNEL,
  cardOf,
  install,
  installationUpdate,
  LEAD,
  MEMBER,
  MEMBER2,
  MEMBER3,
  membersChanged,
  mention,
  OTHER_CHANNEL,
  personalId,
  post,
  say,
  submit,
  submitsOf,
  TEAM_ID,
  TENANT,
  textOf,
} from "./activities.js";

/**
 * Teams end to end: the real app (CloudAdapter on POST /api/messages, engine, Redis) driven by
 * Teams-shaped activities over HTTP, answering through a fake Bot Connector that records every activity
 * the bot sends or updates. Assertions are on what a Teams user would see there.
 */

const NEWCOMER = { id: "29:1newcomer", name: "Fifth Member", userRole: "user" as const };
let fake: FakeConnector;
let app: RunningApp;
const prefix = testPrefix("teams-e2e");
const clock = new TestClock();

const start = () => startApp("teams-e2e", { PLAYGROUND: "off" }, { prefix, clock });

async function send(activity: unknown): Promise<void> {
  const res = await post(app.url, activity);
  expect(res.status, await res.clone().text()).toBe(200);
}

/** The messages of a conversation as the user sees them now (cards as last updated). */
const seen = (conversationId: string) =>
  fake
    .conversation(conversationId)
    .map((m) => ({ ...m, card: cardOf(m.activity), text: textOf(cardOf(m.activity)) }));
const lastSeen = (conversationId: string) => seen(conversationId).at(-1)!;
const questionIn = (conversationId: string) =>
  seen(conversationId).findLast((m) => submitsOf(m.card).some((s) => s.data?.action === "answer"));

/** Answers every question of the open card with the given level, by card submits; returns the final message. */
async function answerAll(user: typeof LEAD, level: number) {
  const conversation = personalId(user);
  for (let i = 0; i < 20; i++) {
    const question = questionIn(conversation);
    if (!question) break;
    const button = submitsOf(question.card).find(
      (s) => s.data.action === "answer" && s.data.level === level,
    )!;
    await send(submit(fake, user, button.data, question.id));
  }
  return lastSeen(conversation);
}

/** "assess" in the personal chat; a member of two teams picks the General channel's on the card offered. */
async function startAssessment(user: typeof LEAD): Promise<void> {
  await send(say(fake, user, "assess"));
  const picker = lastSeen(personalId(user));
  const pick = submitsOf(picker.card).find((s) => s.data.action === "assess" && s.data.t === CHANNEL);
  if (pick) await send(submit(fake, user, pick.data, picker.id));
}

beforeAll(async () => {
  fake = await FakeConnector.start();
  // Two pages and a bot in the roster: every page is read, bots are left out.
  fake.rosters.set(TEAM_ID, [LEAD, MEMBER, { id: "28:another-bot", name: "Other bot" }, MEMBER2, MEMBER3]);
  clock.set("2026-11-20T10:00:00Z");
  app = await start();
});

afterAll(async () => {
  await app?.stop();
  await fake?.close();
});

describe("Teams end to end", () => {
  it("welcomes a person who installs the bot, with a card of what it does", async () => {
    await send(installationUpdate(fake, LEAD));
    await send(install(fake, LEAD));
    const messages = seen(personalId(LEAD));
    expect(messages).toHaveLength(1);
    expect(messages[0]!.text).toContain("Welcome to maturity-bot");
    expect(messages[0]!.text).toMatch(/assess/);
    expect(messages[0]!.card.version).toBe("1.5");
  });

  it("makes the team's channel a team when the bot is added, with the roster (all pages, no bots) and the installer as lead", async () => {
    await send(botAddedToTeam(fake, LEAD));
    const posted = lastSeen(CHANNEL);
    expect(posted.text).toContain("is now a team with 4 members");
    expect(posted.text).toContain("<at>Team Lead</at> is its lead");
    expect(posted.card.msteams.entities).toEqual([
      { type: "mention", text: "<at>Team Lead</at>", mentioned: { id: LEAD.id, name: LEAD.name } },
    ]);
    const team = await app.store.getTeam(TENANT, CHANNEL);
    expect(team?.members.sort()).toEqual([LEAD.id, MEMBER.id, MEMBER2.id, MEMBER3.id].sort());
    expect(team?.leads).toEqual([LEAD.id]);
  });

  it("makes a channel a team when setup is said in a thread with the bot @mentioned, answering in the thread", async () => {
    await send(mention(fake, MEMBER, "setup", OTHER_CHANNEL, "1699999999"));
    const reply = fake.sends().at(-1)!;
    expect(reply.conversationId).toBe(`${OTHER_CHANNEL};messageid=1699999999`);
    expect(textOf(cardOf(reply.activity))).toContain("<at>Second &lt;b&gt;Member&lt;/b&gt;</at> is its lead");
    const team = await app.store.getTeam(TENANT, OTHER_CHANNEL);
    expect(team?.leads).toEqual([MEMBER.id]);
  });

  it("follows the roster when members are added and removed in Teams", async () => {
    fake.rosters.get(TEAM_ID)!.push(NEWCOMER);
    await send(membersChanged(fake, LEAD, [NEWCOMER], []));
    expect((await app.store.getTeam(TENANT, CHANNEL))?.members).toContain(NEWCOMER.id);
    expect((await app.store.getTeam(TENANT, OTHER_CHANNEL))?.members).toContain(NEWCOMER.id);
    await send(membersChanged(fake, LEAD, [], [NEWCOMER]));
    expect((await app.store.getTeam(TENANT, CHANNEL))?.members).not.toContain(NEWCOMER.id);
  });

  it("takes three members through the whole assessment by card submits, one card per question replaced in place", async () => {
    for (const [user, level] of [
      [LEAD, 3],
      [MEMBER, 2],
      [MEMBER2, 4],
    ] as const) {
      await startAssessment(user);
      const first = questionIn(personalId(user))!;
      expect(first.text).toContain("Question 1/8");
      const answers = submitsOf(first.card).filter((s) => s.data.action === "answer");
      expect(answers.map((a) => a.data.level)).toEqual([1, 2, 3, 4, 5]);
      const result = await answerAll(user, level);
      expect(result.text).toMatch(/your 2026-Q4 result/);
      expect(result.text).toMatch(new RegExp(`Level\\n${level} · `));
      expect(result.text).toMatch(/Score/);
      expect(result.text).toMatch(/Band/);
      // The question card was updated in place 7 times, not posted 8 times.
      const question = seen(personalId(user)).find((m) => m.id === first.id)!;
      expect(question.updates).toBeGreaterThanOrEqual(7);
      expect(seen(personalId(user)).length).toBeLessThanOrEqual(user === LEAD ? 4 : 3);
    }
  });

  it("shows the team status in the channel: the team's result, nobody's own answers", async () => {
    await send(mention(fake, MEMBER2, "status"));
    const status = lastSeen(CHANNEL);
    expect(status.text).toMatch(/Level\n3 · /);
    expect(status.text).toMatch(/Respondents/);
    expect(status.text).not.toMatch(/appears once/);
    expect(status.text).not.toMatch(/Team Lead|Second|Third Member|Fourth Member/);
  });

  it("resumes an assessment after the app restarts", async () => {
    await startAssessment(MEMBER3);
    for (let i = 0; i < 2; i++) {
      const q = questionIn(personalId(MEMBER3))!;
      await send(submit(fake, MEMBER3, submitsOf(q.card).find((s) => s.data.level === 2)!.data, q.id));
    }
    await app.close();
    app = await start();
    await startAssessment(MEMBER3);
    expect(questionIn(personalId(MEMBER3))!.text).toContain("Question 3/8");
  });

  it("answers a question from the knowledge base with its source", async () => {
    await send(say(fake, MEMBER, "how long does level 2 to 3 take?"));
    const answer = lastSeen(personalId(MEMBER));
    expect(answer.text).toMatch(/month/i);
    expect(answer.text).toMatch(/roadmap|guide/i);
    expect(answer.text).not.toMatch(/knowledge\//);
  });

  it("refuses a malformed activity with a clear 4xx and changes nothing", async () => {
    const before = fake.records.length;
    const notJson = await post(app.url, "{not json");
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ error: "the body is not JSON" });
    const noFrom = await post(app.url, { ...say(fake, MEMBER, "assess"), from: undefined });
    expect(noFrom.status).toBe(400);
    expect((await noFrom.json()).error).toMatch(/^not a Bot Framework activity: from/);
    const huge = await post(app.url, { ...say(fake, MEMBER, "x"), padding: "x".repeat(1_100_000) });
    expect(huge.status).toBe(413);
    const text = await fetch(`${app.url}/api/messages`, { method: "POST", body: "hi" });
    expect(text.status).toBe(415);
    expect((await fetch(`${app.url}/api/messages`)).status).toBe(405);
    expect(fake.records.length).toBe(before);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });

  it("sends every card valid for Adaptive Cards 1.5 and under 28 KB", () => {
    const cards = fake.records.map((r) => cardOf(r.activity)).filter(Boolean);
    expect(cards.length).toBeGreaterThan(30);
    expect(cards.flatMap((c) => cardProblems(c))).toEqual([]);
    for (const r of fake.records)
      expect(Buffer.byteLength(JSON.stringify(r.activity))).toBeLessThan(28 * 1024);
  });
});

describe("Teams rounds through the job queues", () => {
  let workers: RunningApp;
  beforeAll(async () => {
    // A worker process of its own on the same Redis and key prefix: the web app only enqueues.
    workers = await startApp(
      "teams-e2e",
      { PLAYGROUND: "off" },
      { prefix, clock, workers: true, backoffMs: 50 },
    );
  });
  afterAll(async () => {
    await workers?.close();
  });
  const nudgesTo = (user: typeof LEAD) =>
    seen(personalId(user)).filter(
      (m) => submitsOf(m.card).some((s) => s.data?.action === "assess") && /check-in is open/.test(m.text),
    );
  const until = async (what: string, check: () => boolean) => {
    const deadline = Date.now() + 15_000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it("posts one summary to the channel when the lead closes the round, and nothing on a second close", async () => {
    const before = seen(CHANNEL).length;
    await send(mention(fake, LEAD, "close"));
    await until("the summary", () => seen(CHANNEL).some((m, i) => i >= before && /closed/.test(m.text)));
    await send(mention(fake, LEAD, "close"));
    await new Promise((r) => setTimeout(r, 500));
    const summaries = seen(CHANNEL)
      .slice(before)
      .filter((m) => /2026-Q4 closed|moved up|moved down/.test(m.text));
    expect(summaries).toHaveLength(1);
  });

  it("nudges every member once, proactively in their personal chat, when the lead starts a round (twice)", async () => {
    await send(mention(fake, LEAD, "round start"));
    await send(mention(fake, LEAD, "round start"));
    const members = [LEAD, MEMBER, MEMBER2, MEMBER3];
    await until("a nudge for every member", () => members.every((m) => nudgesTo(m).length >= 1));
    await new Promise((r) => setTimeout(r, 500));
    for (const m of members) {
      expect(nudgesTo(m), m.name).toHaveLength(1);
      expect(nudgesTo(m)[0]!.text).toContain("2026-Q4 (round 2)");
    }
    // A refused close for someone who is not a lead.
    await send(mention(fake, MEMBER2, "close"));
    expect(lastSeen(personalId(MEMBER2)).text).toMatch(/Only a lead/);
  });
});

describe("Teams Notifier", () => {
  const round: Round = {
    id: "2026-Q4",
    teamId: CHANNEL,
    cadence: "quarterly",
    openedAt: "2026-10-01T07:00:00.000Z",
    deadline: "2026-10-15T07:00:00.000Z",
    openedBy: "schedule",
    members: [LEAD.id, MEMBER.id, MEMBER2.id, MEMBER3.id],
  };
  const result = (level: number, score: number, band: "weak" | "developing" | "strong") => ({
    respondents: 3,
    members: 4,
    visible: true,
    level,
    score,
    band,
    components: [{ id: "c3-lifecycle", score, level }],
    disagreements: [],
  });
  const comparison: Comparison = {
    teamId: CHANNEL,
    round: { id: "2026-Q4", label: "2026-Q4" },
    previous: { id: "2026-Q3", label: "2026-Q3", result: result(2, 2.2, "weak") },
    current: result(3, 3.1, "developing"),
    comparable: true,
    levelChanged: true,
    bandChanged: true,
    direction: "up",
    moved: [{ id: "c3-lifecycle", name: "Model lifecycle", before: 2.2, after: 3.1, delta: 0.9 }],
    disagreements: [],
    participation: { respondents: 3, members: 4 },
  };
  const dm = (user: string) => ({
    platform: "teams" as const,
    tenant: TENANT,
    to: { kind: "dm" as const, user },
  });

  it("posts a level-change summary to the team's channel as a new post", async () => {
    const team = (await app.store.getTeam(TENANT, CHANNEL))!;
    const sent = await app.notifiers.send(
      { platform: "teams", tenant: TENANT, to: { kind: "channel", channel: CHANNEL } },
      levelChangeSummary(app.engine.deps, team, comparison),
    );
    const record = fake.sends().at(-1)!;
    expect(sent.id).toBe(record.activityId);
    expect(record.conversationId).toBe(CHANNEL);
    expect(record.replyToId).toBeUndefined();
    const text = textOf(cardOf(record.activity));
    expect(text).toMatch(/level 2/i);
    expect(text).toMatch(/level 3/i);
    expect(text).toContain("Model lifecycle");
  });

  it("nudges a member in their personal chat, opening one for a member who has none, with an assess button", async () => {
    const team = (await app.store.getTeam(TENANT, CHANNEL))!;
    await app.notifiers.send(dm(MEMBER2.id), nudgeReply(team, round, MEMBER2.id));
    expect(fake.records.at(-1)!.conversationId).toBe(personalId(MEMBER2));
    fake.rosters.get(TEAM_ID)!.push(NEWCOMER);
    await app.notifiers.send(dm(NEWCOMER.id), nudgeReply(team, round, NEWCOMER.id));
    const [create, nudge] = fake.records.slice(-2);
    expect(create!.kind).toBe("create");
    expect(create!.activity.members).toEqual([{ id: NEWCOMER.id, name: "" }]);
    expect(create!.activity.bot.id).toBe(BOT.id);
    expect(create!.activity.tenantId).toBe(TENANT);
    expect(nudge!.conversationId).toBe(personalId(NEWCOMER));
    const buttons = submitsOf(cardOf(nudge!.activity));
    expect(buttons.some((b) => b.data.action === "assess")).toBe(true);
    // The new personal chat is remembered: the next message goes straight there.
    await app.notifiers.send(dm(NEWCOMER.id), nudgeReply(team, round, NEWCOMER.id));
    expect(fake.records.at(-1)!.kind).toBe("send");
    expect(fake.records.filter((r) => r.kind === "create")).toHaveLength(1);
  });

  it("codes failures: 429 with Retry-After, 403 bot removed, 404 conversation gone", async () => {
    const team = (await app.store.getTeam(TENANT, CHANNEL))!;
    const failure = async (status: number, retryAfter?: string) => {
      fake.faults.set(personalId(MEMBER), { status, ...(retryAfter ? { retryAfter } : {}) });
      try {
        await app.notifiers.send(dm(MEMBER.id), nudgeReply(team, round, MEMBER.id));
        return undefined;
      } catch (error) {
        return error as NotifyError;
      } finally {
        fake.faults.clear();
      }
    };
    const limited = await failure(429, "2");
    expect(limited).toBeInstanceOf(NotifyError);
    expect(limited!.failure).toBe("rate_limited");
    expect(limited!.retryAfterMs).toBe(2000);
    const removed = await failure(403);
    expect([removed!.failure, removed!.reason]).toEqual(["permanent", "bot_removed"]);
    // The reference of a conversation the bot was removed from is forgotten: none is left to use.
    await expect(
      app.notifiers.send({ ...dm(MEMBER.id), tenant: "other-tenant" }, nudgeReply(team, round, MEMBER.id)),
    ).rejects.toMatchObject({ failure: "permanent", reason: "no_teams_endpoint" });
    fake.faults.set(`create:${MEMBER.id}`, { status: 404 });
    const gone = await app.notifiers.send(dm(MEMBER.id), nudgeReply(team, round, MEMBER.id)).then(
      () => undefined,
      (e: NotifyError) => e,
    );
    expect([gone!.failure, gone!.reason]).toEqual(["permanent", "conversation_not_found"]);
    fake.faults.clear();
    const channelGone = await app.notifiers
      .send(
        { platform: "teams", tenant: TENANT, to: { kind: "channel", channel: "19:never-seen@thread.tacv2" } },
        nudgeReply(team, round, MEMBER.id),
      )
      .then(
        () => undefined,
        (e: NotifyError) => e,
      );
    expect([channelGone!.failure, channelGone!.reason]).toEqual(["permanent", "no_conversation_reference"]);
  });
});

describe("Teams with credentials", () => {
  let secured: RunningApp;
  beforeAll(async () => {
    secured = await startApp("teams-auth", {
      PLAYGROUND: "off",
      MICROSOFT_APP_ID: "00000000-0000-4000-8000-00000000a991",
      MICROSOFT_APP_PASSWORD: "not-a-real-secret",
    });
  });
  afterAll(async () => {
    await secured?.stop();
  });

  it("refuses a request without a valid Bot Framework token with 401, before any call out", async () => {
    const before = fake.records.length;
    const none = await post(secured.url, say(fake, LEAD, "help"));
    expect(none.status).toBe(401);
    // A well-formed token from an issuer Teams never uses: refused on its issuer, without fetching keys.
    const claims = Buffer.from(
      JSON.stringify({ iss: "https://evil.example", aud: "x", exp: 4102444800 }),
    ).toString("base64url");
    const forged = `${Buffer.from('{"alg":"RS256","typ":"JWT"}').toString("base64url")}.${claims}.c2ln`;
    const bad = await post(secured.url, say(fake, LEAD, "help"), { authorization: `Bearer ${forged}` });
    expect(bad.status).toBe(401);
    expect(fake.records.length).toBe(before);
  });
});
