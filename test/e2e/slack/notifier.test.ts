import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { levelChangeSummary, nudgeReply } from "../../../src/core/conversation/notices.js";
import type { Round, Team } from "../../../src/core/conversation/ports.js";
import { NotifyError } from "../../../src/core/notify.js";
import type { Comparison } from "../../../src/core/rounds/lifecycle.js";
import { type RunningApp, startApp } from "../../support/app.js";
import { messageProblems } from "../../support/block-kit.js";
import { TestClock } from "../../support/clock.js";
import { FakeSlack, SIGNING_SECRET, SlackSender } from "../../support/fake-slack.js";

/** The core's Notifier for Slack: messages the bot sends first, through the real app's wiring. */

let fake: FakeSlack;
let single: RunningApp;
let oauth: RunningApp;

const team: Team = {
  id: "CTEAM",
  tenant: "T1",
  platform: "slack",
  name: "ml-platform",
  timezone: "Europe/Berlin",
  leads: ["ULEAD"],
  members: ["ULEAD", "UMEMBER", "UMEMBER2"],
  createdAt: "2026-10-01T09:00:00.000Z",
  createdBy: "ULEAD",
};
const round: Round = {
  id: "2026-Q4",
  teamId: "CTEAM",
  cadence: "quarterly",
  openedAt: "2026-10-01T07:00:00.000Z",
  deadline: "2026-10-15T07:00:00.000Z",
  openedBy: "schedule",
  members: team.members,
};
const result = (level: number, score: number, band: "weak" | "developing" | "strong", lifecycle: number) => ({
  respondents: 3,
  members: 3,
  visible: true,
  level,
  score,
  band,
  components: [
    { id: "c1-experimentation", score, level },
    { id: "c3-lifecycle", score: lifecycle, level: Math.floor(lifecycle) },
  ],
  disagreements: [],
});
const comparison: Comparison = {
  teamId: "CTEAM",
  round: { id: "2026-Q4", label: "2026-Q4" },
  previous: { id: "2026-Q3", label: "2026-Q3", result: result(2, 2.2, "weak", 1.5) },
  current: result(3, 3.1, "developing", 3.5),
  comparable: true,
  levelChanged: true,
  bandChanged: true,
  direction: "up",
  moved: [
    { id: "c3-lifecycle", name: "Model lifecycle", before: 1.5, after: 3.5, delta: 2 },
    { id: "c1-experimentation", name: "Experimentation", before: 2.2, after: 3.1, delta: 0.9 },
  ],
  disagreements: [],
  participation: { respondents: 3, members: 3 },
};

beforeAll(async () => {
  fake = await FakeSlack.start();
  fake.workspace("xoxb-single", { teamId: "T1", botUserId: "UBOT", botId: "BBOT" });
  fake.workspace("xoxb-installed-T2", { teamId: "T2", botUserId: "UBOT2", botId: "BBOT2" });
  single = await startApp(
    "notify-single",
    { SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: "xoxb-single", SLACK_API_URL: fake.apiUrl },
    { clock: new TestClock() },
  );
  oauth = await startApp(
    "notify-oauth",
    {
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_CLIENT_ID: "111.222",
      SLACK_CLIENT_SECRET: "client-secret-value",
      SLACK_STATE_SECRET: "state-secret-value",
      SLACK_API_URL: fake.apiUrl,
      INSTALLATION_KEY: "k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    },
    { clock: new TestClock() },
  );
  // Install into workspace T2 the way an admin does: the install page, then Slack's redirect.
  const page = await fetch(`${oauth.url}/slack/install`);
  const state = new URL(
    /<a href="([^"]+)"/.exec(await page.text())![1]!.replace(/&amp;/g, "&"),
  ).searchParams.get("state")!;
  const cookie = page.headers.get("set-cookie")!.split(";")[0]!;
  const done = await fetch(`${oauth.url}/slack/oauth_redirect?code=c&state=${encodeURIComponent(state)}`, {
    headers: { cookie },
  });
  expect(done.status).toBe(200);
});

afterAll(async () => {
  await single?.stop();
  await oauth?.stop();
  await fake?.close();
});

describe("Slack metrics", () => {
  it("counts one /maturity help once", async () => {
    const sender = new SlackSender(single.url, SIGNING_SECRET, fake);
    const res = await sender.command("ULEAD", "CTEAM", "help");
    expect(res.status).toBe(200);
    await single.slack!.idle();
    const metrics = await (await fetch(`${single.url}/metrics`)).text();
    expect(metrics).toMatch(/maturity_bot_events_total\{platform="slack",type="command"\} 1\n/);
  });
});

describe("Slack Notifier", () => {
  it("sends a nudge as a direct message and a level-change summary to the channel (single workspace)", async () => {
    fake.reset();
    const notify = single.notifiers;
    await notify.send(
      { platform: "slack", tenant: "T1", to: { kind: "dm", user: "UMEMBER" } },
      nudgeReply(team, round, "UMEMBER"),
    );
    await notify.send(
      { platform: "slack", tenant: "T1", to: { kind: "channel", channel: "CTEAM" } },
      levelChangeSummary(single.engine.deps, team, comparison),
    );
    expect(fake.callsOf("conversations.open")[0]!.args.users).toBe("UMEMBER");
    const [nudge, summary] = fake.callsOf("chat.postMessage");
    expect(nudge!.token).toBe("xoxb-single");
    expect(nudge!.args.channel).toBe("DUMEMBER");
    expect(JSON.stringify(nudge!.args.blocks)).toMatch(/"action_id":"assess[^"]*"/);
    expect(summary!.args.channel).toBe("CTEAM");
    const text = JSON.stringify(summary!.args);
    expect(summary!.args.text).toContain("level 2 → level 3");
    expect(text).toContain("Model lifecycle");
    expect(text).toContain("Experimentation");
    expect(text).toContain("+2.0");
  });

  it("uses the OAuth installation's token for an installed workspace", async () => {
    fake.reset();
    await oauth.notifiers.send(
      { platform: "slack", tenant: "T2", to: { kind: "channel", channel: "CSECOND" } },
      levelChangeSummary(oauth.engine.deps, { ...team, id: "CSECOND", tenant: "T2" }, comparison),
    );
    const [post] = fake.callsOf("chat.postMessage");
    expect(post!.token).toBe("xoxb-installed-T2");
    expect(post!.args.channel).toBe("CSECOND");
    // A workspace that never installed the app: permanent, no retry can help.
    const missing = await oauth.notifiers
      .send(
        { platform: "slack", tenant: "T9", to: { kind: "dm", user: "U1" } },
        nudgeReply(team, round, "U1"),
      )
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotifyError);
    expect(missing).toMatchObject({ failure: "permanent", reason: "no_installation", retryable: false });
  });

  it("returns a 429 as a retryable error with its Retry-After, and a gone channel as permanent", async () => {
    fake.reset();
    fake.fail("chat.postMessage", { retryAfter: 7 });
    const limited = await single.notifiers
      .send(
        { platform: "slack", tenant: "T1", to: { kind: "channel", channel: "CTEAM" } },
        nudgeReply(team, round, "x"),
      )
      .catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(NotifyError);
    expect(limited).toMatchObject({ failure: "rate_limited", retryAfterMs: 7000, retryable: true });
    // The client did not wait and retry by itself: the queue decides.
    expect(fake.callsOf("chat.postMessage")).toHaveLength(1);

    fake.fail("chat.postMessage", { error: "channel_not_found" });
    const gone = await single.notifiers
      .send(
        { platform: "slack", tenant: "T1", to: { kind: "channel", channel: "CGONE" } },
        nudgeReply(team, round, "x"),
      )
      .catch((e: unknown) => e);
    expect(gone).toMatchObject({ failure: "permanent", reason: "channel_not_found", retryable: false });

    fake.fail("chat.postMessage", { status: 503 });
    const down = await single.notifiers
      .send(
        { platform: "slack", tenant: "T1", to: { kind: "channel", channel: "CTEAM" } },
        nudgeReply(team, round, "x"),
      )
      .catch((e: unknown) => e);
    expect(down).toMatchObject({ failure: "temporary", retryable: true });
  });

  it("keeps a long notification's text within Slack's documented 40,000 characters", async () => {
    fake.reset();
    const sentence = "Every team's level, score, band and trend for this quarter, with who moved. ";
    const long = sentence.repeat(Math.ceil(100_000 / sentence.length));
    await single.notifiers.send(
      { platform: "slack", tenant: "T1", to: { kind: "channel", channel: "CTEAM" } },
      { to: { kind: "channel", channel: "CTEAM" }, text: long, blocks: [{ type: "markdown", text: long }] },
    );
    const posts = fake.callsOf("chat.postMessage");
    expect(posts).toHaveLength(1);
    const { text } = posts[0]!.args;
    // Slack's documented limit for a message's text, written here rather than read from the renderer.
    expect(text.length).toBeLessThanOrEqual(40_000);
    expect(text.startsWith(sentence.trim())).toBe(true);
    expect(messageProblems(posts[0]!.args)).toEqual([]);
  });

  it("shares a picture into the channel with the external upload flow", async () => {
    fake.reset();
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    await single.notifiers.send(
      { platform: "slack", tenant: "T1", to: { kind: "channel", channel: "CDIGEST" } },
      {
        to: { kind: "channel", channel: "CDIGEST" },
        text: "Digest",
        blocks: [
          { type: "markdown", text: "Levels per team" },
          { type: "image", data: png, mime: "image/png", alt: "levels per team", title: "Levels 2026-Q4" },
        ],
      },
    );
    expect(fake.callsOf("files.getUploadURLExternal")[0]!.args).toMatchObject({ length: String(png.length) });
    expect(fake.callsOf("files.completeUploadExternal")[0]!.args.channel_id).toBe("CDIGEST");
    const shared = fake.shared.at(-1)!;
    expect(shared).toMatchObject({ channel: "CDIGEST", title: "Levels 2026-Q4" });
    expect(shared.bytes?.equals(png)).toBe(true);
  });
});
