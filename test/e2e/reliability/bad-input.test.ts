import { connect as netConnect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../../src/observability/logger.js";
import type { RunningApp } from "../../support/app.js";
import { TestClock } from "../../support/clock.js";
import { FakeConnector } from "../../support/fake-connector.js";
import { FakeSlack, findButton, type SlackSender, startSlackApp } from "../../support/fake-slack.js";
import { logCapture } from "../../support/log-capture.js";
import { snapshotPrefix } from "../../support/redis.js";
import { LEAD, post as postActivity, say, submit } from "../teams/activities.js";

/**
 * Bad input on every endpoint of one running app (Slack, Teams and the playground all served): each gets a
 * clear 4xx or a logged rejection, the server keeps serving, and the app's Redis keys (values included)
 * are exactly what they were before.
 */

let fake: FakeSlack;
let connector: FakeConnector;
let app: RunningApp;
let slack: SlackSender;
const log = logCapture();
const TEAM = "CBAD";

/** Snapshot without delivery markers: those only record that a platform delivery id was seen. */
async function state() {
  const all = await snapshotPrefix(app.redis, app.prefix);
  return Object.fromEntries(Object.entries(all).filter(([key]) => !key.includes(":delivery:")));
}

let before: Record<string, unknown>;

beforeAll(async () => {
  fake = await FakeSlack.start();
  connector = await FakeConnector.start();
  fake.channels.set(TEAM, ["ULEAD", "UMEMBER", "UBOT"]);
  ({ app, slack } = await startSlackApp("bad-input", fake, {
    clock: new TestClock(),
    env: { PLAYGROUND: "on" },
    logger: createLogger("debug", {}, false, { destination: log.destination }),
  }));
  // Something to protect: a team, an assessment in progress, a Teams user's reference.
  expect((await slack.command("ULEAD", TEAM, "setup", { channelName: "bad" })).status).toBe(200);
  expect((await slack.command("ULEAD", "DULEAD", "assess")).status).toBe(200);
  await app.slack?.idle();
  await fake.waitFor(() => /^Question 1\//.test(fake.lastMessageIn("DULEAD")?.text ?? ""));
  expect((await postActivity(app.url, say(connector, LEAD, "help"))).status).toBe(200);
  before = await state();
  expect(Object.keys(before).length).toBeGreaterThan(3);
});

afterAll(async () => {
  await app?.stop();
  await fake?.close();
  await connector?.close();
});

/** After each bad request: still serving, nothing stored. */
async function unchanged() {
  await app.slack?.idle();
  expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  expect((await slack.command("UMEMBER", "DUMEMBER", "help")).status).toBe(200);
  await app.slack?.idle();
  expect(await state()).toEqual(before);
}

const FORM = "application/x-www-form-urlencoded";
const ONE_MIB = 1024 * 1024;

/** Sends headers announcing `declared` bytes and then as much as the server reads; the status it answered. */
function oversized(path: string, contentType: string, extra: Record<string, string> = {}) {
  return new Promise<{ status: number; sentBytes: number; closed: boolean }>((resolve, reject) => {
    const url = new URL(app.url);
    const declared = 50 * ONE_MIB;
    const socket = netConnect(Number(url.port), url.hostname);
    let sent = 0;
    let answer = "";
    const chunk = Buffer.alloc(64 * 1024, "a");
    const timer = setTimeout(() => reject(new Error(`no answer after ${sent} bytes`)), 10_000);
    socket.on("connect", () => {
      const head = Object.entries({ "content-type": contentType, ...extra })
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join("");
      socket.write(
        `POST ${path} HTTP/1.1\r\nhost: ${url.host}\r\n${head}content-length: ${declared}\r\n\r\n`,
      );
      const pump = () => {
        while (sent < 2 * ONE_MIB && !answer && !socket.destroyed) {
          sent += chunk.length;
          if (!socket.write(chunk)) return void socket.once("drain", pump);
        }
      };
      pump();
    });
    socket.on("data", (d) => {
      answer += d.toString();
    });
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearTimeout(timer);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
      resolve({ status, sentBytes: sent, closed: true });
    });
  });
}

describe("bodies over 1 MiB", () => {
  it.each([
    ["/slack/events", "application/json"],
    ["/slack/events", FORM],
    ["/api/messages", "application/json"],
    ["/playground/api/event", "application/json"],
  ])("%s (%s) answers 413 and closes the connection without reading the rest", async (path, type) => {
    const res = await oversized(path, type);
    expect(res.status).toBe(413);
    expect(res.closed).toBe(true);
    // 50 MiB announced; the server stopped long before (at most what the socket buffers held).
    expect(res.sentBytes).toBeLessThanOrEqual(2 * ONE_MIB);
    await unchanged();
  });

  it("refuses a chunked Slack body that grows past 1 MiB with 413", async () => {
    const big = JSON.stringify({
      type: "event_callback",
      event: { type: "message", text: "x".repeat(ONE_MIB) },
    });
    const res = await slack.post(big, "application/json");
    expect(res.status).toBe(413);
    await unchanged();
  });
});

describe("/slack/events: signed but malformed or unknown", () => {
  it.each([
    ["malformed JSON", '{"type":', "application/json", 400],
    ["a form whose payload is broken JSON", "payload=%7B%22type%22", FORM, 400],
    ["a form with a bad percent escape", "payload=%ZZ%7B", FORM, 400],
    ["an empty JSON body", "", "application/json", 400],
  ])("%s is refused with a clear status", async (_name, body, type, status) => {
    const res = await slack.post(body, type);
    expect(res.status).toBe(status);
    await unchanged();
  });

  it("an unknown event type is acknowledged and ignored", async () => {
    fake.reset();
    const res = await slack.event({ type: "reaction_added", user: "ULEAD", reaction: "fire" });
    expect(res.status).toBe(200);
    await unchanged();
    expect(fake.calls.filter((c) => c.method.startsWith("chat."))).toEqual([]);
  });

  it.each([
    ["an unknown action id", { action_id: "self_destruct", value: '{"level":3}' }],
    ["an answer without a value", { action_id: "answer", value: undefined }],
    ["an answer whose level is a string", { action_id: "answer", value: '{"level":"3"}' }],
    ["an answer whose level is out of range", { action_id: "answer", value: '{"level":9}' }],
    [
      "an answer naming another workspace's team and round",
      { action_id: "answer", value: '{"level":3,"t":"C-OTHER","r":"2026-Q4"}' },
    ],
  ])("%s changes nothing and tells the user", async (_name, button) => {
    fake.reset();
    const message = fake.lastMessageIn("DULEAD")!;
    const res = await slack.click("UMEMBER", message, {
      type: "button",
      text: { type: "plain_text", text: "x" },
      ...button,
    });
    expect(res.status).toBe(200);
    await unchanged();
  });

  it("a click from another workspace on the lead's question answers nothing", async () => {
    const message = fake.lastMessageIn("DULEAD")!;
    const button = findButton(message.blocks, (b) => b.text.text === "Level 3");
    const res = await slack.click("ULEAD", message, button, { teamId: "T-OTHER" });
    expect(res.status).toBe(200);
    await unchanged();
    expect(fake.lastMessageIn("DULEAD")!.text).toMatch(/^Question 1\//);
  });

  it.each([
    ["block_actions without a user", { type: "block_actions", actions: [] }, 400],
    [
      "block_actions whose user is a number",
      { type: "block_actions", user: 5, actions: [{ action_id: "answer" }] },
      200,
    ],
    [
      "block_actions whose actions is a string",
      { type: "block_actions", user: { id: "UMEMBER" }, actions: "answer" },
      200,
    ],
    ["an unknown interaction type", { type: "dialog_submission", user: { id: "UMEMBER" } }, 200],
  ])("%s is refused or ignored", async (_name, payload, status) => {
    const res = await slack.post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), FORM);
    expect(res.status).toBe(status);
    expect(res.ms).toBeLessThan(2500); // not left to time out (Slack would retry)
    await unchanged();
  });

  it("a slash command without a user or with a huge text is answered or refused, never stored", async () => {
    const form = new URLSearchParams({
      command: "/maturity",
      text: "setup",
      team_id: "T1",
      channel_id: "CNEW",
    });
    expect((await slack.post(form.toString(), FORM)).status).toBe(200);
    const res = await slack.command("UMEMBER", "CNEW2", `ask ${"a".repeat(200_000)}`);
    expect(res.status).toBe(200);
    await unchanged();
  });
});

describe("/api/messages: malformed activities", () => {
  const post = (body: unknown, headers: Record<string, string> = {}) => postActivity(app.url, body, headers);
  it.each([
    ["malformed JSON", () => '{"type":'],
    ["a JSON array", () => "[]"],
    ["null", () => "null"],
    [
      "an activity without a conversation",
      () => JSON.stringify({ type: "message", text: "hi", from: { id: "29:x" } }),
    ],
    [
      "an activity whose text is an object",
      () => JSON.stringify({ ...say(connector, LEAD, "hi"), text: { a: 1 } }),
    ],
    [
      "an activity whose from is a string",
      () => JSON.stringify({ ...say(connector, LEAD, "hi"), from: "29:x" }),
    ],
  ])("%s gets 400 with a reason", async (_name, body) => {
    const res = await post(body());
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/\w/);
    await unchanged();
  });

  it("a non-JSON content type gets 415", async () => {
    const res = await fetch(`${app.url}/api/messages`, { method: "POST", body: "type=message" });
    expect(res.status).toBe(415);
    await unchanged();
  });

  it("an unknown activity type is acknowledged and ignored", async () => {
    const res = await post({
      ...say(connector, LEAD, "hi"),
      type: "invoke-something-else",
      text: undefined,
    });
    expect(res.status).toBe(200);
    await unchanged();
  });

  it.each([
    ["an unknown action", { action: "self_destruct" }],
    ["an answer without a level", { action: "answer" }],
    ["an answer whose level is a string", { action: "answer", level: "3" }],
    [
      "an answer naming another tenant's team and round",
      { action: "answer", level: 3, t: "CBAD", r: "2026-Q4" },
    ],
  ])("a card submit with %s changes nothing", async (_name, data) => {
    const res = await post(submit(connector, LEAD, data, "1700000000999"));
    expect(res.status).toBe(200);
    await unchanged();
  });
});

describe("/playground/api/event", () => {
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${app.url}/playground/api/event`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });
  it.each([
    ["malformed JSON", '{"user":', 400],
    ["a missing user", JSON.stringify({ channel: "dm", type: "command", name: "help" }), 400],
    ["a wrong-typed user", JSON.stringify({ user: 5, channel: "dm", type: "command" }), 400],
    ["an unknown event type", JSON.stringify({ user: "U-scientist", channel: "dm", type: "explode" }), 400],
    [
      "a huge text",
      JSON.stringify({ user: "U-scientist", channel: "dm", type: "message", text: "a".repeat(5000) }),
      400,
    ],
  ])("%s is refused with a clear status", async (_name, body, status) => {
    const res = await post(body);
    expect(res.status).toBe(status);
    expect((await res.json()).error).toMatch(/\w/);
    await unchanged();
  });

  it("refuses a cross-site request with 403", async () => {
    const res = await post(
      JSON.stringify({ user: "U-scientist", channel: "dm", type: "command", name: "setup" }),
      {
        origin: "https://evil.example",
      },
    );
    expect(res.status).toBe(403);
    await unchanged();
  });
});

describe("health and metrics", () => {
  it.each(["/healthz", "/readyz", "/metrics"])(
    "%s answers GET, refuses other methods and bodies",
    async (path) => {
      expect((await fetch(`${app.url}${path}?x=${"%00".repeat(100)}`)).status).toBe(200);
      const posted = await fetch(`${app.url}${path}`, { method: "POST", body: '{"a":' });
      expect(posted.status).toBe(404);
      expect((await fetch(`${app.url}${path}`, { method: "DELETE" })).status).toBe(404);
      await unchanged();
    },
  );

  it("keeps unknown paths in one metric label", async () => {
    for (let i = 0; i < 5; i++) expect((await fetch(`${app.url}/scan-${i}`)).status).toBe(404);
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).not.toContain("scan-");
    expect(metrics).toContain('route="unmatched"');
  });
});

describe("what was logged", () => {
  it("logged the rejected Slack bodies, and no secret", () => {
    const text = log.text();
    expect(
      log.lines.some((l) => l.message === "Slack request could not be processed" || l.status === 400),
    ).toBe(true);
    expect(text).not.toContain("xoxb-test-1-bot-token");
    expect(text).not.toContain("8f742231b10e8888abcd99yyyzzz85a5");
  });
});
