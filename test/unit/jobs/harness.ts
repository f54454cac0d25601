import { Redis } from "ioredis";
import type { JobDeps } from "../../../jobs/context.js";
import { enqueueEffects } from "../../../jobs/effects.js";
import { Queues } from "../../../jobs/queues.js";
import { startWorkers, type Workers } from "../../../jobs/worker.js";
import { QuestionBank } from "../../../src/core/assessment/bank.js";
import { ConversationEngine } from "../../../src/core/conversation/engine.js";
import type { ChatEventInput } from "../../../src/core/conversation/events.js";
import type { Notifier, Sent, Target } from "../../../src/core/notify.js";
import type { Reply } from "../../../src/core/reply.js";
import { createLogger, silentLogger } from "../../../src/observability/logger.js";
import { Metrics } from "../../../src/observability/metrics.js";
import { RedisStore } from "../../../src/store/redis-store.js";
import { TestClock } from "../../support/clock.js";
import { realKnowledge } from "../../support/knowledge.js";
import { cleanPrefix, REDIS_URL, testPrefix } from "../../support/redis.js";

/** Records what would reach people; can fail on demand. */
export class RecordingNotifier implements Notifier {
  readonly sent: { target: Target; reply: Reply }[] = [];
  fail?: (target: Target, reply: Reply) => Error | undefined;

  async send(target: Target, reply: Reply): Promise<Sent> {
    const error = this.fail?.(target, reply);
    if (error) throw error;
    this.sent.push({ target, reply });
    return {};
  }

  to(user: string) {
    return this.sent.filter((s) => s.target.to.kind === "dm" && s.target.to.user === user);
  }

  inChannel(channel: string) {
    return this.sent.filter((s) => s.target.to.kind === "channel" && s.target.to.channel === channel);
  }
}

export interface JobsHarness {
  prefix: string;
  redis: Redis;
  store: RedisStore;
  queues: Queues;
  deps: JobDeps;
  engine: ConversationEngine;
  notifier: RecordingNotifier;
  clock: TestClock;
  /** The replies to an event; its effects go to the queues, as the web role does. */
  send(input: ChatEventInput): Promise<Reply[]>;
  /** Starts one more set of workers (another "process"). */
  worker(options?: {
    lockDuration?: number;
    stalledInterval?: number;
    notifier?: Notifier;
  }): Promise<Workers>;
  /** Waits until no job waits or runs (delayed jobs aside). */
  settle(timeoutMs?: number): Promise<void>;
  /** Polls until a condition holds. */
  until(what: string, check: () => Promise<boolean> | boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function jobsHarness(name: string): Promise<JobsHarness> {
  const prefix = testPrefix(name);
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const store = new RedisStore(redis, prefix);
  const queues = new Queues({ keyPrefix: prefix, connection: redis, backoffMs: 50, attempts: 3 });
  const { kb, engine: knowledge } = await realKnowledge();
  const clock = new TestClock();
  const notifier = new RecordingNotifier();
  const deps: JobDeps = {
    store,
    knowledge,
    bank: new QuestionBank(kb),
    clock,
    notifier,
    queues,
    logger: process.env.DEBUG_JOBS ? createLogger("debug") : silentLogger,
    metrics: new Metrics(),
  };
  const engine = new ConversationEngine({ ...deps, defaultTimezone: "UTC" });
  const started: { workers: Workers; connection: Redis }[] = [];
  return {
    prefix,
    redis,
    store,
    queues,
    deps,
    engine,
    notifier,
    clock,
    async send(input) {
      const outcome = await engine.handle(input);
      await enqueueEffects(queues, store, outcome.effects, clock.now());
      return outcome.replies;
    },
    async worker(options = {}) {
      const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
      const { notifier: own, ...timing } = options;
      const workers = await startWorkers(own ? { ...deps, notifier: own } : deps, {
        settings: { ...queues.settings, connection },
        schedulers: false,
        ...timing,
      });
      started.push({ workers, connection });
      return workers;
    },
    async settle(timeoutMs = 15_000) {
      // Busy: a job waits or runs, or is delayed by a few seconds at most (a paced or retried message).
      const busy = async () => {
        let n = 0;
        for (const q of queues.all()) {
          const c = await q.getJobCounts("waiting", "active", "prioritized");
          n += (c.waiting ?? 0) + (c.active ?? 0) + (c.prioritized ?? 0);
          const soon = Date.now() + 3000;
          for (const j of await q.getJobs(["delayed"])) if (j.timestamp + (j.delay ?? 0) <= soon) n++;
        }
        return n;
      };
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if ((await busy()) === 0) {
          // Twice, a moment apart: a job may be between two states.
          await new Promise((r) => setTimeout(r, 150));
          if ((await busy()) === 0) return;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error("the queues did not settle");
    },
    async until(what, check, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async close() {
      for (const s of started) {
        await s.workers.close();
        s.connection.disconnect();
      }
      await queues.close();
      await cleanPrefix(redis, prefix);
      await redis.quit();
    },
  };
}
