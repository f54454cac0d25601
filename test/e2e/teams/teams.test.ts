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
  ALICE,
  BOB,
  BOT,
  botAddedToTeam,
  CAROL,
  CHANNEL,
  cardOf,
  DAN,
  install,
  installationUpdate,
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

const ERIN = { id: "29:1erin", name: "Erin Example", userRole: "user" as const };
let fake: FakeConnector;
let app: RunningApp;
const prefix = testPrefix("teams-e2e");
const clock = new TestClock();

const start = () => startApp("teams-e2e", { PLAYGROUND: "off" }, { prefix, clock });

async function send(activity: unknown): Promise<void> {
  const res = await post(app.url, activity);
  expect(res.status, await res.clone().text()).toBeLessThan(300);
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
async function answerAll(user: typeof ALICE, level: number) {
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
async function startAssessment(user: typeof ALICE): Promise<void> {
  await send(say(fake, user, "assess"));
  const picker = lastSeen(personalId(user));
  const pick = submitsOf(picker.card).find((s) => s.data.action === "assess" && s.data.t === CHANNEL);
  if (pick) await send(submit(fake, user, pick.data, picker.id));
}

beforeAll(async () => {
  fake = await FakeConnector.start();
  // Two pages and a bot in the roster: every page is read, bots are left out.
  fake.rosters.set(TEAM_ID, [ALICE, BOB, { id: "28:another-bot", name: "Other bot" }, CAROL, DAN]);
  clock.set("2026-11-20T10:00:00Z");
  app = await start();
});

afterAll(async () => {
  await app?.stop();
  await fake?.close();
});

describe("Teams end to end", () => {
  it("welcomes a person who installs the bot, with a card of what it does", async () => {
    await send(installationUpdate(fake, ALICE));
    await send(install(fake, ALICE));
    const messages = seen(personalId(ALICE));
    expect(messages).toHaveLength(1);
    expect(messages[0]!.text).toContain("Welcome to maturity-bot");
    expect(messages[0]!.text).toMatch(/assess/);
    expect(messages[0]!.card.version).toBe("1.5");
  });

  it("makes the team's channel a team when the bot is added, with the roster (all pages, no bots) and the installer as lead", async () => {
    await send(botAddedToTeam(fake, ALICE));
    const posted = lastSeen(CHANNEL);
    expect(posted.text).toContain("is now a team with 4 members");
    expect(posted.text).toContain("<at>Alice Example</at> is its lead");
    expect(posted.card.msteams.entities).toEqual([
      { type: "mention", text: "<at>Alice Example</at>", mentioned: { id: ALICE.id, name: ALICE.name } },
    ]);
    const team = await app.store.getTeam(TENANT, CHANNEL);
    expect(team?.members.sort()).toEqual([ALICE.id, BOB.id, CAROL.id, DAN.id].sort());
    expect(team?.leads).toEqual([ALICE.id]);
  });

  it("makes a channel a team when setup is said in a thread with the bot @mentioned, answering in the thread", async () => {
    await send(mention(fake, BOB, "setup", OTHER_CHANNEL, "1699999999"));
    const reply = fake.sends().at(-1)!;
    expect(reply.conversationId).toBe(`${OTHER_CHANNEL};messageid=1699999999`);
    expect(textOf(cardOf(reply.activity))).toContain("<at>Bob &lt;b&gt;Builder&lt;/b&gt;</at> is its lead");
    const team = await app.store.getTeam(TENANT, OTHER_CHANNEL);
    expect(team?.leads).toEqual([BOB.id]);
  });

  it("follows the roster when members are added and removed in Teams", async () => {
    fake.rosters.get(TEAM_ID)!.push(ERIN);
    await send(membersChanged(fake, ALICE, [ERIN], []));
    expect((await app.store.getTeam(TENANT, CHANNEL))?.members).toContain(ERIN.id);
    expect((await app.store.getTeam(TENANT, OTHER_CHANNEL))?.members).toContain(ERIN.id);
    await send(membersChanged(fake, ALICE, [], [ERIN]));
    expect((await app.store.getTeam(TENANT, CHANNEL))?.members).not.toContain(ERIN.id);
  });

  it("takes three members through the whole assessment by card submits, one card per question replaced in place", async () => {
    for (const [user, level] of [
      [ALICE, 3],
      [BOB, 2],
      [CAROL, 4],
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
      expect(seen(personalId(user)).length).toBeLessThanOrEqual(user === ALICE ? 4 : 3);
    }
  });

  it("shows the team status in the channel: the team's result, nobody's own answers", async () => {
    await send(mention(fake, CAROL, "status"));
    const status = lastSeen(CHANNEL);
    expect(status.text).toMatch(/Level\n3 · /);
    expect(status.text).toMatch(/Respondents/);
    expect(status.text).not.toMatch(/appears once/);
    expect(status.text).not.toContain("Bob");
  });

  it("resumes an assessment after the app restarts", async () => {
    await startAssessment(DAN);
    for (let i = 0; i < 2; i++) {
      const q = questionIn(personalId(DAN))!;
      await send(submit(fake, DAN, submitsOf(q.card).find((s) => s.data.level === 2)!.data, q.id));
    }
    await app.close();
    app = await start();
    await startAssessment(DAN);
    expect(questionIn(personalId(DAN))!.text).toContain("Question 3/8");
  });

  it("answers a question from the knowledge base with its source", async () => {
    await send(say(fake, BOB, "how long does level 2 to 3 take?"));
    const answer = lastSeen(personalId(BOB));
    expect(answer.text).toMatch(/month/i);
    expect(answer.text).toMatch(/roadmap|guide/i);
    expect(answer.text).not.toMatch(/knowledge\//);
  });

  it("refuses a malformed activity with a clear 4xx and changes nothing", async () => {
    const before = fake.records.length;
    const notJson = await post(app.url, "{not json");
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ error: "the body is not JSON" });
    const noFrom = await post(app.url, { ...say(fake, BOB, "assess"), from: undefined });
    expect(noFrom.status).toBe(400);
    expect((await noFrom.json()).error).toMatch(/^not a Bot Framework activity: from/);
    const huge = await post(app.url, { ...say(fake, BOB, "x"), padding: "x".repeat(1_100_000) });
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
  const nudgesTo = (user: typeof ALICE) =>
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
    await send(mention(fake, ALICE, "close"));
    await until("the summary", () => seen(CHANNEL).some((m, i) => i >= before && /closed/.test(m.text)));
    await send(mention(fake, ALICE, "close"));
    await new Promise((r) => setTimeout(r, 500));
    const summaries = seen(CHANNEL)
      .slice(before)
      .filter((m) => /2026-Q4 closed|moved up|moved down/.test(m.text));
    expect(summaries).toHaveLength(1);
  });

  it("nudges every member once, proactively in their personal chat, when the lead starts a round (twice)", async () => {
    await send(mention(fake, ALICE, "round start"));
    await send(mention(fake, ALICE, "round start"));
    const members = [ALICE, BOB, CAROL, DAN];
    await until("a nudge for every member", () => members.every((m) => nudgesTo(m).length >= 1));
    await new Promise((r) => setTimeout(r, 500));
    for (const m of members) {
      expect(nudgesTo(m), m.name).toHaveLength(1);
      expect(nudgesTo(m)[0]!.text).toContain("2026-Q4 (round 2)");
    }
    // A refused close for someone who is not a lead.
    await send(mention(fake, CAROL, "close"));
    expect(lastSeen(personalId(CAROL)).text).toMatch(/Only a lead/);
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
    members: [ALICE.id, BOB.id, CAROL.id, DAN.id],
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
    await app.notifiers.send(dm(CAROL.id), nudgeReply(team, round, CAROL.id));
    expect(fake.records.at(-1)!.conversationId).toBe(personalId(CAROL));
    fake.rosters.get(TEAM_ID)!.push(ERIN);
    await app.notifiers.send(dm(ERIN.id), nudgeReply(team, round, ERIN.id));
    const [create, nudge] = fake.records.slice(-2);
    expect(create!.kind).toBe("create");
    expect(create!.activity.members).toEqual([{ id: ERIN.id, name: "" }]);
    expect(create!.activity.bot.id).toBe(BOT.id);
    expect(create!.activity.tenantId).toBe(TENANT);
    expect(nudge!.conversationId).toBe(personalId(ERIN));
    const buttons = submitsOf(cardOf(nudge!.activity));
    expect(buttons.some((b) => b.data.action === "assess")).toBe(true);
    // The new personal chat is remembered: the next message goes straight there.
    await app.notifiers.send(dm(ERIN.id), nudgeReply(team, round, ERIN.id));
    expect(fake.records.at(-1)!.kind).toBe("send");
    expect(fake.records.filter((r) => r.kind === "create")).toHaveLength(1);
  });

  it("codes failures: 429 with Retry-After, 403 bot removed, 404 conversation gone", async () => {
    const team = (await app.store.getTeam(TENANT, CHANNEL))!;
    const failure = async (status: number, retryAfter?: string) => {
      fake.faults.set(personalId(BOB), { status, ...(retryAfter ? { retryAfter } : {}) });
      try {
        await app.notifiers.send(dm(BOB.id), nudgeReply(team, round, BOB.id));
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
      app.notifiers.send({ ...dm(BOB.id), tenant: "other-tenant" }, nudgeReply(team, round, BOB.id)),
    ).rejects.toMatchObject({ failure: "permanent", reason: "no_teams_endpoint" });
    fake.faults.set(`create:${BOB.id}`, { status: 404 });
    const gone = await app.notifiers.send(dm(BOB.id), nudgeReply(team, round, BOB.id)).then(
      () => undefined,
      (e: NotifyError) => e,
    );
    expect([gone!.failure, gone!.reason]).toEqual(["permanent", "conversation_not_found"]);
    fake.faults.clear();
    const channelGone = await app.notifiers
      .send(
        { platform: "teams", tenant: TENANT, to: { kind: "channel", channel: "19:never-seen@thread.tacv2" } },
        nudgeReply(team, round, BOB.id),
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
    const none = await post(secured.url, say(fake, ALICE, "help"));
    expect(none.status).toBe(401);
    // A well-formed token from an issuer Teams never uses: refused on its issuer, without fetching keys.
    const claims = Buffer.from(
      JSON.stringify({ iss: "https://evil.example", aud: "x", exp: 4102444800 }),
    ).toString("base64url");
    const forged = `${Buffer.from('{"alg":"RS256","typ":"JWT"}').toString("base64url")}.${claims}.c2ln`;
    const bad = await post(secured.url, say(fake, ALICE, "help"), { authorization: `Bearer ${forged}` });
    expect(bad.status).toBe(401);
    expect(fake.records.length).toBe(before);
  });
});
