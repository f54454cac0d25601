import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Outcome } from "../../src/core/conversation/context.js";
import type { Reply } from "../../src/core/reply.js";
import { type RunningApp, startApp, TestClock } from "../support/app.js";
import { FakeConnector } from "../support/fake-connector.js";
import { FakeSlack, SIGNING_SECRET, SlackSender } from "../support/fake-slack.js";
import { post, say } from "./teams/activities.js";

/**
 * One script of direct messages through all three front doors of one app (Slack's Events API, Teams'
 * Bot Framework activities, the playground's endpoint): the engine's reply models, recorded as each
 * adapter hands its event over, are the same but for how commands are typed.
 */

const SCRIPT = [
  "help",
  "how long does level 2 to 3 take?",
  "roadmap 2",
  "asses",
  "status",
  "what is the capital of France",
  "our models keep degrading, what do we do?",
];

let app: RunningApp;
let slackApi: FakeSlack;
let connector: FakeConnector;
let slack: SlackSender;
const recorded: { platform: string; replies: Reply[] }[] = [];

beforeAll(async () => {
  slackApi = await FakeSlack.start();
  connector = await FakeConnector.start();
  app = await startApp(
    "same-answers",
    {
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: "xoxb-test",
      SLACK_API_URL: slackApi.apiUrl,
      PLAYGROUND: "on",
    },
    { clock: new TestClock() },
  );
  slack = new SlackSender(app.url, SIGNING_SECRET, slackApi);
  const handle = app.engine.handle.bind(app.engine);
  app.engine.handle = async (input, options): Promise<Outcome> => {
    const outcome = await handle(input, options);
    recorded.push({ platform: input.platform, replies: outcome.replies });
    return outcome;
  };
});

afterAll(async () => {
  await app?.stop();
  await slackApi?.close();
  await connector?.close();
});

/**
 * The reply model with the platform's way of typing a command taken out. The notification preview
 * (`text`, cut at 300 characters) is compared on its first 200, since "/maturity " moves the cut.
 */
function comparable(replies: Reply[]): unknown {
  const plain = JSON.parse(JSON.stringify(replies).replaceAll("/maturity ", "")) as Reply[];
  return plain.map((r) => ({ ...r, text: r.text.slice(0, 200) }));
}

async function through(platform: "slack" | "teams" | "playground", text: string): Promise<Reply[]> {
  const before = recorded.length;
  if (platform === "slack") {
    const res = await slack.event({
      type: "message",
      channel_type: "im",
      channel: "DUSER",
      user: "UUSER",
      text,
      ts: `${Date.now() / 1000}`,
    });
    expect(res.status).toBe(200);
  } else if (platform === "teams") {
    const res = await post(
      app.url,
      say(connector, { id: "29:1user", name: "A User", userRole: "user" }, text),
    );
    expect(res.status).toBe(200);
  } else {
    const res = await fetch(`${app.url}/playground/api/event`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user: "U-analyst", channel: "dm", type: "message", text }),
    });
    expect(res.status).toBe(200);
  }
  const deadline = Date.now() + 5000;
  while (recorded.length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const found = recorded.slice(before).find((r) => r.platform === platform);
  expect(found, `${platform}: ${text}`).toBeDefined();
  return found!.replies;
}

describe("the same words get the same answers in Slack, Teams and the playground", () => {
  for (const text of SCRIPT) {
    it(text, async () => {
      const [s, t, p] = [
        await through("slack", text),
        await through("teams", text),
        await through("playground", text),
      ];
      expect(s.length).toBeGreaterThan(0);
      expect(comparable(t)).toEqual(comparable(p));
      expect(comparable(s)).toEqual(comparable(p));
    });
  }
});
