import { DelayedError, type Job } from "bullmq";
import { Redis } from "ioredis";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { observeQueues, PROCESSORS, startWorkers, type Workers } from "../../../jobs/worker.js";
import type { Team } from "../../../src/core/conversation/ports.js";
import { currentRequest } from "../../../src/observability/context.js";
import type { Logger } from "../../../src/observability/logger.js";
import { REDIS_URL } from "../../support/redis.js";
import { type JobsHarness, jobsHarness } from "./harness.js";

/** The workers' wiring: which processor runs a job, what is logged and measured, the queue gauges. */

const TENANT = "T-work";
let h: JobsHarness;
beforeEach(async () => {
  h = await jobsHarness("worker");
});
afterEach(async () => {
  await h?.close();
});

function team(id: string, tenant = TENANT): Team {
  return {
    id,
    tenant,
    platform: "slack",
    timezone: "UTC",
    leads: ["U-1"],
    members: ["U-1"],
    createdAt: "2026-11-01T10:00:00.000Z",
    createdBy: "U-1",
  };
}

const letter = (id: string) => ({
  id,
  kind: "nudge",
  to: "a direct message to U-1",
  reason: "gone",
  failedAt: "2026-11-20T10:00:00.000Z",
  payload: "{}",
});

/** A logger that keeps its lines. */
function recordingLogger() {
  const lines: { level: string; message: string; context?: Record<string, unknown> }[] = [];
  const logger: Logger = {
    debug: (message, context) => lines.push({ level: "debug", message, ...(context ? { context } : {}) }),
    info: (message, context) => lines.push({ level: "info", message, ...(context ? { context } : {}) }),
    warn: (message, context) => lines.push({ level: "warn", message, ...(context ? { context } : {}) }),
    error: (message, context) => lines.push({ level: "error", message, ...(context ? { context } : {}) }),
    child: () => logger,
  };
  return { lines, logger };
}

describe("observeQueues", () => {
  it("sets each queue's depth by state and the dead letters of every tenant", async () => {
    await h.store.createTeam(team("C-1"));
    await h.store.createTeam(team("C-1", "T-other"));
    await h.store.addDeadLetter(TENANT, letter("L1"));
    await h.store.addDeadLetter("T-other", letter("L2"));
    await h.store.addDeadLetter("T-other", letter("L3"));
    await h.queues.rounds.add("digest", { tenant: TENANT, reason: "x" }, { jobId: "w1" });
    await h.queues.rounds.add("digest", { tenant: TENANT, reason: "x" }, { jobId: "w2" });
    await h.queues.deliveries.add("deliver", {}, { jobId: "d1", delay: 3_600_000 });

    await observeQueues(h.deps);
    const text = await h.deps.metrics.render();
    for (const line of [
      'maturity_bot_queue_jobs{queue="rounds",state="waiting"} 2',
      'maturity_bot_queue_jobs{queue="rounds",state="delayed"} 0',
      'maturity_bot_queue_jobs{queue="deliveries",state="delayed"} 1',
      'maturity_bot_queue_jobs{queue="deliveries",state="waiting"} 0',
      'maturity_bot_queue_jobs{queue="outbox",state="active"} 0',
      'maturity_bot_queue_jobs{queue="outbox",state="failed"} 0',
      "maturity_bot_dead_letters 3",
    ])
      expect(text).toContain(line);
  });
});

describe("the sweep", () => {
  it("drains every tenant with work in its outbox, and only those", async () => {
    await h.store.createTeam(team("C-1"));
    await h.store.createTeam(team("C-1", "T-idle"));
    await h.redis.rpush(
      `${h.prefix}:{${TENANT}}:outbox`,
      JSON.stringify({
        type: "round-closed",
        teamId: "C-1",
        round: "2026-Q4",
        at: "2026-11-20T10:00:00.000Z",
      }),
    );
    const sweep = PROCESSORS.sweep!;
    expect(await sweep({ data: {} } as Job, h.deps)).toBe("drained 1");
    const drains = await h.queues.outbox.getJobs(["waiting", "delayed"]);
    expect(drains.map((j) => [j.id, j.name, j.data])).toEqual([
      ["drain|T-work", "drain", { tenant: TENANT }],
    ]);
  });

  it("drains nobody when every outbox is empty", async () => {
    await h.store.createTeam(team("C-1"));
    expect(await PROCESSORS.sweep!({ data: {} } as Job, h.deps)).toBe("drained 0");
    expect(await h.queues.outbox.getJobs(["waiting", "delayed"])).toEqual([]);
  });
});

describe("startWorkers", () => {
  let connection: Redis;
  let workers: Workers | undefined;
  beforeEach(() => {
    connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  });
  afterEach(async () => {
    await workers?.close();
    workers = undefined;
    for (const name of ["probe", "probe-fail", "probe-delay"]) delete PROCESSORS[name];
    connection.disconnect();
  });

  async function finished(queue: "rounds" | "outbox" | "deliveries", id: string) {
    await h.until(`job ${id}`, async () => {
      const state = await h.queues[queue].getJobState(id);
      return state === "completed" || state === "failed";
    });
    return (await h.queues[queue].getJob(id))!;
  }

  it("runs each job by its name, fails an unknown one, logs failures and times both", async () => {
    const { lines, logger } = recordingLogger();
    PROCESSORS.probe = async (job) => `request ${currentRequest()?.requestId}, ${job.data.n}`;
    PROCESSORS["probe-fail"] = async () => {
      throw new Error("boom");
    };
    PROCESSORS["probe-delay"] = async (job, _deps, token) => {
      await job.moveToDelayed(Date.now() + 60_000, token);
      throw new DelayedError();
    };
    workers = await startWorkers(
      { ...h.deps, logger },
      { settings: { ...h.queues.settings, connection }, schedulers: false },
    );
    await h.queues.rounds.add(
      "close-round",
      { tenant: TENANT, teamId: "C-GONE", round: "2026-Q4" },
      { jobId: "a" },
    );
    await h.queues.outbox.add("probe", { n: 1, requestId: "req-7" }, { jobId: "b" });
    await h.queues.deliveries.add("probe", { n: 2 }, { jobId: "c" });
    await h.queues.rounds.add("bogus", {}, { jobId: "d", attempts: 1 });
    await h.queues.outbox.add("probe-fail", {}, { jobId: "e", attempts: 1 });
    await h.queues.deliveries.add("probe-delay", {}, { jobId: "f" });

    expect((await finished("rounds", "a")).returnvalue).toBe("no such team");
    expect((await finished("outbox", "b")).returnvalue).toBe("request req-7, 1");
    // Without a request id of its own, the job's log lines carry the job's id.
    expect((await finished("deliveries", "c")).returnvalue).toBe("request job-c, 2");
    const bogus = await finished("rounds", "d");
    expect(bogus.failedReason).toBe("no processor for job bogus in rounds");
    const logged = () => lines.find((l) => l.message === "job failed" && l.context?.id === "d");
    await h.until("the failure logged", () => logged() !== undefined);
    expect(logged()).toEqual({
      level: "warn",
      message: "job failed",
      context: { queue: "rounds", job: "bogus", id: "d", error: "no processor for job bogus in rounds" },
    });
    expect((await finished("outbox", "e")).failedReason).toBe("boom");
    await h.until("the delayed job", async () => (await h.queues.deliveries.getJobState("f")) === "delayed");
    // Timed by outcome: an unknown job fails before any processor runs, so it is not timed.
    const timings = async () =>
      (await h.deps.metrics.render())
        .split("\n")
        .filter((l) => l.startsWith("maturity_bot_job_seconds_count"));
    await h.until("five timings", async () => (await timings()).length === 5);
    const timed = await timings();
    expect(timed.sort()).toEqual([
      'maturity_bot_job_seconds_count{queue="deliveries",outcome="completed"} 1',
      'maturity_bot_job_seconds_count{queue="deliveries",outcome="delayed"} 1',
      'maturity_bot_job_seconds_count{queue="outbox",outcome="completed"} 1',
      'maturity_bot_job_seconds_count{queue="outbox",outcome="failed"} 1',
      'maturity_bot_job_seconds_count{queue="rounds",outcome="completed"} 1',
    ]);
  });

  it("uses the given lock timing and concurrency, or BullMQ's and its own defaults", async () => {
    const settings = { ...h.queues.settings, connection };
    workers = await startWorkers(h.deps, {
      settings,
      schedulers: false,
      lockDuration: 4321,
      stalledInterval: 1234,
      concurrency: 3,
    });
    expect(
      workers.workers.map((w) => [w.name, w.opts.concurrency, w.opts.lockDuration, w.opts.stalledInterval]),
    ).toEqual([
      ["rounds", 4, 4321, 1234],
      ["outbox", 4, 4321, 1234],
      ["deliveries", 3, 4321, 1234],
    ]);
    expect(workers.workers.every((w) => w.opts.prefix === `${h.prefix}:{jobs}`)).toBe(true);
    await workers.close();
    expect(workers.workers.map((w) => w.isRunning())).toEqual([false, false, false]);

    workers = await startWorkers(h.deps, { settings, schedulers: false });
    expect(
      workers.workers.map((w) => [w.opts.concurrency, w.opts.lockDuration, w.opts.stalledInterval]),
    ).toEqual([
      [4, 30_000, 30_000],
      [4, 30_000, 30_000],
      [16, 30_000, 30_000],
    ]);
  });

  it("logs a worker's connection problem with its queue", async () => {
    const { lines, logger } = recordingLogger();
    workers = await startWorkers(
      { ...h.deps, logger },
      { settings: { ...h.queues.settings, connection }, schedulers: false },
    );
    workers.workers[2]!.emit("error", new Error("Redis away"));
    expect(lines).toEqual([
      {
        level: "warn",
        message: "queue worker problem",
        context: { queue: "deliveries", error: "Redis away" },
      },
    ]);
  });

  it("with Redis away at start, tries the schedulers again a second later", async () => {
    const { lines, logger } = recordingLogger();
    await h.store.createTeam(team("C-1"));
    let failures = 1;
    const store = new Proxy(h.store, {
      get(target, key) {
        if (key === "tenants" && failures > 0) {
          failures--;
          return async () => {
            throw new Error("Redis away");
          };
        }
        const value = Reflect.get(target, key);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const started = Date.now();
    workers = await startWorkers(
      { ...h.deps, store, logger },
      { settings: { ...h.queues.settings, connection } },
    );
    await h.until("the schedulers", () => lines.some((l) => l.message === "job schedulers in place"), 5000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(lines.filter((l) => l.level !== "debug")).toEqual([
      {
        level: "warn",
        message: "could not sync the job schedulers yet; trying again",
        context: { error: "Redis away" },
      },
      { level: "info", message: "job schedulers in place", context: { teams: 1 } },
    ]);
  });

  it("with schedulers: gives every team its scheduler and runs the outbox sweep every 30 s", async () => {
    const { lines, logger } = recordingLogger();
    await h.store.createTeam(team("C-1"));
    await h.store.createTeam(team("C-2"));
    workers = await startWorkers({ ...h.deps, logger }, { settings: { ...h.queues.settings, connection } });
    await h.until("the schedulers", () => lines.some((l) => l.message === "job schedulers in place"));
    expect(lines.find((l) => l.message === "job schedulers in place")).toEqual({
      level: "info",
      message: "job schedulers in place",
      context: { teams: 2 },
    });
    const schedulers = (await h.queues.rounds.getJobSchedulers(0, -1))
      .map((s) => [s.key ?? s.id, s.every ?? s.pattern])
      .sort();
    expect(schedulers).toEqual([
      ["open|T-work|C-1", "0 9 1-3 1,4,7,10 *"],
      ["open|T-work|C-2", "0 9 1-3 1,4,7,10 *"],
      ["sweep", 30_000],
    ]);
    const sweep = await h.queues.rounds.getJobScheduler("sweep");
    expect(sweep?.name).toBe("sweep");
  });
});
