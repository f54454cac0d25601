import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOT_TOKEN, FakeSlack, findButton, SIGNING_SECRET, SlackSender } from "../../support/fake-slack.js";
import { cleanPrefix, connect, testPrefix } from "../../support/redis.js";

// The README's start command (npm start = node scripts/start.mjs: the built bot) serving Slack against a
// fake Web API.
const root = new URL("../../../", import.meta.url).pathname;
const prefix = testPrefix("slack-start");
let fake: FakeSlack;
let bot: ChildProcess;
let slack: SlackSender;
let output = "";

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  fake = await FakeSlack.start();
  output = "";
  fake.workspace(BOT_TOKEN, { teamId: "T1", botUserId: "UBOT", botId: "BBOT" });
  fake.channels.set("CSTART", ["ULEAD", "UBOT"]);
  const port = await freePort();
  bot = spawn(process.execPath, ["scripts/start.mjs"], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      KEY_PREFIX: prefix,
      LOG_LEVEL: "info",
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: fake.apiUrl,
    },
  });
  bot.stdout?.on("data", (d) => {
    output += String(d);
  });
  bot.stderr?.on("data", (d) => {
    output += String(d);
  });
  const url = `http://127.0.0.1:${port}`;
  // A shared, busy machine can take a while (a build first when dist/ is stale): wait up to a minute.
  for (let i = 0; i < 600 && !/listening/.test(output) && bot.exitCode === null; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  slack = new SlackSender(url, SIGNING_SECRET, fake);
}, 90_000);

afterAll(async () => {
  bot?.kill("SIGTERM");
  await new Promise((r) => bot?.once("exit", r));
  await fake?.close();
  const redis = connect();
  await cleanPrefix(redis, prefix);
  await redis.quit();
});

describe("npm start with Slack credentials", () => {
  it("starts, names Slack, and never logs a token", () => {
    expect(output).toMatch(/"message":"maturity-bot is listening".*"platforms":"Slack"/);
    expect(output).not.toContain(BOT_TOKEN);
    expect(output).not.toContain(SIGNING_SECRET);
  });

  it("serves /maturity setup and an assessment button click", async () => {
    expect((await slack.command("ULEAD", "CSTART", "setup")).status).toBe(200);
    await fake.waitFor(() => fake.responses.length > 0); // the ack comes first, the answer after
    const setup = fake.responses.at(-1)!;
    expect(JSON.stringify(setup.body)).toContain("is now a team with 1 member");
    expect((await slack.command("ULEAD", "CSTART", "assess")).status).toBe(200);
    for (let i = 0; i < 50 && !fake.lastMessageIn("DULEAD"); i++) await new Promise((r) => setTimeout(r, 50));
    const question = fake.lastMessageIn("DULEAD")!;
    expect(question.text).toMatch(/^Question 1\/8/);
    const answer = findButton(question.blocks, (b) => b.text.text === "Level 2");
    expect(answer.action_id.startsWith("answer")).toBe(true);
    expect(JSON.parse(answer.value)).toMatchObject({ level: 2 });
    expect((await slack.click("ULEAD", question, answer)).status).toBe(200);
    for (let i = 0; i < 50 && !/^Question 2\/8/.test(fake.lastMessageIn("DULEAD")!.text); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(fake.lastMessageIn("DULEAD")!.text).toMatch(/^Question 2\/8/);
  });
});
