import type { ChildProcess } from "node:child_process";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BotProcesses, botEnv, buildDist, exitOf, nudgesOf } from "../../support/bot-processes.js";
import { FakeConnector } from "../../support/fake-connector.js";
import { FakeSlack, findButton, SIGNING_SECRET, SlackSender } from "../../support/fake-slack.js";
import { freePort } from "../../support/processes.js";
import { cleanPrefix, REDIS_URL, testPrefix } from "../../support/redis.js";
import { LEAD, personalId, post, say } from "../teams/activities.js";

/**
 * SIGTERM, as a deployment or `docker stop` sends it, to real processes (`node dist/main.js`) while work
 * is in flight: a web process with a click's work after its ack and a Teams turn mid-request, a worker
 * with nudges on their way to Slack. Each must finish what it took on, close and exit with code 0 within
 * a bound; a process started after it carries on where it stopped.
 */

const prefix = testPrefix("shutdown");
const TEAM = "CSTOP";
const MEMBERS = ["UA", "UB", "UC", "UD"];
/**
 * From the release of the work in flight to the exit. main.ts gives up 10 s after SIGTERM (exit code 1);
 * closing takes tens of milliseconds once the work is done, unless something (a keep-alive connection)
 * holds it.
 */
const EXIT_BOUND_MS = 2500;
let fake: FakeSlack;
let connector: FakeConnector;
let slack: SlackSender;
let port: number;
const bots = new BotProcesses(() => ({
  ...botEnv({ port, redisUrl: REDIS_URL, prefix, token: "xoxb-shutdown", fake }),
  JOBS_LOCK_MS: "2000",
}));
let web: ChildProcess;
let worker: ChildProcess;

const until = (what: string, check: () => boolean | Promise<boolean>, timeoutMs?: number) =>
  bots.until(what, check, timeoutMs);

async function ready(): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200;
  } catch {
    return false;
  }
}

async function ok(request: Promise<{ status: number }>) {
  expect((await request).status).toBe(200);
}

const dm = (user: string) => fake.lastMessageIn(`D${user}`)!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  buildDist();
  fake = await FakeSlack.start();
  fake.workspace("xoxb-shutdown", { teamId: "T1", botUserId: "UBOT", botId: "BBOT" });
  fake.channels.set(TEAM, [...MEMBERS, "UBOT"]);
  connector = await FakeConnector.start();
  port = await freePort();
  slack = new SlackSender(`http://127.0.0.1:${port}`, SIGNING_SECRET, fake);
  // Slack gets its 200 before the work is done: wait for the work to reach the fake, as a user would.
  slack.settle = (before) => fake.quiet(before);
  web = bots.start("web");
  worker = bots.start("worker");
  await until("the web process", ready, 30_000);
  await ok(slack.command("UA", TEAM, "setup", { channelName: "stop" }));
}, 240_000);

afterAll(async () => {
  fake?.release();
  connector?.release();
  await bots.stopAll();
  const redis = new Redis(REDIS_URL);
  await cleanPrefix(redis, prefix);
  await redis.quit();
  await fake?.close();
  await connector?.close();
});

describe("SIGTERM to a web process with work in flight", () => {
  it("finishes the acknowledged click and the open Teams request, exits 0, and a new process resumes the assessment", async () => {
    await ok(slack.command("UA", TEAM, "assess"));
    const question = dm("UA");
    expect(question.text).toMatch(/^Question 1\/8/);

    // A click acknowledged to Slack whose reply hangs at Slack; a Teams turn whose reply hangs at the connector.
    fake.hold("chat.update");
    await ok(
      slack.click(
        "UA",
        question,
        findButton(question.blocks, (b) => b.text.text === "Level 2"),
      ),
    );
    await until("the click's update in flight", () => fake.held("chat.update") === 1);
    connector.hold();
    const teams = post(`http://127.0.0.1:${port}`, say(connector, LEAD, "how long does level 2 to 3 take?"));
    await until("the Teams reply in flight", () => connector.held() === 1);

    const exit = exitOf(web);
    const signalled = Date.now();
    web.kill("SIGTERM");
    await sleep(500);
    expect(web.exitCode).toBeNull(); // still finishing its work
    fake.release();
    connector.release();
    const released = Date.now();

    const answered = await teams;
    expect(answered.status).toBe(200);
    const reply = connector.conversation(personalId(LEAD)).at(-1);
    expect(JSON.stringify(reply?.activity)).toMatch(/month/);
    const { code, at } = await exit;
    expect(code).toBe(0);
    console.log(
      `web process: exit ${at - signalled} ms after SIGTERM, ${at - released} ms after its work was released`,
    );
    expect(at - released).toBeLessThan(EXIT_BOUND_MS);
    expect(dm("UA").ts).toBe(question.ts);
    expect(dm("UA").text).toMatch(/^Question 2\/8/);

    web = bots.start("web");
    await until("the web process again", ready, 30_000);
    await ok(slack.command("UA", TEAM, "assess"));
    expect(JSON.stringify(dm("UA").blocks)).toContain("Welcome back: picking up at question 2 of 8");
    expect(bots.output.join("")).not.toMatch(/"level":"error"/);
  }, 90_000);
});

describe("SIGTERM to a worker in the middle of a round's fan-out", () => {
  it("delivers the nudges it took, exits 0, and a new worker sends the rest: each member nudged exactly once", async () => {
    fake.hold("chat.postMessage", 1);
    await ok(slack.command("UA", TEAM, "round start"));
    await until("a nudge sent and more in flight", () => fake.held("chat.postMessage") >= 1);

    const exit = exitOf(worker);
    const signalled = Date.now();
    worker.kill("SIGTERM");
    await sleep(500);
    const inFlight = fake.held("chat.postMessage");
    fake.release();
    const released = Date.now();
    const { code, at } = await exit;
    expect(code).toBe(0);
    console.log(
      `worker: exit ${at - signalled} ms after SIGTERM, ${at - released} ms after its work was released`,
    );
    expect(at - released).toBeLessThan(EXIT_BOUND_MS);
    // What the stopping worker had taken on reached Slack before it exited.
    const delivered = MEMBERS.filter((m) => nudgesOf(fake, m).length === 1);
    expect(delivered.length).toBeGreaterThanOrEqual(1 + inFlight);

    worker = bots.start("worker");
    await until("every member nudged", () => MEMBERS.every((m) => nudgesOf(fake, m).length >= 1), 30_000);
    await sleep(3000); // longer than a job lock: a job left running would be run again now
    for (const m of MEMBERS) expect(nudgesOf(fake, m), m).toHaveLength(1);
  }, 90_000);
});
