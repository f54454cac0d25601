import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reminderReply } from "../../../src/core/conversation/notices.js";
import { addDeadLetter, deliveriesQueued, type RunningApp, startApp, TestClock } from "../../support/app.js";
import { FakeConnector, type Recorded } from "../../support/fake-connector.js";
import { testPrefix } from "../../support/redis.js";
import {
  botAddedToTeam,
  type Card,
  CHANNEL,
  cardOf,
  install,
  LEAD,
  MEMBER,
  MEMBER2,
  MEMBER3,
  mention,
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
 * Teams delivering an activity twice (the same activity id: the Bot Connector retrying), and people
 * double-clicking every kind of card button (two activities of their own carrying one button's data,
 * replying to one card): each is processed once. Counted at the fake Bot Connector: cards sent and cards
 * updated, and in Redis: answers stored.
 */

type Json = Card;

let fake: FakeConnector;
let app: RunningApp;
const clock = new TestClock();
const prefix = testPrefix("teams-once");

beforeAll(async () => {
  fake = await FakeConnector.start();
  fake.rosters.set(TEAM_ID, [LEAD, MEMBER, MEMBER2, MEMBER3]);
  app = await startApp("teams-once", { PLAYGROUND: "off" }, { prefix, clock });
  await send(botAddedToTeam(fake, LEAD));
});

afterAll(async () => {
  await app?.stop();
  await fake?.close();
});

async function send(activity: unknown): Promise<void> {
  const res = await post(app.url, activity);
  expect(res.status, await res.clone().text()).toBeLessThan(300);
}

/** What a person reads in an activity: its card's texts, or its plain text. */
const seenText = (activity: Json): string => textOf(cardOf(activity)) || (activity?.text ?? "");

/** The latest message in a conversation with a button titled `title`, and that button's data. */
function buttonIn(conversation: string, title: string | RegExp): { card: string; data: Json } {
  for (const m of fake.conversation(conversation).reverse()) {
    const found = submitsOf(cardOf(m.activity)).find((s) =>
      typeof title === "string" ? s.title === title : title.test(s.title),
    );
    if (found) return { card: m.id, data: found.data };
  }
  throw new Error(`no button ${title} in ${conversation}`);
}

/** What the connector recorded while `run` ran. */
async function during(run: () => Promise<unknown>): Promise<{ sends: Recorded[]; updates: Recorded[] }> {
  const before = fake.records.length;
  await run();
  const records = fake.records.slice(before);
  return {
    sends: records.filter((r) => r.kind === "send"),
    updates: records.filter((r) => r.kind === "update"),
  };
}

/** Two clicks of one button at once: two activities of their own (new ids) with the button's data. */
function doubleClick(user: typeof LEAD, button: { card: string; data: Json }, where?: string) {
  return during(() =>
    Promise.all([0, 1].map(() => send(submit(fake, user, button.data, button.card, where)))),
  );
}

/** One activity delivered twice, the second after the first was answered (the connector retrying it). */
const twice = (activity: unknown) =>
  during(async () => {
    await send(activity);
    await send(activity);
  });

const personal = (user: typeof LEAD) => personalId(user);
const session = (user: typeof LEAD) => app.store.getSession(TENANT, CHANNEL, "2026-Q4", user.id);
const questions = (records: Recorded[]) => records.filter((r) => /Question \d\/8/.test(seenText(r.activity)));

describe("Teams: an activity delivered twice (same activity id) is processed once", () => {
  it("a message: one answer", async () => {
    const seen = await twice(say(fake, MEMBER, "how long does level 2 to 3 take?"));
    expect(seen.sends).toHaveLength(1);
    expect(seenText(seen.sends[0]!.activity)).toMatch(/month/);
  });

  it("a card submit answering a question: one stored answer, one card update, no note", async () => {
    await send(say(fake, MEMBER, "assess"));
    const level = buttonIn(personal(MEMBER), "Level 2");
    const seen = await twice(submit(fake, MEMBER, level.data, level.card));
    expect(seen.updates).toHaveLength(1);
    expect(seen.sends).toHaveLength(0);
    expect(Object.values((await session(MEMBER))!.answers)).toEqual([2]);
  });

  it("a lead's round start in the channel: one answer, one round", async () => {
    const seen = await twice(mention(fake, LEAD, "round start"));
    expect(seen.sends).toHaveLength(1);
    expect((await app.store.openRoundOf(TENANT, CHANNEL))?.id).toBe("2026-Q4");
  });
});

describe("Teams: a double click on each kind of card button is processed once", () => {
  it("the welcome card's Start my assessment: one question card", async () => {
    await send(install(fake, MEMBER2));
    const seen = await doubleClick(MEMBER2, buttonIn(personal(MEMBER2), "Start my assessment"));
    expect(questions(seen.sends)).toHaveLength(1);
    expect((await session(MEMBER2))?.cursor).toBe(0);
  });

  it("a level: one stored answer, one card update", async () => {
    const seen = await doubleClick(MEMBER2, buttonIn(personal(MEMBER2), "Level 3"));
    expect(seen.updates).toHaveLength(1);
    expect(questions(seen.sends)).toHaveLength(0);
    expect(Object.values((await session(MEMBER2))!.answers)).toEqual([3]);
  });

  it("Skip and Back: one question on, one question back", async () => {
    const skip = await doubleClick(MEMBER2, buttonIn(personal(MEMBER2), "Skip"));
    expect(skip.updates).toHaveLength(1);
    expect((await session(MEMBER2))?.cursor).toBe(2);
    const back = await doubleClick(MEMBER2, buttonIn(personal(MEMBER2), "Back"));
    expect(back.updates).toHaveLength(1);
    expect((await session(MEMBER2))?.cursor).toBe(1);
  });

  it("a reminder's Resume: the current question once", async () => {
    clock.set("2026-11-20T10:05:00Z"); // minutes after the start: a resume, not the start's second click
    const team = (await app.store.getTeam(TENANT, CHANNEL))!;
    const round = (await app.store.openRoundOf(TENANT, CHANNEL))!;
    await app.notifiers.send(
      { platform: "teams", tenant: TENANT, to: { kind: "dm", user: MEMBER2.id } },
      reminderReply(team, round, MEMBER2.id, true),
    );
    const seen = await doubleClick(MEMBER2, buttonIn(personal(MEMBER2), "Resume"));
    expect(questions(seen.sends)).toHaveLength(1);
    expect(seenText(questions(seen.sends)[0]!.activity)).toMatch(/Question 2\/8/);
  });

  it("the result's See the roadmap and Team status, See my result and Answer again: one each", async () => {
    for (let i = 0; i < 7; i++) {
      const level = buttonIn(personal(MEMBER2), "Level 4");
      await send(submit(fake, MEMBER2, level.data, level.card));
    }
    expect((await session(MEMBER2))?.status).toBe("completed");
    for (const title of ["See the roadmap", "Team status"]) {
      const seen = await doubleClick(MEMBER2, buttonIn(personal(MEMBER2), title));
      expect(seen.sends, title).toHaveLength(1);
    }
    await send(say(fake, MEMBER2, "assess"));
    const result = await doubleClick(MEMBER2, buttonIn(personal(MEMBER2), "See my result"));
    expect(result.sends).toHaveLength(1);
    const again = await doubleClick(MEMBER2, buttonIn(personal(MEMBER2), "Answer again"));
    expect(questions(again.sends)).toHaveLength(1);
  });

  it("a knowledge answer's More: the next part once", async () => {
    await send(say(fake, MEMBER3, "how long does level 2 to 3 take?"));
    const seen = await doubleClick(MEMBER3, buttonIn(personal(MEMBER3), "More"));
    expect(seen.sends).toHaveLength(1);
  });

  it("a failure's Retry in the channel: sent again once", async () => {
    await addDeadLetter(app, TENANT, "dl-teams-double", "General");
    await send(mention(fake, LEAD, "failures"));
    let seen: Awaited<ReturnType<typeof doubleClick>> | undefined;
    const queued = await deliveriesQueued(app, async () => {
      seen = await doubleClick(LEAD, buttonIn(personal(LEAD), "Retry"));
    });
    expect(queued).toBe(1);
    expect(seen!.sends.filter((r) => /Sending the summary/.test(seenText(r.activity)))).toHaveLength(1);
    expect(await app.store.deadLetters(TENANT)).toEqual([]);
  });
});
