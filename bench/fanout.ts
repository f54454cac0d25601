import { randomUUID } from "node:crypto";
import { type Job, Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import type { JobDeps } from "../jobs/context.js";
import { type DeliverData, defaultJobOptions, Queues, queuePrefix } from "../jobs/queues.js";
import { type DeliveryJob, nudgeJobs, nudgeMembers } from "../jobs/rounds.js";
import { startWorkers } from "../jobs/worker.js";
import { SlackNotifier, slackClients } from "../src/adapters/slack/notifier.js";
import { QuestionBank } from "../src/core/assessment/bank.js";
import { type Round, systemClock, type Team } from "../src/core/conversation/ports.js";
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
 * every message counted at the fake, each exactly once. Each figure the median of 3 runs, beside a
 * baseline measured in the same run: for the enqueue, plain BullMQ addBulk of the same 10,000 jobs (same
 * ids, same options) into a fresh queue; for the delivery, a bare BullMQ worker of the same concurrency
 * whose processor only posts each message to the lean fake's chat.postMessage with fetch.
 */
const TEAMS = 200;
const PER_TEAM = 50;
const CONCURRENCY = 64;
const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";

interface Run {
  enqueueMs: number;
  perSecond: number;
  delivered: number;
  doubled: number;
  baseline?: { enqueueMs: number; perSecond: number };
}

async function once(limitEvery: number, withBaseline: boolean): Promise<Run> {
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
  const rounds: Round[] = [];
  for (const team of teams) {
    const outcome = await openRound(deps, team, "lead");
    await nudgeMembers(deps, team, outcome.round, true);
    rounds.push(outcome.round);
  }
  const enqueueMs = performance.now() - started;
  // The same jobs, built before the baseline's clock starts.
  const jobs = withBaseline
    ? (
        await Promise.all(teams.map(async (team, i) => (await nudgeJobs(deps, team, rounds[i]!, true)).jobs))
      ).flat()
    : [];
  const bare = withBaseline ? await bareEnqueue(redis, prefix, queues, jobs) : undefined;

  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  started = performance.now();
  const workers = await startWorkers(deps, {
    settings: { ...queues.settings, connection },
    schedulers: false,
    concurrency: CONCURRENCY,
  });
  const expected = TEAMS * PER_TEAM;
  await until(() => fake.delivered.size >= expected);
  const deliverMs = performance.now() - started;
  const doubled = [...fake.delivered.values()].filter((n) => n > 1).length;
  const delivered = fake.delivered.size;
  await workers.close();
  connection.disconnect();
  const barePerSecond = bare ? await bareDelivery(bare.queue, jobs.length) : undefined;
  await bare?.queue.close();
  await queues.close();
  await fake.close();
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== "0");
  await redis.quit();
  return {
    enqueueMs,
    perSecond: (delivered / deliverMs) * 1000,
    delivered,
    doubled,
    ...(bare && barePerSecond !== undefined
      ? { baseline: { enqueueMs: bare.enqueueMs, perSecond: barePerSecond } }
      : {}),
  };
}

/** Polls until a condition holds, two minutes at most. */
async function until(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

/** Baseline: plain addBulk of the jobs into a fresh queue, 500 at a time. */
async function bareEnqueue(redis: Redis, prefix: string, queues: Queues, jobs: DeliveryJob[]) {
  const queue = new Queue("bare-deliveries", {
    connection: redis,
    prefix: queuePrefix(prefix),
    defaultJobOptions: defaultJobOptions(queues.settings),
  });
  const started = performance.now();
  for (let i = 0; i < jobs.length; i += 500) await queue.addBulk(jobs.slice(i, i + 500));
  return { queue, enqueueMs: performance.now() - started };
}

/** Baseline: a bare worker of the same concurrency that only posts each job's message with fetch. */
async function bareDelivery(queue: Queue, expected: number): Promise<number> {
  const fake = await LeanSlack.start();
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const post = async (job: Job<DeliverData>) => {
    const { to } = job.data.target;
    const res = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8", authorization: "Bearer xoxb-bench" },
      body: JSON.stringify({
        channel: to.kind === "dm" ? to.user : to.channel,
        text: (JSON.parse(job.data.reply) as { text: string }).text,
      }),
    });
    if (!((await res.json()) as { ok?: boolean }).ok) throw new Error(`chat.postMessage: ${res.status}`);
  };
  const started = performance.now();
  const worker = new Worker(queue.name, post, {
    connection,
    prefix: queue.opts.prefix,
    concurrency: CONCURRENCY,
  });
  await until(() => fake.delivered.size >= expected);
  const perSecond = (fake.delivered.size / (performance.now() - started)) * 1000;
  await worker.close();
  connection.disconnect();
  await fake.close();
  return perSecond;
}

export async function benchFanout(): Promise<BenchRow[]> {
  const free: Run[] = [];
  const limited: Run[] = [];
  for (let i = 0; i < 3; i++) {
    free.push(await once(0, true));
    limited.push(await once(10, false));
  }
  const n = TEAMS * PER_TEAM;
  return [
    compared(
      `open ${TEAMS} rounds and enqueue ${n} nudges`,
      "ms",
      free.map((r) => r.enqueueMs),
      { name: "BullMQ addBulk", runs: free.map((r) => r.baseline!.enqueueMs) },
      {
        text: "< 3000 ms",
        ok: (v) => v < 3000,
      },
    ),
    compared(
      "delivery, no rate limit",
      "msg/s",
      free.map((r) => r.perSecond),
      { name: "bare worker + fetch", runs: free.map((r) => r.baseline!.perSecond) },
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
