import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningApp } from "../../support/app.js";
import { blockKitProblems, buttonsOf } from "../../support/block-kit.js";
import { TestClock } from "../../support/clock.js";
import { FakeSlack, findButton, type SlackSender, startSlackApp } from "../../support/fake-slack.js";

/**
 * App Home as a member sees it (views.publish through the real app): the trend across rounds, its buttons,
 * and the reply for a member of several teams, who is asked which team a command is for.
 */

let fake: FakeSlack;
let app: RunningApp;
let slack: SlackSender;
const clock = new TestClock();

beforeAll(async () => {
  fake = await FakeSlack.start();
  ({ app, slack } = await startSlackApp("slack-home", fake, { clock }));
});

afterAll(async () => {
  await app?.stop();
  await fake?.close();
});

// biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON as published
type Json = any;

/** Per team heading ("#up"), the fields of its section as label → value, as App Home shows them. */
function fieldsByTeam(blocks: Json[]): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  let team: string | undefined;
  for (const block of blocks) {
    if (block.type === "header") team = String(block.text.text).split(" · ")[0];
    if (block.type === "section" && block.fields && team && !out.has(team)) {
      const fields = (block.fields as Json[]).map((f) => {
        const [label = "", ...value] = String(f.text).split("\n");
        return [label.replace(/\*/g, ""), value.join("\n")] as const;
      });
      out.set(team, Object.fromEntries(fields));
    }
  }
  return out;
}

/** Every member of a team takes this round's assessment from its channel, answering each question at `level`. */
async function everyoneAnswers(channel: string, members: string[], level: number): Promise<void> {
  for (const user of members) {
    expect((await slack.command(user, channel, "assess")).status).toBe(200);
    const done = await slack.answerAll(user, level);
    expect(done.text).toMatch(/^Your result/);
  }
}

describe("Slack App Home: the trend between rounds", () => {
  it("shows up for a team whose level rose and down for one whose level fell", async () => {
    const up = ["ULEAD", "UUP2", "UUP3"];
    const down = ["ULEAD", "UDOWN2", "UDOWN3"];
    clock.set("2026-11-20T10:00:00Z");
    try {
      await slack.registerTeam("CUP", up);
      await slack.registerTeam("CDOWN", down);
      await everyoneAnswers("CUP", up, 2);
      await everyoneAnswers("CDOWN", down, 4);
      for (const channel of ["CUP", "CDOWN"])
        expect((await slack.command("ULEAD", channel, "close")).status).toBe(200);

      clock.set("2027-01-15T10:00:00Z");
      await everyoneAnswers("CUP", up, 4);
      await everyoneAnswers("CDOWN", down, 2);
      for (const channel of ["CUP", "CDOWN"])
        expect((await slack.command("ULEAD", channel, "close")).status).toBe(200);

      const view = await slack.openHome("ULEAD");
      expect(blockKitProblems(view.blocks, "view")).toEqual([]);
      const teams = fieldsByTeam(view.blocks);
      expect([...teams.keys()].sort()).toEqual(["#down", "#up"]);
      expect(teams.get("#up")).toMatchObject({
        Level: expect.stringMatching(/^4 · /),
        Trend: "up: 2026-Q4 2.0 → 2027-Q1 4.0",
      });
      expect(teams.get("#down")).toMatchObject({
        Level: expect.stringMatching(/^2 · /),
        Trend: "down: 2026-Q4 4.0 → 2027-Q1 2.0",
      });
    } finally {
      clock.set("2026-11-20T10:00:00Z");
    }
  });
});

/** The one message a click on an App Home button posts in the user's direct message, as text. */
async function postedByHomeButton(user: string, blocks: Json[], label: RegExp): Promise<string> {
  fake.reset();
  expect((await slack.clickHome(user, findButton(blocks, label))).status).toBe(200);
  const posts = fake.callsOf("chat.postMessage");
  expect(posts).toHaveLength(1);
  expect(posts[0]!.args.channel).toBe(`D${user}`);
  return JSON.stringify(posts[0]!.args.blocks);
}

describe("Slack App Home: its buttons", () => {
  it("starts, resumes and redoes the assessment, and shows the team's status and roadmap, each in a direct message", async () => {
    await slack.registerTeam("CBUTTONS", ["UVIEWER", "UOTHER"]);
    let home = await slack.openHome("UVIEWER");
    expect(buttonsOf(home.blocks).map((b: Json) => b.text.text)).toEqual([
      "Start my assessment",
      "Team status",
    ]);

    await slack.clickHome("UVIEWER", findButton(home.blocks, /^Start my assessment$/));
    let question = fake.lastMessageIn("DUVIEWER")!;
    expect(question.text).toMatch(/^Question 1\/8/);
    for (const level of ["Level 2", "Level 3"])
      await slack.click(
        "UVIEWER",
        fake.lastMessageIn("DUVIEWER")!,
        findButton(question.blocks, new RegExp(`^${level}$`)),
      );
    question = fake.lastMessageIn("DUVIEWER")!;
    expect(question.text).toMatch(/^Question 3\/8/);

    // The page was refreshed or is opened again: it offers to resume where the member stopped.
    home = await slack.openHome("UVIEWER");
    const resume = findButton(home.blocks, /^Resume \(question 3 of 8\)$/);
    await slack.clickHome("UVIEWER", resume);
    const resumed = fake.lastMessageIn("DUVIEWER")!;
    expect(resumed.ts).not.toBe(question.ts);
    expect(JSON.stringify(resumed.blocks)).toContain("Welcome back: picking up at question 3 of 8");

    // Finished: the page offers the team's status, the roadmap from the member's own answers, and to answer again.
    const done = await slack.answerAll("UVIEWER", 3);
    expect(done.text).toMatch(/^Your result/);
    home = await slack.openHome("UVIEWER");
    expect(JSON.stringify(home.blocks)).toContain("you're done");
    expect(JSON.stringify(home.blocks)).toContain("from your own answers");
    expect(await postedByHomeButton("UVIEWER", home.blocks, /^Team status$/)).toContain(
      "1 of 2 members completed",
    );
    expect(await postedByHomeButton("UVIEWER", home.blocks, /^Full roadmap$/)).toContain("Level 3 → 4");
    // A double click: the second click, a moment after the first, posts no second question.
    const before = fake.messagesIn("DUVIEWER").length;
    const again = findButton(home.blocks, /^Answer again$/);
    await slack.clickHome("UVIEWER", again);
    await slack.clickHome("UVIEWER", again);
    const posted = fake.messagesIn("DUVIEWER").slice(before);
    expect(posted.map((m) => m.text.slice(0, 13))).toEqual(["Question 1/8:"]);
  });
});

describe("Slack: a member of several teams", () => {
  it("is asked which team `assess` and `status` in a direct message are for, one button per team", async () => {
    await slack.registerTeam("CFIRST", ["UBOTH", "UFIRST2"]);
    await slack.registerTeam("CSECOND", ["USECOND1", "UBOTH"]);
    for (const [command, action] of [
      ["assess", "assess"],
      ["status", "status"],
    ] as const) {
      fake.reset();
      expect((await slack.command("UBOTH", "DUBOTH", command)).status).toBe(200);
      const ask = fake.responses.at(-1)!.body;
      expect(ask.text).toBe("You're in 2 teams. Which one?");
      const choices = buttonsOf(ask.blocks);
      expect(choices.map((b: Json) => b.text.text).sort()).toEqual(["#first", "#second"]);
      for (const b of choices) expect(JSON.parse(b.value).action).toBe(action);
    }

    // The member picks #second: the assessment of that team starts in the direct message.
    fake.reset();
    await slack.command("UBOTH", "DUBOTH", "assess");
    const ask = fake.responses.at(-1)!.body;
    const posted = { channel: "DUBOTH", ts: "1700000700.000100", text: ask.text, blocks: ask.blocks };
    await slack.click("UBOTH", posted, findButton(ask.blocks, /^#second$/));
    const question = fake.lastMessageIn("DUBOTH")!;
    expect(question.text).toMatch(/^Question 1\/8/);
    expect(JSON.stringify(question.blocks)).toContain("#second ·");
    const round = (await app.store.openRoundOf("T1", "CSECOND"))!.id;
    expect((await app.store.getSession("T1", "CSECOND", round, "UBOTH"))?.status).toBe("in-progress");
    expect(await app.store.openRoundOf("T1", "CFIRST")).toBeUndefined();
  });
});
