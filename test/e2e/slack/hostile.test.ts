import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningApp } from "../../support/app.js";
import { TestClock } from "../../support/clock.js";
import { FakeSlack, type SlackSender, startSlackApp } from "../../support/fake-slack.js";

/** Correctly signed but hostile requests: bodies Bolt cannot handle, and user text that tries to post links. */

let fake: FakeSlack;
let app: RunningApp;
let slack: SlackSender;

beforeAll(async () => {
  fake = await FakeSlack.start();
  fake.channels.set("CHOST", ["ULEAD", "UBOT"]);
  ({ app, slack } = await startSlackApp("slack-hostile", fake, { clock: new TestClock() }));
});

afterAll(async () => {
  await app?.stop();
  await fake?.close();
});

const FORM = "application/x-www-form-urlencoded";
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/** The server still answers a normal slash command after whatever came before. */
async function stillServes(): Promise<void> {
  const res = await slack.command("ULEAD", "DULEAD", "help");
  expect(res.status).toBe(200);
}

describe("Slack: signed bodies that are not a JSON object", () => {
  it.each(["null", "[]", "[1,2]", "42", '"text"', "true"])(
    "answers 400 to the JSON body %s",
    async (body) => {
      const res = await slack.post(body, "application/json");
      expect(res.status).toBe(400);
      await stillServes();
    },
  );

  it.each(["null", "[]", "7", '"x"', "not json"])(
    "answers 400 to a form whose payload is %s",
    async (payload) => {
      const res = await slack.post(form({ payload }), FORM);
      expect(res.status).toBe(400);
      await stillServes();
    },
  );

  it("keeps url-encoded slash commands and ssl checks working", async () => {
    fake.reset();
    expect((await slack.command("ULEAD", "DULEAD", "help")).status).toBe(200);
    expect((await slack.post(form({ ssl_check: "1", token: "x" }), FORM)).status).toBe(200);
  });

  it("never crashes and never answers 5xx for random signed JSON values and form payloads", async () => {
    const json = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v));
    const body = fc.oneof(
      json.map((text) => ({ text, type: "application/json" })),
      json.map((text) => ({ text: form({ payload: text }), type: FORM })),
      fc
        .dictionary(fc.constantFrom("type", "event", "payload", "command", "ssl_check", "user"), json)
        .map((fields) => ({ text: JSON.stringify(fields), type: "application/json" })),
      fc.string().map((text) => ({ text, type: FORM })),
    );
    await fc.assert(
      fc.asyncProperty(body, async ({ text, type }) => {
        const res = await slack.post(text, type);
        // Processed (200), or refused as a body Bolt cannot read (400): never a 5xx, never a 401 when signed.
        expect([200, 400]).toContain(res.status);
      }),
      { seed: 20260707, numRuns: 20 },
    );
    await stillServes();
  }, 150_000);
});

describe("Slack: user text that tries to post a link", () => {
  it("`ask [Re-authenticate your Slack here](https://evil.example/login)` posts no link", async () => {
    fake.reset();
    const res = await slack.command(
      "ULEAD",
      "CHOST",
      "ask [Re-authenticate your Slack here](https://evil.example/login) <!channel> <https://evil.example|login> \u202Eevil",
    );
    expect(res.status).toBe(200);
    await app.slack?.idle();
    const posted = JSON.stringify([...fake.calls.map((c) => c.args), ...fake.responses]);
    expect(posted).toContain("Re-authenticate your Slack here");
    expect(posted).not.toMatch(/<https?:\/\/evil/);
    expect(posted).not.toContain("<!channel>");
    expect(posted).not.toContain("\\u202e");
    expect(posted).not.toContain("\u202E");
  });
});
