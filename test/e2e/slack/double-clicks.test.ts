import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reminderReply } from "../../../src/core/conversation/notices.js";
import { addDeadLetter, deliveriesQueued, type RunningApp } from "../../support/app.js";
import { TestClock } from "../../support/clock.js";
import {
  FakeSlack,
  findButton,
  type SlackSender,
  type StoredMessage,
  startSlackApp,
} from "../../support/fake-slack.js";

/**
 * A double click (two block_actions for one button of one message, sent together, as an impatient user's
 * client sends them) on every kind of button the bot shows in Slack: each is processed once. What the
 * user sees is counted at the fake Web API: messages posted, messages updated, response_url posts.
 * (A level's answer button is in assessment.test.ts.)
 */

// biome-ignore lint/suspicious/noExplicitAny: blocks and payloads as sent
type Json = any;

let fake: FakeSlack;
let app: RunningApp;
let slack: SlackSender;
const clock = new TestClock();
const TEAM = "CDOUBLE";
const OTHER = "CDOUBLE2";

beforeAll(async () => {
  fake = await FakeSlack.start();
  fake.channels.set(TEAM, ["UALICE", "UBOB", "UCAROL", "UBOT"]);
  fake.channels.set(OTHER, ["UCAROL", "UBOT"]);
  ({ app, slack } = await startSlackApp("double-clicks", fake, { clock }));
  expect((await slack.command("UALICE", TEAM, "setup", { channelName: "double" })).status).toBe(200);
  expect((await slack.command("UCAROL", OTHER, "setup", { channelName: "other" })).status).toBe(200);
});

afterAll(async () => {
  await app?.stop();
  await fake?.close();
});

interface Seen {
  /** chat.postMessage calls (new messages). */
  posts: Json[];
  /** chat.update calls (a message replaced in place). */
  updates: Json[];
  /** response_url posts (replies to the click's own message, ephemeral notes). */
  responses: Json[];
}

/** Two clicks of one button at once; resolves with what the user was shown after both. */
async function doubleClick(user: string, message: StoredMessage | "home", button: Json): Promise<Seen> {
  fake.reset();
  const click = () =>
    message === "home" ? slack.clickHome(user, button) : slack.click(user, message, button);
  const answers = await Promise.all([click(), click()]);
  expect(answers.map((a) => a.status)).toEqual([200, 200]);
  await app.slack!.idle();
  return {
    posts: fake.callsOf("chat.postMessage").map((c) => c.args),
    updates: fake.callsOf("chat.update").map((c) => c.args),
    responses: fake.responses.map((r) => r.body),
  };
}

/** A response_url answer as the message it shows in the channel, to click its buttons. */
function shown(channel: string, body: Json): StoredMessage {
  return {
    channel,
    ts: `1700001000.${String(fake.responses.length).padStart(6, "0")}`,
    text: body.text,
    blocks: body.blocks,
  };
}

const dm = (user: string) => fake.lastMessageIn(`D${user}`)!;
const button = (m: StoredMessage, label: string | RegExp) =>
  findButton(m.blocks, (b) => (typeof label === "string" ? b.text.text === label : label.test(b.text.text)));
const session = (user: string) => app.store.getSession("T1", TEAM, "2026-Q4", user);

async function answer(user: string, level: number) {
  const question = dm(user);
  expect((await slack.click(user, question, button(question, `Level ${level}`))).status).toBe(200);
}

describe("Slack: a double click on each kind of button is processed once", () => {
  it("help's Start my assessment: one question in the direct message", async () => {
    await slack.command("UBOB", TEAM, "help");
    const help = shown(TEAM, fake.responses.at(-1)!.body);
    const seen = await doubleClick("UBOB", help, findButton(help.blocks, /^start-assess$/));
    expect(seen.posts.filter((p) => p.channel === "DUBOB")).toHaveLength(1);
    expect(seen.posts[0].text).toMatch(/^Question 1\/8/);
    expect((await session("UBOB"))?.cursor).toBe(0);
  });

  it("Skip: one question skipped, the next one shown", async () => {
    const seen = await doubleClick("UBOB", dm("UBOB"), button(dm("UBOB"), "Skip"));
    expect(seen.updates).toHaveLength(1);
    expect(dm("UBOB").text).toMatch(/^Question 2\/8/);
    const s = await session("UBOB");
    expect([s?.cursor, Object.values(s!.answers)]).toEqual([1, [null]]);
  });

  it("Back: one question back, not two", async () => {
    await answer("UBOB", 3);
    expect(dm("UBOB").text).toMatch(/^Question 3\/8/);
    const seen = await doubleClick("UBOB", dm("UBOB"), button(dm("UBOB"), "Back"));
    expect(seen.updates).toHaveLength(1);
    expect(dm("UBOB").text).toMatch(/^Question 2\/8/);
    expect((await session("UBOB"))?.cursor).toBe(1);
  });

  it("Resume on a reminder: the current question once", async () => {
    const team = (await app.store.getTeam("T1", TEAM))!;
    const round = (await app.store.openRoundOf("T1", TEAM))!;
    await app.notifiers.send(
      { platform: "slack", tenant: "T1", to: { kind: "dm", user: "UBOB" } },
      reminderReply(team, round, "UBOB", true),
    );
    const reminder = dm("UBOB");
    const seen = await doubleClick("UBOB", reminder, button(reminder, "Resume"));
    expect(seen.posts).toHaveLength(1);
    expect(seen.posts[0].text).toMatch(/^Question 2\/8/);
  });

  it("the result's See the roadmap and Team status: one answer each", async () => {
    for (let i = 2; i <= 8; i++) await answer("UBOB", 3);
    const result = dm("UBOB");
    expect(result.text).toMatch(/^Your result/);
    for (const label of ["See the roadmap", "Team status"]) {
      const seen = await doubleClick("UBOB", result, button(result, label));
      expect([...seen.posts, ...seen.responses], label).toHaveLength(1);
    }
  });

  it("See my result and Answer again, offered to a member who completed: one each", async () => {
    await slack.command("UBOB", "DUBOB", "assess");
    const offer = dm("UBOB");
    expect(offer.text).toMatch(/already completed/);
    const results = await doubleClick("UBOB", offer, button(offer, "See my result"));
    expect([...results.posts, ...results.responses]).toHaveLength(1);
    const again = await doubleClick("UBOB", offer, button(offer, "Answer again"));
    expect(again.posts).toHaveLength(1);
    expect(again.posts[0].text).toMatch(/^Question 1\/8/);
    expect((await session("UBOB"))?.status).toBe("in-progress");
  });

  it("a knowledge answer's More: the next part once", async () => {
    await slack.command("UALICE", TEAM, "ask how long does level 2 to 3 take?");
    const answered = shown(TEAM, fake.responses.at(-1)!.body);
    const seen = await doubleClick("UALICE", answered, button(answered, "More"));
    expect([...seen.posts, ...seen.responses]).toHaveLength(1);
  });

  it("App Home's Resume, Team status and Full roadmap: one answer each", async () => {
    // A minute after Answer again started the assessment (a Resume within seconds of a start posts nothing).
    clock.set(new Date(clock.now().getTime() + 60_000).toISOString());
    // The team's level (and so the Full roadmap button) shows with the lead's result once they open results.
    await slack.command("UALICE", "DUALICE", "assess");
    for (let i = 1; i <= 8; i++) await answer("UALICE", 2);
    expect(dm("UALICE").text).toMatch(/^Your result/);
    await slack.command("UALICE", TEAM, "results open");
    await slack.event({
      type: "app_home_opened",
      user: "UBOB",
      channel: "DUBOB",
      tab: "home",
      event_ts: "1",
    });
    const home = fake.callsOf("views.publish").at(-1)!.args.view;
    const resume = await doubleClick("UBOB", "home", findButton(home.blocks, /^Resume/));
    expect(resume.posts).toHaveLength(1);
    expect(resume.posts[0].text).toMatch(/^Question 1\/8/);
    for (const label of [/^Team status$/, /^Full roadmap$/]) {
      const seen = await doubleClick("UBOB", "home", findButton(home.blocks, label));
      expect([...seen.posts, ...seen.responses], String(label)).toHaveLength(1);
    }
  });

  it("a member of two teams picking one for assess: one question", async () => {
    await slack.command("UCAROL", "DUCAROL", "assess");
    const picker = shown("DUCAROL", fake.responses.at(-1)!.body);
    expect(picker.text).toMatch(/Which one/);
    const seen = await doubleClick("UCAROL", picker, button(picker, "#double"));
    expect(seen.posts).toHaveLength(1);
    expect(seen.posts[0].text).toMatch(/^Question 1\/8/);
  });

  it("a failure's Retry: sent again once", async () => {
    await addDeadLetter(app, "T1", "dl-double", "#double");
    await slack.command("UALICE", TEAM, "failures");
    const list = shown(TEAM, fake.responses.at(-1)!.body);
    let seen: Seen | undefined;
    const queued = await deliveriesQueued(app, async () => {
      seen = await doubleClick("UALICE", list, button(list, "Retry"));
    });
    expect(queued).toBe(1);
    expect(seen!.responses.filter((r) => /Sending the summary/.test(r.text))).toHaveLength(1);
    expect(await app.store.deadLetters("T1")).toEqual([]);
  });
});
