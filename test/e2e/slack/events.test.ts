import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningApp } from "../../support/app.js";
import { blockKitProblems, messageProblems } from "../../support/block-kit.js";
import { TestClock } from "../../support/clock.js";
import { FakeSlack, findButton, type SlackSender, startSlackApp } from "../../support/fake-slack.js";

/** @mentions, direct messages, retried deliveries, member changes and App Home, through real HTTP. */

let fake: FakeSlack;
let app: RunningApp;
let slack: SlackSender;

const TEAM = "CDATA";

beforeAll(async () => {
  fake = await FakeSlack.start();
  fake.channels.set(TEAM, ["ULEAD", "UMEMBER", "UBOT"]);
  ({ app, slack } = await startSlackApp("slack-events", fake, { clock: new TestClock() }));
  expect((await slack.command("ULEAD", TEAM, "setup", { channelName: "data" })).status).toBe(200);
});

afterAll(async () => {
  await app?.stop();
  await fake?.close();
});

const mention = (text: string, extra: Record<string, unknown> = {}) => ({
  type: "app_mention",
  user: "ULEAD",
  text: `<@UBOT> ${text}`,
  ts: "1700000100.000100",
  channel: TEAM,
  event_ts: "1700000100.000100",
  ...extra,
});

const dmMessage = (text: string, extra: Record<string, unknown> = {}) => ({
  type: "message",
  channel_type: "im",
  channel: "DUMEMBER",
  user: "UMEMBER",
  text,
  ts: "1700000200.000100",
  event_ts: "1700000200.000100",
  ...extra,
});

describe("Slack: questions by @mention and direct message", () => {
  it("answers an @mention in a thread in that thread, with one human source line", async () => {
    fake.reset();
    const res = await slack.event(
      mention("how long does level 2 to 3 take?", { thread_ts: "1700000000.000001" }),
    );
    expect(res.status).toBe(200);
    const posts = fake.callsOf("chat.postMessage");
    expect(posts).toHaveLength(1);
    const post = posts[0]!.args;
    expect(post.channel).toBe(TEAM);
    expect(post.thread_ts).toBe("1700000000.000001");
    expect(JSON.stringify(post.blocks)).toContain("6-12 months");
    expect(JSON.stringify(post.blocks)).toMatch(
      /Sources?: Technology (?:&|&amp;) Operations guide, level 2 → 3 roadmap/,
    );
    expect(JSON.stringify(post.blocks)).not.toContain("knowledge/tech-ops/");
    expect(messageProblems(post)).toEqual([]);
  });

  it("answers an @mention outside a thread in the channel itself", async () => {
    fake.reset();
    await slack.event(mention("what does level 3 mean?"));
    const post = fake.callsOf("chat.postMessage")[0]!.args;
    expect(post.channel).toBe(TEAM);
    expect(post.thread_ts).toBeUndefined();
  });

  it("answers a direct message in the direct message", async () => {
    fake.reset();
    await slack.event(dmMessage("our models keep degrading, what do we do?"));
    const post = fake.callsOf("chat.postMessage")[0]!.args;
    expect(post.channel).toBe("DUMEMBER");
    expect(JSON.stringify(post.blocks)).toContain("triggered by drift");
  });

  it("ignores bot messages, its own messages and message subtypes such as edits", async () => {
    fake.reset();
    await slack.event(dmMessage("hello from a bot", { bot_id: "BOTHER", user: "UOTHERBOT" }));
    await slack.event(dmMessage("my own answer", { user: "UBOT", bot_id: "BBOT" }));
    await slack.event(dmMessage("edited", { subtype: "message_changed", message: { text: "edited" } }));
    await slack.event(dmMessage("gone", { subtype: "message_deleted" }));
    await slack.event(mention("from a bot", { bot_id: "BOTHER" }));
    expect(fake.callsOf("chat.postMessage")).toHaveLength(0);
  });

  it("processes a retried delivery (X-Slack-Retry-Num, same event_id) once, and acknowledges it quickly", async () => {
    fake.reset();
    const event = mention("what does level 2 mean?");
    const first = await slack.event(event, { eventId: "Ev0RETRY01" });
    const retry = await slack.event(event, { eventId: "Ev0RETRY01", retryNum: 1 });
    const again = await slack.event(event, { eventId: "Ev0RETRY01", retryNum: 2 });
    expect([first.status, retry.status, again.status]).toEqual([200, 200, 200]);
    expect(fake.callsOf("chat.postMessage")).toHaveLength(1);
    expect(retry.ms).toBeLessThan(1000);
    console.log(
      `slack ack of a retried delivery: ${retry.ms.toFixed(1)} ms (first delivery ${first.ms.toFixed(1)} ms)`,
    );
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(/maturity_bot_duplicate_deliveries_total\{platform="slack"\} 2/);
  });
});

describe("Slack: /maturity with no command", () => {
  it("shows help, whose start button opens the assessment in a direct message", async () => {
    fake.reset();
    expect((await slack.command("UMEMBER", TEAM, "")).status).toBe(200);
    const help = fake.responses.at(-1)!.body;
    expect(help.response_type).toBe("in_channel");
    expect(JSON.stringify(help.blocks)).toContain("/maturity setup");
    // The user clicks "Start my assessment" in the channel message.
    const posted = { channel: TEAM, ts: "1700000400.000100", text: help.text, blocks: help.blocks };
    fake.reset();
    await slack.click("UMEMBER", posted, findButton(help.blocks, /^start-assess$/));
    expect(fake.callsOf("chat.postMessage")[0]!.args.channel).toBe("DUMEMBER");
    expect(fake.responses.at(-1)!.body.response_type).toBe("ephemeral");
  });
});

describe("Slack: buttons where the bot is not a member", () => {
  it("answers a button in a conversation the bot cannot post in through the response_url", async () => {
    fake.reset();
    expect(
      (await slack.command("UMEMBER", "GGROUPDM", "roadmap 2", { channelName: "mpdm-member--lead-1" }))
        .status,
    ).toBe(200);
    const answer = fake.responses.at(-1)!.body;
    expect(answer.response_type).toBe("in_channel");
    const posted = { channel: "GGROUPDM", ts: "1700000500.000100", text: answer.text, blocks: answer.blocks };
    fake.reset();
    fake.fail("chat.postMessage", { error: "channel_not_found" });
    await slack.click("UMEMBER", posted, findButton(answer.blocks, /^ask-0$/));
    expect(fake.callsOf("chat.postMessage")).toHaveLength(1);
    const reply = fake.responses.at(-1)!.body;
    expect(reply.response_type).toBe("in_channel");
    expect(reply.replace_original).toBe(false);
  });
});

const membersOf = async (channel: string) => (await app.store.getTeam("T1", channel))?.members.sort();

const memberEvent = (
  type: "member_joined_channel" | "member_left_channel",
  channel: string,
  user: string,
) => ({
  type,
  channel,
  channel_type: "C",
  team: "T1",
  user,
});

/** What a user's App Home shows them now (the Home tab opened). */
const homeOf = async (user: string) => JSON.stringify((await slack.openHome(user)).blocks);

describe("Slack: channel membership", () => {
  it("adds people who join the team's channel and removes those who leave; bots never count", async () => {
    await slack.registerTeam("CMOVES", ["ULEAD", "UMEMBER"]);
    fake.bots.add("UNEWBOT");
    await slack.event(memberEvent("member_joined_channel", "CMOVES", "UNEWCOMER"));
    await slack.event(memberEvent("member_joined_channel", "CMOVES", "UNEWBOT"));
    await slack.event(memberEvent("member_joined_channel", "CMOVES", "UBOT"));
    expect(await membersOf("CMOVES")).toEqual(["ULEAD", "UMEMBER", "UNEWCOMER"]);
    await slack.event(memberEvent("member_left_channel", "CMOVES", "UMEMBER"));
    expect(await membersOf("CMOVES")).toEqual(["ULEAD", "UNEWCOMER"]);
    expect(await homeOf("UNEWCOMER")).toContain("#moves");
    expect(await homeOf("UNEWBOT")).toContain("You're not in a team yet");
  });
});

describe("Slack: a delivery that arrives twice is processed once", () => {
  it("answers a direct message once when Slack retries its delivery (same event_id, X-Slack-Retry-Num)", async () => {
    fake.reset();
    const event = dmMessage("how long does level 1 to 2 take?");
    const first = await slack.event(event, { eventId: "Ev0DMRETRY1" });
    const retry = await slack.event(event, { eventId: "Ev0DMRETRY1", retryNum: 1 });
    expect([first.status, retry.status]).toEqual([200, 200]);
    const answers = fake.callsOf("chat.postMessage");
    expect(answers).toHaveLength(1);
    expect(answers[0]!.args.channel).toBe("DUMEMBER");
    expect(answers[0]!.args.text).toContain("3-6 months");
    // The same words in a new message (a new event_id) are a new question, answered again.
    await slack.event(event, { eventId: "Ev0DMRETRY2" });
    expect(fake.callsOf("chat.postMessage")).toHaveLength(2);
  });

  it("answers a slash command delivered twice once", async () => {
    fake.reset();
    expect((await slack.command("UMEMBER", TEAM, "roadmap 2")).status).toBe(200);
    expect((await slack.repeat()).status).toBe(200);
    expect(fake.responses).toHaveLength(1);
    expect(JSON.stringify(fake.responses[0]!.body.blocks)).toContain("6-12 months");
  });

  it("answers a button click delivered twice once", async () => {
    await slack.event(dmMessage("how long does level 2 to 3 take?"));
    const answer = fake.lastMessageIn("DUMEMBER")!;
    fake.reset();
    expect((await slack.click("UMEMBER", answer, findButton(answer.blocks, /^ask-0$/))).status).toBe(200);
    expect((await slack.repeat()).status).toBe(200);
    const posts = fake.callsOf("chat.postMessage");
    expect(posts).toHaveLength(1);
    expect(posts[0]!.args.channel).toBe("DUMEMBER");
    expect(fake.responses).toEqual([]);
  });

  it("keeps a member who left out of the team when Slack retries the earlier join, and in when it retries a leave", async () => {
    await slack.registerTeam("CRETRY", ["ULEAD", "UMEMBER"]);
    const join = memberEvent("member_joined_channel", "CRETRY", "UJOINER");
    const leave = memberEvent("member_left_channel", "CRETRY", "UJOINER");
    await slack.event(join, { eventId: "Ev0JOIN01" });
    expect(await membersOf("CRETRY")).toEqual(["UJOINER", "ULEAD", "UMEMBER"]);
    await slack.event(leave, { eventId: "Ev0LEAVE01" });
    await slack.event(join, { eventId: "Ev0JOIN01", retryNum: 1 });
    expect(await membersOf("CRETRY")).toEqual(["ULEAD", "UMEMBER"]);
    expect(await homeOf("UJOINER")).toContain("You're not in a team yet");
    // Back in the channel; then a late retry of the old leave.
    await slack.event(join, { eventId: "Ev0JOIN02" });
    await slack.event(leave, { eventId: "Ev0LEAVE01", retryNum: 2 });
    expect(await membersOf("CRETRY")).toEqual(["UJOINER", "ULEAD", "UMEMBER"]);
    expect(await homeOf("UJOINER")).toContain("#retry");
  });
});

describe("Slack: App Home", () => {
  it("publishes the viewer's teams with level, progress and a start button", async () => {
    fake.reset();
    await slack.event({
      type: "app_home_opened",
      user: "ULEAD",
      channel: "DULEAD",
      tab: "home",
      event_ts: "1",
    });
    const publish = fake.callsOf("views.publish");
    expect(publish).toHaveLength(1);
    expect(publish[0]!.args.user_id).toBe("ULEAD");
    const view = publish[0]!.args.view;
    expect(view.type).toBe("home");
    expect(blockKitProblems(view.blocks, "view")).toEqual([]);
    const text = JSON.stringify(view.blocks);
    expect(text).toContain("#data");
    expect(text).toContain("you haven't started");
    expect(text).toContain("Start my assessment");
  });

  it("ignores the Messages tab", async () => {
    fake.reset();
    await slack.event({
      type: "app_home_opened",
      user: "ULEAD",
      channel: "DULEAD",
      tab: "messages",
      event_ts: "1",
    });
    expect(fake.callsOf("views.publish")).toHaveLength(0);
  });

  it("starts the assessment from App Home in a direct message", async () => {
    await slack.registerTeam("CHOME", ["USTARTER"]);
    const view = await slack.openHome("USTARTER");
    fake.reset();
    const res = await slack.clickHome("USTARTER", findButton(view.blocks, /^Start my assessment$/));
    expect(res.status).toBe(200);
    const post = fake.callsOf("chat.postMessage")[0]!.args;
    expect(post.channel).toBe("DUSTARTER");
    expect(post.text).toMatch(/^Question 1\/8/);
  });

  it("tells a user without a team how to set one up", async () => {
    fake.reset();
    await slack.event({
      type: "app_home_opened",
      user: "ULONER",
      channel: "DULONER",
      tab: "home",
      event_ts: "1",
    });
    expect(JSON.stringify(fake.callsOf("views.publish")[0]!.args.view.blocks)).toContain("/maturity setup");
  });
});

describe("Slack: what was sent", () => {
  it("sent only payloads within Block Kit's limits", () => {
    const payloads = fake.payloads();
    expect(payloads.length).toBeGreaterThan(10);
    for (const { where, surface, payload } of payloads) {
      const problems =
        surface === "view" ? blockKitProblems(payload.blocks, "view") : messageProblems(payload);
      expect(problems, where).toEqual([]);
    }
  });
});
