import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import type { JobDeps } from "../jobs/context.js";
import { Queues } from "../jobs/queues.js";
import { nudgeMembers } from "../jobs/rounds.js";
import { startWorkers } from "../jobs/worker.js";
import { SlackNotifier, slackClients } from "../src/adapters/slack/notifier.js";
import { QuestionBank } from "../src/core/assessment/bank.js";
import { systemClock, type Team } from "../src/core/conversation/ports.js";
import { AnswerEngine } from "../src/core/knowledge/answer.js";
import { loadKnowledge } from "../src/core/knowledge/load.js";
import { openRound } from "../src/core/rounds/lifecycle.js";
import { silentLogger } from "../src/observability/logger.js";
import { Metrics } from "../src/observability/metrics.js";
import { RedisStore } from "../src/store/redis-store.js";
import { LeanSlack } from "./lean-slack.js";
import { type BenchRow, compared } from "./table.js";

/**
 * Fan-out: 10,000 members in 200 teams. Opening every round and enqueueing its nudges, then delivering
 * them through the Slack Notifier to a lean fake Slack API, with no limit and with a 429 on one call in ten;
 * every message counted at the fake, each exactly once. Each figure the median of 3 runs.
 */
const TEAMS = 200;
const PER_TEAM = 50;
const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";

async function once(limitEvery: number) {
  const prefix = `bench-fanout-${randomUUID().slice(0, 8)}`;
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const store = new RedisStore(redis, prefix);
  const queues = new Queues({ keyPrefix: prefix, connection: redis, backoffMs: 50 });
  const fake = await LeanSlack.start({ limitEvery });
  const { kb } = await loadKnowledge();
  const metrics = new Metrics();
  const notifier = new SlackNotifier(
    slackClients({ token: "xoxb-bench" }, { slackApiUrl: fake.apiUrl }),
    silentLogger,
    metrics,
  );
  const deps: JobDeps = {
    store,
    knowledge: new AnswerEngine(kb),
    bank: new QuestionBank(kb),
    clock: systemClock,
    notifier,
    queues,
    logger: silentLogger,
    metrics,
  };
  const teams: Team[] = [];
  for (let t = 0; t < TEAMS; t++) {
    const members = Array.from({ length: PER_TEAM }, (_, m) => `U${t}x${m}`);
    const { team } = await store.createTeam({
      id: `C${t}`,
      tenant: "T1",
      platform: "slack",
      name: `team-${t}`,
      timezone: "UTC",
      leads: [members[0]!],
      members,
      createdAt: new Date().toISOString(),
      createdBy: members[0]!,
    });
    teams.push(team);
  }
  let started = performance.now();
  for (const team of teams) {
    const outcome = await openRound(deps, team, "lead");
    await nudgeMembers(deps, team, outcome.round, true);
  }
  const enqueueMs = performance.now() - started;

  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  started = performance.now();
  const workers = await startWorkers(deps, {
    settings: { ...queues.settings, connection },
    schedulers: false,
    concurrency: 64,
  });
  const expected = TEAMS * PER_TEAM;
  const deadline = Date.now() + 120_000;
  while (fake.delivered.size < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const deliverMs = performance.now() - started;
  const doubled = [...fake.delivered.values()].filter((n) => n > 1).length;
  const delivered = fake.delivered.size;
  await workers.close();
  connection.disconnect();
  await queues.close();
  await fake.close();
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== "0");
  await redis.quit();
  return { enqueueMs, perSecond: (delivered / deliverMs) * 1000, delivered, doubled };
}

export async function benchFanout(): Promise<BenchRow[]> {
  const free: Awaited<ReturnType<typeof once>>[] = [];
  const limited: Awaited<ReturnType<typeof once>>[] = [];
  for (let i = 0; i < 3; i++) {
    free.push(await once(0));
    limited.push(await once(10));
  }
  const n = TEAMS * PER_TEAM;
  return [
    compared(
      `open ${TEAMS} rounds and enqueue ${n} nudges`,
      "ms",
      free.map((r) => r.enqueueMs),
      undefined,
      {
        text: "< 3000 ms",
        ok: (v) => v < 3000,
      },
    ),
    compared(
      "delivery, no rate limit",
      "msg/s",
      free.map((r) => r.perSecond),
      undefined,
      {
        text: ">= 1000 msg/s",
        ok: (v) => v >= 1000,
      },
    ),
    compared(
      "delivery, 429 on one call in ten",
      "msg/s",
      limited.map((r) => r.perSecond),
      undefined,
    ),
    compared(
      "messages delivered exactly once (of 10,000)",
      "",
      [...free, ...limited].map((r) => r.delivered - r.doubled),
      undefined,
      {
        text: `= ${n}, none twice`,
        ok: () => [...free, ...limited].every((r) => r.delivered === n && r.doubled === 0),
      },
    ),
  ];
}
