import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { type RunningApp, startApp } from "../support/app.js";
import { testPrefix } from "../support/redis.js";

const root = new URL("../../", import.meta.url).pathname;
const started: RunningApp[] = [];
afterAll(async () => {
  for (const app of started) await app.stop().catch(() => undefined);
});

async function play(app: RunningApp, body: Record<string, unknown>) {
  const res = await fetch(`${app.url}/playground/api/event`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as { replies: Reply[]; error?: string } };
}

interface Reply {
  pane: string;
  text: string;
  progress?: { current: number; total: number };
  blocks: { type: string; choices?: { id: string; label: string; value: unknown }[] }[];
}

const level = (reply: Reply, n: number) =>
  reply.blocks.flatMap((b) => b.choices ?? []).find((c) => c.label === `Level ${n}`)!;

describe("the HTTP surface", () => {
  /** The app the tests below share: none of them changes what another one reads. */
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp("http");
    started.push(app);
  });

  it("serves health, readiness, metrics and the playground page", async () => {
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready" });
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toContain("# TYPE maturity_bot_events_total counter");
    const page = await fetch(`${app.url}/`);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain("maturity-bot");
    expect((await fetch(`${app.url}/nope`)).status).toBe(404);
  });

  it("rejects malformed playground requests with a clear message", async () => {
    const json = { "content-type": "application/json" };
    const notJson = await fetch(`${app.url}/playground/api/event`, {
      method: "POST",
      headers: json,
      body: "{oops",
    });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ error: "send a JSON body" });
    const bad = await play(app, { user: "U-scientist", channel: "dm", type: "teleport" });
    expect(bad.status).toBe(400);
    const huge = await fetch(`${app.url}/playground/api/event`, {
      method: "POST",
      headers: json,
      body: "x".repeat(70_000),
    });
    expect(huge.status).toBe(413);
  });

  it("is not ready while Redis does not answer, and says so", async () => {
    const down = await startApp("noredis", { REDIS_URL: "redis://127.0.0.1:1" });
    started.push(down);
    const ready = await fetch(`${down.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: "unavailable", reason: "Redis does not answer" });
    expect((await fetch(`${down.url}/healthz`)).status).toBe(200);
    const { json } = await play(down, {
      user: "U-scientist",
      channel: "C-ml-platform",
      type: "command",
      name: "status",
    });
    expect(json.replies[0]!.text).toContain("I couldn't reach my storage just now. Nothing was lost");
  });

  it("resumes an assessment at the same question after a restart", async () => {
    const prefix = testPrefix("restart");
    const first = await startApp("restart", {}, { prefix });
    await play(first, { user: "U-engineer", channel: "C-ml-platform", type: "command", name: "setup" });
    let { json } = await play(first, { user: "U-engineer", channel: "dm", type: "command", name: "assess" });
    let question = json.replies.find((r) => r.progress)!;
    for (let i = 0; i < 3; i++) {
      const choice = level(question, 2);
      ({ json } = await play(first, {
        user: "U-engineer",
        channel: "dm",
        type: "action",
        actionId: choice.id,
        value: choice.value,
      }));
      question = json.replies[0]!;
    }
    expect(question.progress).toEqual({ current: 4, total: 8 });
    await first.close(); // a stop: keys stay

    const second = await startApp("restart", {}, { prefix });
    started.push(second);
    ({ json } = await play(second, { user: "U-engineer", channel: "dm", type: "command", name: "assess" }));
    const resumed = json.replies.find((r) => r.progress)!;
    expect(resumed.progress).toEqual({ current: 4, total: 8 });
    expect(resumed.blocks.map((b) => JSON.stringify(b)).join()).toContain(
      "Welcome back: picking up at question 4 of 8",
    );
    // The old message's button for question 4 still works too.
    const choice = level(question, 3);
    ({ json } = await play(second, {
      user: "U-engineer",
      channel: "dm",
      type: "action",
      actionId: choice.id,
      value: choice.value,
    }));
    expect(json.replies[0]!.progress).toEqual({ current: 5, total: 8 });
    const metrics = await (await fetch(`${second.url}/metrics`)).text();
    expect(metrics).toMatch(/maturity_bot_events_total\{platform="playground",type="command"\} 1/);
    expect(metrics).toMatch(/maturity_bot_event_seconds_count\{platform="playground"\} 2/);
  });
});

describe("configuration", () => {
  it("has working defaults and the playground outside production", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      redisUrl: "redis://127.0.0.1:6379",
      keyPrefix: "mb",
      role: "all",
      playground: true,
    });
    expect(config.slack).toBeUndefined();
  });

  it.each([
    [{ PORT: "http" }, /^PORT: /],
    [{ REDIS_URL: "localhost:6379" }, /^REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/],
    [{ KEY_PREFIX: "a:b" }, /^KEY_PREFIX: /],
    [{ ROLE: "both" }, /^ROLE: must be web, worker or all/],
    [{ NODE_ENV: "production" }, /^NODE_ENV: production needs a chat platform/],
    [{ SLACK_BOT_TOKEN: "xoxb-1" }, /^SLACK_SIGNING_SECRET: is required for Slack/],
    [{ SLACK_SIGNING_SECRET: "s" }, /^SLACK_BOT_TOKEN: is required for a single-workspace install/],
    [{ SLACK_SIGNING_SECRET: "s", SLACK_BOT_TOKEN: "token" }, /^SLACK_BOT_TOKEN: must be a bot token/],
    [
      { SLACK_SIGNING_SECRET: "s", SLACK_CLIENT_ID: "1" },
      /^SLACK_CLIENT_SECRET: multi-workspace install needs/,
    ],
    [{ MICROSOFT_APP_ID: "id" }, /^MICROSOFT_APP_PASSWORD: is required for Teams/],
    [
      { MICROSOFT_APP_ID: "id", MICROSOFT_APP_PASSWORD: "p", MICROSOFT_APP_TYPE: "SingleTenant" },
      /^MICROSOFT_APP_TENANT_ID/,
    ],
    [{ DEFAULT_TIMEZONE: "Mars/Olympus" }, /^DEFAULT_TIMEZONE: must be an IANA time zone/],
  ])("%j stops the start naming the variable", (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it("prints one line and exits when a variable is bad", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: root,
      env: { ...process.env, ROLE: "everything" },
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(run.status).toBe(78);
    expect(run.stderr.trim()).toBe("maturity-bot cannot start: ROLE: must be web, worker or all");
  });
});
