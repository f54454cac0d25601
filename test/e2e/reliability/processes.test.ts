import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BotProcesses, botEnv, buildDist, nudgesOf, startButton } from "../../support/bot-processes.js";
import {
  FakeSlack,
  findButton,
  SIGNING_SECRET,
  SlackSender,
  type StoredMessage,
} from "../../support/fake-slack.js";
import { freePort, type OwnRedis, startOwnRedis, stopProcess } from "../../support/processes.js";
import { testPrefix } from "../../support/redis.js";

/**
 * Faults on the real processes (`node dist/main.js` with ROLE=web and ROLE=worker) against a Redis of the
 * test's own with append-only persistence: the web process killed mid-assessment, Redis killed during
 * traffic, a worker killed mid-fan-out. What members see is counted at a fake Slack Web API.
 */

const prefix = testPrefix("faults-proc");
const TEAM = "CFAULTS";
const MEMBERS = ["UA", "UB", "UC", "UD", "UE", "UF"];
const dataDir = mkdtempSync(path.join(tmpdir(), "mb-faults-"));
let fake: FakeSlack;
let slack: SlackSender;
let redis: OwnRedis;
let redisPort: number;
let port: number;
const bots = new BotProcesses(() => ({
  ...botEnv({ port, redisUrl: redis.url, prefix, token: "xoxb-faults", fake }),
  JOBS_LOCK_MS: "2000",
}));
const start = (role: "web" | "worker") => bots.start(role);

async function readyz(): Promise<number> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(3000) })).status;
  } catch {
    return 0;
  }
}

const until = (what: string, check: () => boolean | Promise<boolean>, timeoutMs?: number) =>
  bots.until(what, check, timeoutMs);

async function ok(request: Promise<{ status: number }>) {
  expect((await request).status).toBe(200);
}

const dm = (user: string) => fake.lastMessageIn(`D${user}`);
const nudges = (user: string) => nudgesOf(fake, user);
const questionNumber = (user: string) => Number(/^Question (\d+)\//.exec(dm(user)?.text ?? "")?.[1] ?? 0);
const levelButton = (m: StoredMessage, level: number) =>
  findButton(m.blocks, (b) => b.text.text === `Level ${level}`);

/** Clicks the nudge's start button and waits for question 1. */
async function begin(user: string) {
  const { nudge, button } = startButton(fake, user);
  await ok(slack.click(user, nudge, button));
  await until(`${user}'s first question`, () => questionNumber(user) === 1);
}

/** Answers the question on screen with a level; resolves when the next question (or result) is shown. */
async function answerOne(user: string, level: number) {
  const now = questionNumber(user);
  await ok(slack.click(user, dm(user)!, levelButton(dm(user)!, level)));
  await until(`${user} past question ${now}`, () => questionNumber(user) !== now);
}

let web: ChildProcess;
let worker: ChildProcess;

beforeAll(async () => {
  buildDist();
  redisPort = await freePort();
  redis = await startOwnRedis(redisPort, { appendOnlyDir: dataDir });
  fake = await FakeSlack.start();
  fake.workspace("xoxb-faults", { teamId: "T1", botUserId: "UBOT", botId: "BBOT" });
  fake.channels.set(TEAM, [...MEMBERS, "UBOT"]);
  port = await freePort();
  slack = new SlackSender(`http://127.0.0.1:${port}`, SIGNING_SECRET, fake);
  // Slack gets its 200 before the work is done: wait for the work to reach the fake, as a user would.
  slack.settle = (before) => fake.quiet(before);
  web = start("web");
  worker = start("worker");
  await until("the web process", async () => (await readyz()) === 200, 30_000);
  await ok(slack.command("UA", TEAM, "setup", { channelName: "faults" }));
}, 240_000);

afterAll(async () => {
  await bots.stopAll();
  await redis?.stop();
  await fake?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("a worker SIGKILLed in the middle of a round's fan-out", () => {
  it("delivers every member's nudge exactly once after another worker recovers the stalled jobs", async () => {
    // Two nudges go through, the rest hang in flight at Slack: then the only worker dies.
    fake.hold("chat.postMessage", 2);
    await ok(slack.command("UA", TEAM, "round start"));
    await until("two nudges sent and one in flight", () => fake.held("chat.postMessage") >= 1);
    expect(MEMBERS.filter((m) => nudges(m).length === 1)).toHaveLength(2);
    await stopProcess(worker, "SIGKILL");
    await new Promise((r) => setTimeout(r, 300)); // the fake sees the dead worker's connections close
    fake.release(); // what the dead worker had in flight never reached Slack
    worker = start("worker");
    await until("every member nudged", () => MEMBERS.every((m) => nudges(m).length >= 1), 30_000);
    await new Promise((r) => setTimeout(r, 3000)); // longer than a lock: a stalled job would run again
    for (const m of MEMBERS) expect(nudges(m), m).toHaveLength(1);
  }, 60_000);
});

describe("the web process SIGKILLed mid-assessment", () => {
  it("resumes at the next unanswered question after a restart, nothing lost or doubled", async () => {
    await begin("UA");
    for (const level of [1, 2, 3]) await answerOne("UA", level);
    expect(questionNumber("UA")).toBe(4);
    await stopProcess(web, "SIGKILL");
    web = start("web");
    await until("the web process again", async () => (await readyz()) === 200, 30_000);
    // The question message from before the crash still works, and `assess` shows the same question.
    fake.reset();
    await ok(slack.command("UA", `DUA`, "assess"));
    await until("the resume answer", () => fake.responses.length + fake.calls.length > 0);
    await new Promise((r) => setTimeout(r, 500));
    expect(questionNumber("UA")).toBe(4);
    for (const level of [4, 5, 1, 2, 3]) await answerOne("UA", level);
    const result = dm("UA")!;
    expect(result.text).toMatch(/^Your result/);
    // Answers 1,2,3,4,5,1,2,3: the mean 2.6 only if none was lost or counted twice.
    expect(JSON.stringify(result.blocks)).toContain("2.6");
    expect(fake.messagesIn("DUA").filter((m) => /^Your result/.test(m.text ?? ""))).toHaveLength(1);
  }, 90_000);
});

describe("Redis (append-only) SIGKILLed during traffic and started again", () => {
  it("keeps every acknowledged answer, says try again meanwhile, and /readyz follows the outage", async () => {
    await begin("UB");
    for (const level of [2, 2, 2]) await answerOne("UB", level);
    expect(questionNumber("UB")).toBe(4);
    const onScreen = dm("UB")!;

    await redis.stop("SIGKILL");
    await until("/readyz 503", async () => (await readyz()) === 503, 5000);
    const during = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(await during.json()).toEqual({ status: "unavailable", reason: "Redis does not answer" });
    fake.reset();
    const click = await slack.click("UB", onScreen, levelButton(onScreen, 4));
    expect(click.status).toBe(200);
    await until("the user told to try again", () =>
      /try again/.test(
        JSON.stringify([...fake.calls.map((c) => c.args), ...fake.responses.map((r) => r.body)]),
      ),
    );
    expect(questionNumber("UB")).toBe(4);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

    redis = await startOwnRedis(redisPort, { appendOnlyDir: dataDir });
    await until("/readyz 200 again", async () => (await readyz()) === 200, 15_000);
    for (const level of [2, 2, 2, 2, 2]) await answerOne("UB", level);
    const result = dm("UB")!;
    expect(result.text).toMatch(/^Your result/);
    expect(JSON.stringify(result.blocks)).toMatch(/\b2\.0\b/);
    // The worker reconnected by itself: a lead's reminder still reaches the members who have not completed.
    await ok(slack.command("UA", TEAM, "remind"));
    await until("a reminder after the outage", () =>
      fake.messagesIn("DUC").some((m) => /^Reminder/.test(m.text ?? "")),
    );
  }, 90_000);
});
