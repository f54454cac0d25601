import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../../src/observability/logger.js";
import { addDeadLetter, type RunningApp } from "../../support/app.js";
import { TestClock } from "../../support/clock.js";
import { FakeConnector } from "../../support/fake-connector.js";
import {
  BOT_TOKEN,
  FakeSlack,
  findButton,
  SIGNING_SECRET,
  type SlackSender,
  sign,
  startSlackApp,
} from "../../support/fake-slack.js";
import { logCapture } from "../../support/log-capture.js";
import { snapshotPrefix } from "../../support/redis.js";
import {
  botAddedToTeam,
  CHANNEL,
  cardOf,
  LEAD,
  MEMBER,
  MEMBER2,
  mention,
  personalId,
  post,
  say,
  submit,
  submitsOf,
  TEAM_ID,
  TENANT,
  textOf,
} from "../teams/activities.js";

/**
 * Who may do what: signatures, workspaces that try to reach another's data by crafting ids, lead-only
 * commands, and what user text can make the bot say (no pings, no links, no secrets).
 */

let fake: FakeSlack;
let connector: FakeConnector;
let app: RunningApp;
let slack: SlackSender;
const log = logCapture();
const TEAM = "CSEC";

beforeAll(async () => {
  fake = await FakeSlack.start();
  connector = await FakeConnector.start();
  fake.channels.set(TEAM, ["ULEAD", "UMEMBER", "UBOT"]);
  ({ app, slack } = await startSlackApp("security", fake, {
    clock: new TestClock(),
    logger: createLogger("debug", {}, false, { destination: log.destination }),
  }));
  expect((await slack.command("ULEAD", TEAM, "setup", { channelName: "sec" })).status).toBe(200);
  await app.slack?.idle();
});

afterAll(async () => {
  await app?.stop();
  await fake?.close();
  await connector?.close();
});

/** Everything the app sent to Slack since the last reset, as one string. */
function sent(): string {
  return JSON.stringify([...fake.calls.map((c) => c.args), ...fake.responses.map((r) => r.body)]);
}

async function command(user: string, channel: string, text: string, teamId?: string) {
  fake.reset();
  const res = await slack.command(user, channel, text, teamId ? { teamId } : {});
  expect(res.status).toBe(200);
  await app.slack?.idle();
  return sent();
}

describe("Slack request signatures", () => {
  const body = JSON.stringify({ type: "url_verification", challenge: "c" });
  const now = () => Math.floor(Date.now() / 1000);
  it.each([
    ["missing", { signature: "" }],
    ["wrong", { signature: sign("not-the-secret", now(), body) }],
    ["stale (6 minutes old)", { timestamp: now() - 360, signature: sign(SIGNING_SECRET, now() - 360, body) }],
    [
      "too far in the future (6 minutes)",
      { timestamp: now() + 360, signature: sign(SIGNING_SECRET, now() + 360, body) },
    ],
  ])("a %s signature gets 401", async (_name, options) => {
    const res = await slack.post(body, "application/json", options);
    expect(res.status).toBe(401);
  });

  it("a correct one is answered", async () => {
    const res = await slack.post(body, "application/json");
    expect(res.status).toBe(200);
    expect(res.body).toContain("c");
  });
});

describe("tenant isolation: another workspace crafting this team's ids", () => {
  let before: Record<string, unknown>;
  beforeAll(async () => {
    before = await snapshotPrefix(app.redis, app.prefix);
  });

  it.each(["status", "close", "round start", "remind", "digest now", "results open", "schedule monthly"])(
    "`%s` in CSEC from workspace T-EVIL reads and changes nothing of T1",
    async (text) => {
      const out = await command("ULEAD", TEAM, text, "T-EVIL");
      expect(out).not.toMatch(/#sec\b/);
      expect(out).not.toMatch(/level \d/i);
      const after = await snapshotPrefix(app.redis, app.prefix);
      const mine = (s: Record<string, unknown>) =>
        Object.fromEntries(Object.entries(s).filter(([k]) => k.includes("{T1}")));
      expect(mine(after)).toEqual(mine(before));
    },
  );
});

describe("tenant isolation in Teams: a user of another tenant naming this tenant's team, round and failures", () => {
  const EVE = { id: "29:1eve", name: "Eve Elsewhere", userRole: "owner" as const };
  const OTHER_TENANT = "0c0c0c0c-0000-4000-8000-0000000other";
  /** The same activity as if it came from another tenant: its tenant id in both places Teams puts it. */
  // biome-ignore lint/suspicious/noExplicitAny: activities as Teams sends them
  const fromOther = (activity: any) => ({
    ...activity,
    conversation: { ...activity.conversation, tenantId: OTHER_TENANT },
    channelData: { ...activity.channelData, tenant: { id: OTHER_TENANT } },
  });
  const mine = (s: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(s).filter(([k]) => k.includes(`{${encodeURIComponent(TENANT)}}`)));
  let before: Record<string, unknown>;
  let question: string;

  beforeAll(async () => {
    connector.rosters.set(TEAM_ID, [LEAD, MEMBER, MEMBER2]);
    expect((await post(app.url, botAddedToTeam(connector, LEAD))).status).toBe(200);
    expect((await post(app.url, say(connector, LEAD, "assess"))).status).toBe(200);
    const card = connector.conversation(personalId(LEAD)).at(-1)!;
    const level = submitsOf(cardOf(card.activity)).find((b) => b.title === "Level 2")!;
    expect((await post(app.url, submit(connector, LEAD, level.data, card.id))).status).toBe(200);
    question = (await app.store.getSession(TENANT, CHANNEL, "2026-Q4", LEAD.id))!.keys[1]!;
    await addDeadLetter(app, TENANT, "dl-tenant-a", "General");
    before = await snapshotPrefix(app.redis, app.prefix);
    expect(Object.keys(mine(before)).length).toBeGreaterThan(5);
  });

  const round = { t: CHANNEL, r: "2026-Q4" };
  it.each([
    ["status", { action: "status", t: CHANNEL }],
    ["roadmap", { action: "roadmap", t: CHANNEL, level: 2 }],
    ["assess", { action: "assess", mode: "full", t: CHANNEL }],
    ["results", { action: "results", ...round }],
    ["restart", { action: "restart", mode: "full", ...round }],
    ["answer-5", { action: "answer", level: 5, q: "__QUESTION__", ...round }],
    ["retry-dl-tenant-a", { action: "retry-failure", id: "dl-tenant-a" }],
  ])("a card submit %s naming this tenant's ids is refused and changes nothing", async (actionId, data) => {
    connector.reset();
    const value = { ...data, ...("q" in data ? { q: question } : {}), actionId };
    const res = await post(app.url, fromOther(submit(connector, EVE, value, "m-forged")));
    expect(res.status).toBeLessThan(300);
    const replies = connector.sends().map((r) => textOf(cardOf(r.activity)) || r.activity.text);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatch(/no longer exists|not a member|no finished assessment|only .*lead|admin/i);
    expect(replies[0]).not.toMatch(/ML Platform|General|Level \d|score/i);
    expect(mine(await snapshotPrefix(app.redis, app.prefix))).toEqual(mine(before));
  });

  it.each(["status", "close", "round start", "remind", "digest now", "results open", "failures"])(
    "`%s` said in a channel carrying this tenant's channel id is refused and changes nothing",
    async (text) => {
      connector.reset();
      const res = await post(app.url, fromOther(mention(connector, EVE, text)));
      expect(res.status).toBeLessThan(300);
      const replies = connector.sends().map((r) => textOf(cardOf(r.activity)) || r.activity.text);
      expect(replies.length).toBeGreaterThan(0);
      expect(replies.join("\n")).toMatch(/isn't a team|not a team|only .*lead|admin/i);
      expect(replies.join("\n")).not.toMatch(/ML Platform|General|Level \d|score|1 of 3/i);
      expect(mine(await snapshotPrefix(app.redis, app.prefix))).toEqual(mine(before));
    },
  );
});

describe("lead-only commands", () => {
  it.each([
    "close",
    "round start",
    "remind",
    "lead @UMEMBER",
    "results open",
    "schedule monthly",
    "digest here",
  ])("`%s` by a member who is not a lead is refused, naming the lead", async (text) => {
    const before = await snapshotPrefix(app.redis, app.prefix);
    const out = await command("UMEMBER", TEAM, text);
    expect(out).toMatch(/lead/);
    await app.slack?.idle();
    const after = await snapshotPrefix(app.redis, app.prefix);
    const state = (s: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(s).filter(([k]) => !k.includes(":delivery:")));
    expect(state(after)).toEqual(state(before));
  });
});

describe("buttons naming a team the clicking user is not a member of", () => {
  const OTHER = "CPRIVATE";
  const REFUSED = "You're not a member of #private, so that button does nothing for you.";

  beforeAll(async () => {
    fake.channels.set(OTHER, ["UOTHERLEAD", "UFORMER", "UBOT"]);
    expect((await slack.command("UOTHERLEAD", OTHER, "setup", { channelName: "private" })).status).toBe(200);
    await app.slack?.idle();
  });

  /** Every key of the other team (its record, rounds, sessions, tallies), with its value. */
  const otherTeamState = async () =>
    Object.fromEntries(
      Object.entries(await snapshotPrefix(app.redis, app.prefix)).filter(([k]) => k.includes(OTHER)),
    );

  /** A click, as Slack sends it, on a button of a message in the user's direct message. */
  async function clickInDm(user: string, actionId: string, value: Record<string, unknown>) {
    fake.reset();
    const message = { channel: `D${user}`, ts: "1700000900.000100", text: "x", blocks: [] };
    const button = {
      action_id: actionId,
      text: { type: "plain_text", text: "x" },
      value: JSON.stringify(value),
    };
    expect((await slack.click(user, message, button)).status).toBe(200);
    await app.slack?.idle();
  }

  it.each([
    ["assess", "assess-start", { action: "assess", mode: "full", t: OTHER }],
    ["status", "home-status-0", { action: "status", t: OTHER }],
    ["roadmap", "home-roadmap-0", { action: "roadmap", t: OTHER }],
    [
      "answer",
      "answer-3",
      { action: "answer", level: 3, q: "c1-technical-capability", t: OTHER, r: "2026-Q4" },
    ],
    ["skip", "skip", { action: "skip", q: "c1-technical-capability", t: OTHER, r: "2026-Q4" }],
    ["restart", "restart", { action: "restart", mode: "full", t: OTHER, r: "2026-Q4" }],
    ["results", "results", { action: "results", t: OTHER, r: "2026-Q4" }],
  ])(
    "a member of #sec clicking %s for #private is told so, and nothing of #private is read or stored",
    async (_name, actionId, value) => {
      const before = await otherTeamState();
      await clickInDm("UMEMBER", actionId, value);
      const notes = fake.responses.map((r) => r.body);
      expect(notes).toHaveLength(1);
      expect(notes[0]).toMatchObject({ response_type: "ephemeral", replace_original: false, text: REFUSED });
      // No question, status, roadmap or result of the other team reached the user.
      expect(fake.callsOf("chat.postMessage")).toEqual([]);
      expect(fake.callsOf("chat.update")).toEqual([]);
      expect(await otherTeamState()).toEqual(before);
      expect(await app.store.teamsOf("T1", "UMEMBER")).toHaveLength(1);
    },
  );

  it("a member who left #private cannot answer with the question still in their direct message", async () => {
    expect((await slack.command("UFORMER", OTHER, "assess")).status).toBe(200);
    await app.slack?.idle();
    const question = fake.lastMessageIn("DUFORMER")!;
    expect(question.text).toMatch(/^Question 1\/8/);
    await slack.event({
      type: "member_left_channel",
      channel: OTHER,
      channel_type: "C",
      team: "T1",
      user: "UFORMER",
    });
    await app.slack?.idle();
    const before = await otherTeamState();
    fake.reset();
    const level3 = findButton(question.blocks, (b) => b.text.text === "Level 3");
    expect((await slack.click("UFORMER", question, level3)).status).toBe(200);
    await app.slack?.idle();
    expect(fake.responses.map((r) => r.body.text)).toEqual([REFUSED]);
    expect(fake.callsOf("chat.update")).toEqual([]);
    expect(fake.lastMessageIn("DUFORMER")!.text).toMatch(/^Question 1\/8/);
    expect(await otherTeamState()).toEqual(before);
    const session = await app.store.getSession("T1", OTHER, "2026-Q4", "UFORMER");
    expect(session?.answers).toEqual({});
  });
});

describe("user text never pings, links or marks up", () => {
  const hostile =
    "<!channel> <!here> <!everyone> @everyone <@U123> <https://evil.example|log in> [x](https://evil.example) *bold* <b>b</b>";

  it("Slack: ask and an unknown command echo nothing that pings or links", async () => {
    for (const text of [`ask ${hostile}`, hostile, `roadmap ${hostile}`]) {
      const out = await command("UMEMBER", TEAM, text);
      expect(out.length).toBeGreaterThan(20);
      expect(out).not.toMatch(/<!channel>|<!here>|<!everyone>|<@U123>|<https:\/\/evil/);
      expect(out).not.toMatch(/\]\(https:\/\/evil/);
    }
  });

  it("Teams: what a user says comes back without <at> mentions or links", async () => {
    connector.reset();
    const text = `ask <at>Everyone</at> @everyone [log in](https://evil.example) <a href="https://evil.example">x</a>`;
    const res = await post(app.url, say(connector, MEMBER, text));
    expect(res.status).toBe(200);
    const replies = JSON.stringify(connector.sends().map((r) => r.activity));
    expect(replies.length).toBeGreaterThan(20);
    expect(replies).not.toMatch(/<at>/i);
    // No markdown link or HTML anchor survives: brackets escaped, tags shown as text.
    expect(replies).toContain("log in");
    expect(replies).not.toMatch(/[^\\]\]\(https:\/\/evil/);
    expect(replies).not.toMatch(/<a href/);
  });
});

describe("Teams, in a channel: user text and a channel's name never ping, link or mark up", () => {
  const HOSTILE = `<at>Everyone</at> @everyone <!channel> [log in](https://evil.example) <a href="https://evil.example">x</a> <!-- hidden --> **loud**`;
  /** As Teams puts typed text in an activity: HTML, so what the user typed as markup arrives encoded. */
  const typed = HOSTILE.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const WHERE = "19:channel-hostile@thread.tacv2";
  // biome-ignore lint/suspicious/noExplicitAny: activities as Teams sends them
  const named = (activity: any) => ({
    ...activity,
    channelData: { ...activity.channelData, channel: { id: WHERE, name: HOSTILE } },
  });

  it("setup, status, ask and a refused close: every reply, in the channel and in the personal chat, shows the text as typed", async () => {
    connector.reset();
    connector.rosters.set(TEAM_ID, [LEAD, MEMBER, MEMBER2]);
    for (const [who, text] of [
      [MEMBER, "setup"],
      [MEMBER, "status"],
      [MEMBER, `ask ${typed}`],
      [MEMBER2, "close"],
    ] as const) {
      const res = await post(app.url, named(mention(connector, who, text, WHERE)));
      expect(res.status, text).toBeLessThan(300);
    }
    const sends = connector.sends();
    const inChannel = sends.filter((r) => r.conversationId.startsWith(WHERE));
    expect(inChannel.length).toBeGreaterThanOrEqual(3);
    // Carol's refused close, naming the team, goes to her personal chat.
    expect(sends.filter((r) => r.conversationId === personalId(MEMBER2))).toHaveLength(1);
    const everything = JSON.stringify(sends.map((r) => r.activity));
    // Echoed, escaped: the channel's name (the team's), and the question.
    expect(everything).toContain("&lt;at&gt;Everyone&lt;/at&gt;");
    expect(everything).toContain("#atEveryone/at @everyone !channel log in");
    for (const r of sends) {
      const activity = JSON.stringify(r.activity);
      expect(activity).not.toMatch(/<at>Everyone|<!channel>|<a href|<!--/i);
      // No link whose text hides where it goes (a bare address may show as a link to itself, as in any chat).
      expect(activity).not.toMatch(/(^|[^\\])\[(?!https:\/\/evil)[^[\]]*\]\(https:\/\/evil/);
      const mentions = r.activity.attachments?.[0]?.content?.msteams?.entities ?? [];
      for (const m of mentions) expect(m.mentioned.id).toBe(MEMBER.id);
    }
  });
});

describe("secrets", () => {
  it("no token or signing secret in any log line or anything sent", async () => {
    await command("UMEMBER", TEAM, "help");
    const everything = `${log.text()}\n${JSON.stringify(fake.payloads())}`;
    expect(log.lines.length).toBeGreaterThan(5);
    expect(everything).not.toContain(BOT_TOKEN);
    expect(everything).not.toContain(SIGNING_SECRET);
  });
});
