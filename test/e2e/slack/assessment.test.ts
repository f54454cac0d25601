import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningApp } from "../../support/app.js";
import { blockKitProblems, messageProblems } from "../../support/block-kit.js";
import { TestClock } from "../../support/clock.js";
import {
  FakeSlack,
  findButton,
  type SlackSender,
  type StoredMessage,
  startSlackApp,
} from "../../support/fake-slack.js";

/**
 * Setup, two complete assessments by button clicks (values read from the blocks the app posted, as a
 * user's client would), the team status, a resume after a restart, a double click, and every payload
 * within Block Kit's limits, all through real HTTP against a fake Slack Web API.
 */

let fake: FakeSlack;
let app: RunningApp;
let slack: SlackSender;
const clock = new TestClock();
const latencies: number[] = [];

const TEAM = "CTEAM";

beforeAll(async () => {
  fake = await FakeSlack.start();
  fake.channels.set(TEAM, ["ULEAD", "UBOT", "UMEMBER", "UHELPER"]);
  fake.bots.add("UHELPER");
  ({ app, slack } = await startSlackApp("slack-assess", fake, { clock }));
});

afterAll(async () => {
  await app?.stop();
  await fake?.close();
});

async function ok<T extends { status: number; ms: number }>(request: Promise<T>): Promise<T> {
  const res = await request;
  expect(res.status).toBe(200);
  latencies.push(res.ms);
  return res;
}

/** Clicks the button whose text is `label` in the user's current assessment message, as Slack would send it. */
async function clickIn(user: string, message: StoredMessage, label: RegExp) {
  return ok(
    slack.click(
      user,
      message,
      findButton(message.blocks, (b) => label.test(b.text.text)),
    ),
  );
}

async function completeAssessment(user: string, level: number): Promise<StoredMessage> {
  await ok(slack.command(user, TEAM, "assess"));
  const dm = `D${user}`;
  const first = fake.lastMessageIn(dm)!;
  expect(first.text).toMatch(/^Question 1\/8/);
  for (let i = 0; i < 8; i++) {
    const current = fake.lastMessageIn(dm)!;
    expect(current.ts).toBe(first.ts); // one message, updated in place
    expect(current.text).toMatch(new RegExp(`^Question ${i + 1}/8`));
    await clickIn(user, current, new RegExp(`^Level ${level}$`));
  }
  const done = fake.lastMessageIn(dm)!;
  expect(done.text).toMatch(/^Your result/);
  return done;
}

describe("Slack: a team's assessment from setup to status", () => {
  it("sets up the channel as a team: every page of members, bots left out, the lead's time zone", async () => {
    fake.timezones.set("ULEAD", "America/New_York");
    await ok(slack.command("ULEAD", TEAM, "setup", { channelName: "ml-platform" }));
    const pages = fake.callsOf("conversations.members");
    expect(pages.length).toBe(2);
    expect(pages[1]!.args.cursor).toBeTruthy();
    const team = await app.store.getTeam("T1", TEAM);
    expect(team?.members.sort()).toEqual(["ULEAD", "UMEMBER"]);
    expect(team?.timezone).toBe("America/New_York");
    expect(team?.name).toBe("ml-platform");
    // Each member's own zone is kept for their reminders' working hours.
    expect((await app.store.getPrefs("T1", "ULEAD")).timezone).toBe("America/New_York");
    expect((await app.store.getPrefs("T1", "UMEMBER")).timezone).toBe("Europe/Berlin");
    const answer = fake.responses.at(-1)!.body;
    expect(answer.response_type).toBe("in_channel");
    expect(answer.text).toContain("<@ULEAD>");
    expect(JSON.stringify(answer.blocks)).toContain("#ml-platform is now a team with 2 members");
  });

  it("runs the lead's assessment in a direct message, one message updated per click", async () => {
    fake.reset();
    const done = await completeAssessment("ULEAD", 3);
    expect(fake.callsOf("conversations.open")).toHaveLength(1);
    expect(fake.callsOf("chat.postMessage")).toHaveLength(1);
    expect(fake.callsOf("chat.update")).toHaveLength(8);
    // The command itself answers privately in the channel: the DM is where the questions are.
    expect(fake.responses[0]!.body.response_type).toBe("ephemeral");
    expect(fake.responses[0]!.body.text).toContain("direct message");
    expect(JSON.stringify(done.blocks)).toContain("Score");
    const session = await app.store.getSession("T1", TEAM, "2026-Q4", "ULEAD");
    expect(session?.status).toBe("completed");
    expect(Object.values(session!.answers)).toEqual(Array(8).fill(3));
    // The lead's App Home is refreshed with the finished assessment.
    const home = fake.callsOf("views.publish").at(-1)!;
    expect(home.args.user_id).toBe("ULEAD");
    expect(JSON.stringify(home.args.view.blocks)).toContain("you're done");
  });

  it("keeps a pair's result to participation only, until its lead opens the results", async () => {
    await ok(slack.command("UMEMBER", TEAM, "status"));
    const hidden = fake.responses.at(-1)!.body;
    expect(JSON.stringify(hidden.blocks)).toContain("1 of 2 members completed");
    expect(JSON.stringify(hidden.blocks)).not.toContain("Score");

    await completeAssessment("UMEMBER", 2);
    fake.reset();
    await ok(slack.command("ULEAD", TEAM, "status"));
    const both = JSON.stringify(fake.responses.at(-1)!.body.blocks);
    // Two answers: any figure would let each read the other's answers.
    expect(both).toContain("2 of 2 members completed");
    expect(both).not.toMatch(/Score|\*Level\*|Component|Worth discussing/);

    await ok(slack.command("UMEMBER", TEAM, "results open"));
    expect(JSON.stringify(fake.responses.at(-1)!.body)).toContain("Only a lead");
    await ok(slack.command("ULEAD", TEAM, "results open"));
    fake.reset();
    await ok(slack.command("ULEAD", TEAM, "status"));
    const status = fake.responses.at(-1)!.body;
    expect(status.response_type).toBe("in_channel");
    const text = JSON.stringify(status.blocks);
    expect(text).toContain("*Respondents*\\n2 of 2");
    expect(text).toContain("*Level*");
    expect(text).not.toContain("Your own result");
    expect(messageProblems(status)).toEqual([]);
  });

  it("answers a double click once: the second click gets a friendly private note", async () => {
    await ok(slack.command("ULEAD", "CTEAM", "assess"));
    // Completed already: the lead is offered to answer again.
    const offer = fake.lastMessageIn("DULEAD")!;
    expect(offer.text).toContain("already completed");
    await clickIn("ULEAD", offer, /^Answer again$/);
    const question = fake.lastMessageIn("DULEAD")!;
    expect(question.text).toMatch(/^Question 1\/8/);
    fake.reset();
    const button = findButton(question.blocks, (b) => b.text.text === "Level 4");
    const [a, b] = await Promise.all([
      slack.click("ULEAD", question, button),
      slack.click("ULEAD", question, button),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(fake.callsOf("chat.update")).toHaveLength(1);
    expect(fake.lastMessageIn("DULEAD")!.text).toMatch(/^Question 2\/8/);
    const notes = fake.responses.map((r) => r.body);
    expect(notes).toHaveLength(1);
    expect(notes[0].response_type).toBe("ephemeral");
    expect(notes[0].replace_original).toBe(false);
    expect(notes[0].text).toMatch(/Already answered|no longer the current one/);
    const session = await app.store.getSession("T1", TEAM, "2026-Q4", "ULEAD");
    expect(session?.cursor).toBe(1);
    expect(Object.keys(session!.answers)).toHaveLength(1);
  });

  it("tells the user kindly when a button carries no valid value", async () => {
    fake.reset();
    const question = fake.lastMessageIn("DULEAD")!;
    await ok(
      slack.click("ULEAD", question, {
        action_id: "answer-3",
        text: { type: "plain_text", text: "Level 3" },
        value: "{not json",
      }),
    );
    expect(fake.callsOf("chat.update")).toHaveLength(0);
    expect(fake.responses.at(-1)!.body.response_type).toBe("ephemeral");
    expect(fake.responses.at(-1)!.body.text).toContain("no longer does anything");
  });

  it("resumes after the app restarts: the current question's button still works", async () => {
    const prefix = app.prefix;
    const question = fake.lastMessageIn("DULEAD")!;
    expect(question.text).toMatch(/^Question 2\/8/);
    await app.close(); // keys stay
    ({ app, slack } = await startSlackApp("slack-assess", fake, { prefix, clock }));
    fake.reset();
    await clickIn("ULEAD", question, /^Level 5$/);
    expect(fake.callsOf("chat.update")).toHaveLength(1);
    expect(fake.lastMessageIn("DULEAD")!.text).toMatch(/^Question 3\/8/);
    const session = await app.store.getSession("T1", TEAM, "2026-Q4", "ULEAD");
    expect(session?.cursor).toBe(2);
    // `assess` after the restart picks up where the lead left off, in a new message.
    await ok(slack.command("ULEAD", TEAM, "assess"));
    const resumed = fake.lastMessageIn("DULEAD")!;
    expect(resumed.ts).not.toBe(question.ts);
    expect(JSON.stringify(resumed.blocks)).toContain("Welcome back: picking up at question 3 of 8");
  });

  it("answers the stale question message with a friendly private note", async () => {
    const [old, current] = fake.messagesIn("DULEAD").slice(-2) as [StoredMessage, StoredMessage];
    expect(old.text).toBe(current.text); // both show question 3
    await clickIn("ULEAD", current, /^Level 1$/);
    expect(fake.lastMessageIn("DULEAD")!.text).toMatch(/^Question 4\/8/);
    fake.reset();
    await clickIn("ULEAD", old, /^Level 1$/);
    expect(fake.callsOf("chat.update")).toHaveLength(0);
    const note = fake.responses.at(-1)!.body;
    expect(note.response_type).toBe("ephemeral");
    expect(note.text).toMatch(/no longer the current one|Already answered/);
  });

  it("sent only payloads within Block Kit's limits, and acknowledged every request well within 3 s", () => {
    const sent = fake.payloads();
    // Not a vacuous pass: this file's scenarios sent messages, updates and App Home views.
    expect(sent.length).toBeGreaterThan(5);
    expect(new Set(sent.map((p) => p.surface))).toEqual(new Set(["message", "view"]));
    for (const { where, surface, payload } of sent) {
      const problems =
        surface === "view" ? blockKitProblems(payload.blocks, "view") : messageProblems(payload);
      expect(problems, where).toEqual([]);
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    const p50 = sorted[Math.floor(sorted.length / 2)]!;
    const max = sorted.at(-1)!;
    console.log(
      `slack ack latency over ${sorted.length} requests: p50 ${p50.toFixed(1)} ms, max ${max.toFixed(1)} ms`,
    );
    expect(max).toBeLessThan(3000);
  });
});
