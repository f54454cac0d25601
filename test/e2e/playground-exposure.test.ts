import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { type RunningApp, startApp } from "../support/app.js";
import { FakeSlack, SIGNING_SECRET, startSlackApp } from "../support/fake-slack.js";

/** Who can reach the playground: only without a platform (or when asked for), on loopback, same origin. */

const started: RunningApp[] = [];
const fakes: FakeSlack[] = [];
afterAll(async () => {
  for (const app of started) await app.stop().catch(() => undefined);
  for (const fake of fakes) await fake.close().catch(() => undefined);
});

const SLACK = { SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: "xoxb-test-1-bot-token" };
const EVENT = JSON.stringify({ user: "U-scientist", channel: "dm", type: "command", name: "help" });

function post(app: RunningApp, headers: Record<string, string>, body = EVENT) {
  return fetch(`${app.url}/playground/api/event`, { method: "POST", headers, body });
}

describe("when the playground is served", () => {
  it.each([
    [{}, true, "127.0.0.1"],
    [{ PLAYGROUND: "off" }, false, undefined],
    [SLACK, false, undefined],
    [{ ...SLACK, PLAYGROUND: "on" }, true, "127.0.0.1"],
    [{ ...SLACK, HOST: "0.0.0.0" }, false, "0.0.0.0"],
    [{ PLAYGROUND: "on", HOST: "::" }, true, "::"],
    [{ ...SLACK, NODE_ENV: "production" }, false, undefined],
  ])("%j: playground %s, listening on %s", (env, playground, host) => {
    const config = loadConfig(env);
    expect(config.playground).toBe(playground);
    expect(config.host).toBe(host);
  });

  it.each([
    [{ PLAYGROUND: "sometimes" }, /^PLAYGROUND: must be auto, on or off/],
    [{ ...SLACK, NODE_ENV: "production", PLAYGROUND: "on" }, /^PLAYGROUND: .*production/],
  ])("%j stops the start naming the variable", (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it("is not served next to a configured Slack app", async () => {
    const fake = await FakeSlack.start();
    fakes.push(fake);
    const { app } = await startSlackApp("exposure-slack", fake);
    started.push(app);
    expect((await fetch(`${app.url}/`)).status).toBe(404);
    expect((await post(app, { "content-type": "application/json" })).status).toBe(404);
  });
});

describe("the playground's POST endpoint", () => {
  it("answers a same-origin JSON request", async () => {
    const app = await startApp("exposure");
    started.push(app);
    const res = await post(app, {
      "content-type": "application/json",
      origin: app.url,
      "sec-fetch-site": "same-origin",
    });
    expect(res.status).toBe(200);
  });

  it("refuses a cross-site text/plain form post (no CORS preflight) with 415", async () => {
    const app = started.at(-1)!;
    const res = await post(app, { "content-type": "text/plain", origin: "https://evil.example" });
    expect(res.status).toBe(415);
    expect(await res.json()).toEqual({ error: "send content-type: application/json" });
    expect((await post(app, {})).status).toBe(415);
  });

  it("refuses a cross-site JSON request with 403", async () => {
    const app = started.at(-1)!;
    const json = { "content-type": "application/json; charset=utf-8" };
    expect((await post(app, { ...json, origin: "https://evil.example" })).status).toBe(403);
    expect((await post(app, { ...json, "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await post(app, { ...json, "sec-fetch-site": "same-site", origin: app.url })).status).toBe(403);
    expect((await post(app, { ...json, origin: "null" })).status).toBe(403);
  });
});
