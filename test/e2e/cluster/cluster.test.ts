import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { Cluster } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../../src/observability/logger.js";
import { type RunningApp, startApp } from "../../support/app.js";
import { clusterUnsupported, type OwnCluster, startOwnCluster } from "../../support/cluster.js";
import {
  BOT_TOKEN,
  FakeSlack,
  findButton,
  SIGNING_SECRET,
  SlackSender,
  type StoredMessage,
} from "../../support/fake-slack.js";
import { logCapture } from "../../support/log-capture.js";
import { testPrefix } from "../../support/redis.js";

/**
 * The bot on a three-node Redis Cluster of the test's own, laid out as docker-compose.yml runs it: two
 * web replicas (ROLE=web: Slack requests spread over both, as a load balancer would) and two workers
 * (ROLE=worker), against a fake Slack Web API. Setup, a lead's round start with its nudges, assessments
 * from the nudge's button, and the lead's close: what members and the channel receive.
 */

const unsupported = clusterUnsupported();
if (unsupported) console.log(`[cluster] Redis Cluster test skipped: ${unsupported}`);

const root = new URL("../../../", import.meta.url).pathname;
const CHANNEL = "CCLUSTER";
const MEMBERS = ["ULEAD", "UMEMBER", "UMEMBER2", "UMEMBER3"];
let cluster: OwnCluster | undefined;
let fake: FakeSlack | undefined;
const replicas: RunningApp[] = [];
const senders: SlackSender[] = [];
let turn = 0;
let prefix = "";
const log = logCapture();

/** The next web replica's sender, round robin. */
const slack = () => senders[turn++ % senders.length]!;

async function ok(request: Promise<{ status: number; body: string }>) {
  const res = await request;
  expect(res.status, res.body).toBe(200);
}

async function until(what: string, check: () => boolean, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const dm = (user: string) => fake!.messagesIn(`D${user}`);
const nudgesOf = (user: string) =>
  dm(user).filter((m) => m.blocks.some((b) => JSON.stringify(b).includes('"action_id":"assess')));

describe.skipIf(unsupported !== undefined)("Redis Cluster: a round from setup to close", () => {
  beforeAll(async () => {
    cluster = await startOwnCluster(3);
    fake = await FakeSlack.start();
    fake.workspace(BOT_TOKEN, { teamId: "T1", botUserId: "UBOT", botId: "BBOT" });
    fake.channels.set(CHANNEL, [...MEMBERS, "UBOT"]);
    prefix = testPrefix("cluster");
    const env = {
      REDIS_CLUSTER_NODES: cluster.nodes,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: fake.apiUrl,
    };
    for (const [i, role] of ["web", "web", "worker", "worker"].entries()) {
      const logger = createLogger("warn", { replica: i, role }, false, { destination: log.destination });
      const app = await startApp(
        "cluster",
        { ...env, ROLE: role },
        { prefix, workers: role === "worker", backoffMs: 100, logger },
      );
      replicas.push(app);
      if (role === "web") {
        const sender = new SlackSender(app.url, SIGNING_SECRET, fake);
        // Slack gets its 200 before the work is done: wait for the replica's work after each request.
        sender.settle = () => app.slack?.idle(2000) ?? Promise.resolve();
        senders.push(sender);
      }
    }
  }, 90_000);

  afterAll(async () => {
    for (const app of replicas) await app.stop();
    await fake?.close();
    await cluster?.stop();
  }, 60_000);

  it("runs on the cluster: every replica's client is a Cluster that sees every master; web replicas are ready", async () => {
    for (const app of replicas) {
      expect(app.redis).toBeInstanceOf(Cluster);
      expect((app.redis as Cluster).nodes("master")).toHaveLength(3);
      expect(Boolean(app.jobs.workers)).toBe(app.config.role === "worker");
    }
    for (const sender of senders) expect((await fetch(`${sender.appUrl}/readyz`)).status).toBe(200);
  });

  it("sets up the channel as a team with its four members", async () => {
    await ok(slack().command("ULEAD", CHANNEL, "setup", { channelName: "ml-platform" }));
    const answer = fake!.responses.at(-1)!.body;
    expect(JSON.stringify(answer)).toContain("#ml-platform is now a team with 4 members");
  });

  it("a lead's round start nudges each member once, at once, with an assess button", async () => {
    await ok(slack().command("ULEAD", CHANNEL, "round start"));
    expect(JSON.stringify(fake!.responses.at(-1)!.body)).toMatch(/open/i);
    await until("a nudge for every member", () => MEMBERS.every((m) => nudgesOf(m).length > 0));
    // Pressed again on the other web replica, and given time: still one nudge each.
    await ok(slack().command("ULEAD", CHANNEL, "round start"));
    await new Promise((r) => setTimeout(r, 1500));
    for (const member of MEMBERS) {
      const nudges = nudgesOf(member);
      expect(nudges, member).toHaveLength(1);
      expect(nudges[0]!.text).toMatch(/ml-platform.*check-in is open/);
    }
  });

  it("three members answer every question from the nudge's button and see their result", async () => {
    const levels: Record<string, number> = { ULEAD: 3, UMEMBER: 3, UMEMBER2: 4 };
    for (const [user, level] of Object.entries(levels)) {
      const nudge = nudgesOf(user)[0]!;
      const before = dm(user).length;
      await ok(
        slack().click(
          user,
          nudge,
          findButton(nudge.blocks, (b) => b.action_id.startsWith("assess")),
        ),
      );
      await until(`${user}'s first question`, () => dm(user).some((m) => /^Question 1\/8/.test(m.text)));
      expect(dm(user).length).toBeGreaterThanOrEqual(before);
      let current: StoredMessage = dm(user).find((m) => /^Question \d\/8/.test(m.text))!;
      for (let i = 1; i <= 8; i++) {
        expect(current.text).toMatch(new RegExp(`^Question ${i}/8`));
        const answer = findButton(current.blocks, (b) => b.text.text === `Level ${level}`);
        expect(answer.action_id.startsWith("answer")).toBe(true);
        await ok(slack().click(user, current, answer));
        const ts = current.ts;
        current = dm(user).find((m) => m.ts === ts)!;
      }
      expect(current.text).toMatch(/^Your result/);
    }
  });

  it("the lead's close posts one result to the channel; closing again posts nothing more", async () => {
    expect(fake!.messagesIn(CHANNEL)).toHaveLength(0);
    await ok(slack().command("ULEAD", CHANNEL, "close"));
    await until("the round's summary in the channel", () => fake!.messagesIn(CHANNEL).length > 0);
    const [summary] = fake!.messagesIn(CHANNEL);
    expect(summary!.text).toMatch(/closed: #ml-platform is level 3, score 3\.0 \(first result\)/);
    // Individual answers stay private: the result is the team's, from 3 of 4 members.
    expect(JSON.stringify(summary!.blocks)).toMatch(/3 of 4/);
    await ok(slack().command("ULEAD", CHANNEL, "close"));
    expect(JSON.stringify(fake!.responses.at(-1)!.body)).toMatch(/no open round|already closed/);
    await new Promise((r) => setTimeout(r, 1500));
    expect(fake!.messagesIn(CHANNEL)).toHaveLength(1);
  });

  it("the operator's command line reads the schedulers and queues from the cluster", async () => {
    const { REDIS_URL: _one, ...env } = process.env;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "jobs/cli.ts", "status", "--json"],
      { cwd: root, env: { ...env, REDIS_CLUSTER_NODES: cluster!.nodes, KEY_PREFIX: prefix } },
    );
    const status = JSON.parse(stdout);
    expect(status.schedulers).toEqual([expect.objectContaining({ tenant: "T1", team: CHANNEL })]);
    expect(Object.keys(status.queues).sort()).toEqual(["deliveries", "outbox", "rounds"]);
    expect(status.deadLetters).toBe(0);
  });

  it("keeps each tenant's keys in one slot and every queue in another, with nothing logged as a problem", async () => {
    const redis = replicas[0]!.redis as Cluster;
    const slots = new Map<number, string[]>();
    for (const node of redis.nodes("master")) {
      let cursor = "0";
      do {
        const [next, keys] = await node.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
        cursor = next;
        for (const key of keys) {
          const slot = Number(await node.cluster("KEYSLOT", key));
          slots.set(slot, [...(slots.get(slot) ?? []), key]);
        }
      } while (cursor !== "0");
    }
    const tagged = [...slots.values()].map((keys) =>
      keys.map((k) => k.slice(prefix.length + 1).split(":")[0]),
    );
    // The workspace's slot ({T1}), the queues' slot ({jobs}), and the one list of tenants.
    expect(tagged.map((tags) => [...new Set(tags)].sort()).sort()).toEqual([
      ["tenants"],
      ["{T1}"],
      ["{jobs}"],
    ]);
    expect(log.lines.filter((l) => l.level === "warn" || l.level === "error")).toEqual([]);
  });
});
