import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../../support/app.js";
import { TestClock } from "../../support/clock.js";
import { FakeSlack, SETTLE_MS, SIGNING_SECRET, SlackSender } from "../../support/fake-slack.js";

/** Multi-workspace: the OAuth install stores the workspace's bot token in Redis; its events then use it. */

let fake: FakeSlack;
let app: RunningApp;
let slack: SlackSender;

beforeAll(async () => {
  fake = await FakeSlack.start();
  fake.workspace("xoxb-installed-T2", { teamId: "T2", botUserId: "UBOT2", botId: "BBOT2" });
  fake.channels.set("CSECOND", ["ULEAD2", "UBOT2"]);
  app = await startApp(
    "slack-oauth",
    {
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_CLIENT_ID: "111.222",
      SLACK_CLIENT_SECRET: "client-secret-value",
      SLACK_STATE_SECRET: "state-secret-value",
      SLACK_API_URL: fake.apiUrl,
      INSTALLATION_KEY: `k1:${Buffer.alloc(32, 7).toString("base64")}`,
    },
    { clock: new TestClock() },
  );
  slack = new SlackSender(app.url, SIGNING_SECRET, fake);
  slack.settle = () => app.slack?.idle(SETTLE_MS) ?? Promise.resolve();
  slack.teamId = "T2";
});

afterAll(async () => {
  await app?.stop();
  await fake?.close();
});

describe("Slack: multi-workspace install (OAuth)", () => {
  it("serves the install page, completes the OAuth redirect and stores the installation in Redis", async () => {
    const page = await fetch(`${app.url}/slack/install`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const link = /<a href="([^"]+)"/.exec(html)![1]!.replace(/&amp;/g, "&");
    const url = new URL(link);
    expect(url.searchParams.get("client_id")).toBe("111.222");
    expect(url.searchParams.get("scope")?.split(",")).toEqual(
      expect.arrayContaining(["commands", "chat:write", "im:write", "app_mentions:read"]),
    );
    const state = url.searchParams.get("state")!;
    const cookie = page.headers.get("set-cookie")!.split(";")[0]!;

    const done = await fetch(
      `${app.url}/slack/oauth_redirect?code=the-code&state=${encodeURIComponent(state)}`,
      {
        headers: { cookie },
      },
    );
    expect(done.status).toBe(200);
    expect(fake.callsOf("oauth.v2.access")[0]!.args.code).toBe("the-code");
    const stored = await app.redis.get(`${app.prefix}:install:team:T2`);
    expect(stored).not.toContain("xoxb-installed-T2");
    expect(JSON.parse(stored!)).toMatchObject({ sealed: 1, kid: "k1" });
  });

  it("rejects a redirect whose state is not from this browser session", async () => {
    const res = await fetch(`${app.url}/slack/oauth_redirect?code=x&state=forged`);
    expect(res.status).toBe(400);
  });

  it("answers the installed workspace with its own bot token", async () => {
    fake.reset();
    const res = await slack.command("ULEAD2", "CSECOND", "setup", { teamId: "T2" });
    expect(res.status).toBe(200);
    const members = fake.callsOf("conversations.members");
    expect(members.length).toBeGreaterThan(0);
    expect(members.every((c) => c.token === "xoxb-installed-T2")).toBe(true);
    expect((await app.store.getTeam("T2", "CSECOND"))?.members).toEqual(["ULEAD2"]);
    expect(fake.responses.at(-1)!.body.text).toContain("<@ULEAD2>");
  });

  it("ignores a workspace that never installed the app", async () => {
    fake.reset();
    const res = await slack.command("UX", "CX", "help", { teamId: "T404" });
    expect(res.status).toBe(200); // acknowledged, so Slack does not retry it

    expect(fake.responses).toEqual([]);
  });

  it("forgets a workspace that uninstalls the app", async () => {
    await slack.event({ type: "app_uninstalled", event_ts: "1" }, { teamId: "T2" });
    expect(await app.redis.get(`${app.prefix}:install:team:T2`)).toBeNull();
  });
});
