import { spawnSync } from "node:child_process";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Queues } from "../../../jobs/queues.js";
import { BotProcesses, botEnv, buildDist, nudgesOf, ROOT, startButton } from "../../support/bot-processes.js";
import {
  FakeSlack,
  findButton,
  SIGNING_SECRET,
  SlackSender,
  type StoredMessage,
} from "../../support/fake-slack.js";
import { freePort, waitFor } from "../../support/processes.js";
import { cleanPrefix, REDIS_URL, testPrefix } from "../../support/redis.js";

/**
 * The production layout: one `ROLE=web` process and two `ROLE=worker` processes (`node dist/main.js`) on
 * one Redis, a fake Slack Web API on 127.0.0.1. What members and channels receive is counted at the fake.
 * The web process runs alone first (it queues work and sends none of it); the workers serve no HTTP.
 */

const prefix = testPrefix("processes");
const TEAM = "CTEAM";
const MEMBERS = ["UA", "UB", "UC", "UD"];
let fake: FakeSlack;
let slack: SlackSender;
let port: number;
/** The second worker's own PORT (which it must not listen on) and METRICS_PORT. */
let workerPort: number;
let metricsPort: number;
const bots = new BotProcesses(() =>
  botEnv({ port, redisUrl: REDIS_URL, prefix, token: "xoxb-processes", fake }),
);

beforeAll(async () => {
  buildDist();
  fake = await FakeSlack.start();
  fake.workspace("xoxb-processes", { teamId: "T1", botUserId: "UBOT", botId: "BBOT" });
  fake.channels.set(TEAM, [...MEMBERS, "UBOT"]);
  fake.channels.set("CDIGEST", ["UA", "UBOT"]);
  port = await freePort();
  workerPort = await freePort();
  metricsPort = await freePort();
  bots.start("web");
  slack = new SlackSender(`http://127.0.0.1:${port}`, SIGNING_SECRET, fake);
  // Slack gets its 200 before the work is done: wait for the work to reach the fake, as a user would.
  slack.settle = (before) => fake.quiet(before);
  await waitFor(
    "the web process",
    async () => {
      try {
        return (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200;
      } catch {
        return false;
      }
    },
    30_000,
  );
}, 240_000);

afterAll(async () => {
  await bots.stopAll();
  const redis = new Redis(REDIS_URL);
  await cleanPrefix(redis, prefix);
  await redis.quit();
  await fake?.close();
});

const dms = (user: string) => fake.messagesIn(`D${user}`);
const nudges = (user: string) => nudgesOf(fake, user);
const reminders = (user: string) => dms(user).filter((m) => /^Reminder/.test(m.text ?? ""));
const channelPosts = () => fake.messagesIn(TEAM);

async function ok(request: Promise<{ status: number }>) {
  expect((await request).status).toBe(200);
}

const until = (what: string, check: () => boolean, timeoutMs?: number) => bots.until(what, check, timeoutMs);

/** Starts from the nudge's button and answers every question with one level, by clicks. */
async function answer(user: string, level: number) {
  const { nudge, button } = startButton(fake, user);
  await ok(slack.click(user, nudge, button));
  await until(`${user}'s first question`, () =>
    /^Question 1\//.test(fake.lastMessageIn(`D${user}`)?.text ?? ""),
  );
  for (let i = 0; i < 8; i++) {
    const current: StoredMessage = fake.lastMessageIn(`D${user}`)!;
    await ok(
      slack.click(
        user,
        current,
        findButton(current.blocks, (b) => b.text.text === `Level ${level}`),
      ),
    );
  }
  await until(`${user}'s result`, () => /^Your result/.test(fake.lastMessageIn(`D${user}`)?.text ?? ""));
}

async function reachable(url: string): Promise<number | "refused"> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(3000) })).status;
  } catch {
    return "refused";
  }
}

describe("one web and two worker processes on one Redis", () => {
  it("a web process alone queues a round's nudges and sends none; the workers, started later, send each exactly once (round start twice)", async () => {
    await ok(slack.command("UA", TEAM, "setup", { channelName: "ml-platform" }));
    await ok(slack.command("UA", TEAM, "round start"));
    await ok(slack.command("UA", TEAM, "round start"));
    expect(JSON.stringify(fake.responses.at(-1)!.body)).toMatch(/open/i);
    await new Promise((r) => setTimeout(r, 1500));
    for (const m of MEMBERS) expect(nudges(m), m).toHaveLength(0);
    const connection = new Redis(REDIS_URL);
    const queues = new Queues({ keyPrefix: prefix, connection });
    try {
      const {
        waiting = 0,
        active = 0,
        completed = 0,
      } = await queues.rounds.getJobCounts("waiting", "active", "completed");
      expect(waiting).toBeGreaterThan(0);
      expect(active + completed).toBe(0);
    } finally {
      await queues.close();
      await connection.quit();
    }

    bots.start("worker");
    bots.start("worker", { PORT: String(workerPort), METRICS_PORT: String(metricsPort) });
    await until("4 nudges", () => MEMBERS.every((m) => nudges(m).length === 1), 30_000);
    await new Promise((r) => setTimeout(r, 1000));
    for (const m of MEMBERS) expect(nudges(m), m).toHaveLength(1);
  });

  it("a worker serves no HTTP on its PORT, only /metrics on METRICS_PORT", async () => {
    expect(await reachable(`http://127.0.0.1:${workerPort}/healthz`)).toBe("refused");
    const metrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/^# HELP maturity_bot_messages_sent_total /m);
    for (const path of ["/healthz", "/slack/events", "/api/messages", "/"]) {
      expect(await reachable(`http://127.0.0.1:${metricsPort}${path}`), path).toBe(404);
    }
  });

  it("reminds only the member who has not completed", async () => {
    for (const m of ["UA", "UB", "UC"]) await answer(m, 2);
    await ok(slack.command("UA", TEAM, "remind"));
    await until("a reminder for UD", () => reminders("UD").length === 1);
    await new Promise((r) => setTimeout(r, 1000));
    for (const m of ["UA", "UB", "UC"]) expect(reminders(m), m).toHaveLength(0);
    expect(reminders("UD")).toHaveLength(1);
  });

  it("refuses close to a member who is not a lead, and posts one message when the lead closes", async () => {
    fake.reset();
    await ok(slack.command("UD", TEAM, "close"));
    expect(JSON.stringify(fake.responses.at(-1)!.body)).toContain("lead");
    const before = channelPosts().length;
    await ok(slack.command("UA", TEAM, "close"));
    await ok(slack.command("UA", TEAM, "close"));
    await until("the close note", () => channelPosts().length > before);
    await new Promise((r) => setTimeout(r, 1500));
    const posts = channelPosts().slice(before);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.text).toMatch(/closed: #ml-platform is level 2/);
  });

  it("a second round answered higher closes with one level-change summary naming both levels and what moved", async () => {
    await ok(slack.command("UA", TEAM, "round start"));
    await until("second nudges", () => MEMBERS.every((m) => nudges(m).length === 2));
    for (const m of ["UA", "UB", "UC"]) await answer(m, 4);
    const before = channelPosts().length;
    await ok(slack.command("UA", TEAM, "close"));
    await until("the summary", () => channelPosts().length > before);
    await new Promise((r) => setTimeout(r, 1500));
    const posts = channelPosts().slice(before);
    expect(posts).toHaveLength(1);
    const summary = posts[0]!;
    expect(summary.text).toContain("level 2 → level 4");
    const text = JSON.stringify(summary.blocks);
    expect(text).toContain("Level 2 → level 4");
    expect(text).toMatch(/Experimentation|lifecycle|Production|standards|Team/i);
  });

  it("shares the digest with a PNG chart into the digest channel", async () => {
    await ok(slack.command("UA", "CDIGEST", "digest here"));
    await ok(slack.command("UA", "CDIGEST", "digest now"));
    await until("the chart", () => fake.shared.some((f) => f.channel === "CDIGEST"), 30_000);
    const file = fake.shared.find((f) => f.channel === "CDIGEST")!;
    expect(file.bytes?.subarray(1, 4).toString()).toBe("PNG");
    expect(file.bytes!.readUInt32BE(16)).toBe(900);
    expect(fake.messagesIn("CDIGEST").some((m) => /digest/i.test(m.text ?? ""))).toBe(true);
  });

  it("lists the team's scheduler with its next opening in the team's time zone", () => {
    const run = spawnSync(process.execPath, [path.join(ROOT, "dist", "jobs", "cli.js"), "status", "--json"], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, REDIS_URL, KEY_PREFIX: prefix },
      timeout: 30_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const status = JSON.parse(run.stdout);
    const mine = status.schedulers.find((s: { team: string }) => s.team === TEAM);
    expect(mine).toMatchObject({ tenant: "T1", team: TEAM, timezone: "Europe/Berlin" });
    expect(mine.next).toMatch(/^\d{4}-(01|04|07|10)-0[1-3]T09:00:00\+0[12]:00$/);
    expect(status.queues.deliveries).toMatchObject({ failed: 0 });
    expect(status.deadLetters).toBe(0);
  });
});
