import { type Job, Worker } from "bullmq";
import type { JobDeps, Processor } from "./context.js";
import { deliver } from "./deliver.js";
import { digestJob } from "./digest.js";
import { drainJob } from "./outbox.js";
import { QUEUE, type QueueSettings, queuePrefix } from "./queues.js";
import { closeRoundJob, nudgeRoundJob, openRoundJob, remindJob } from "./rounds.js";
import { reconcileSchedulers } from "./schedulers.js";

const SWEEP_MS = 30_000;

/** The processor of each job name. */
export const PROCESSORS: Record<string, Processor> = {
  "open-round": openRoundJob,
  "nudge-round": nudgeRoundJob,
  remind: remindJob,
  "close-round": closeRoundJob,
  digest: digestJob,
  drain: drainJob,
  deliver,
  sweep: sweepJob,
};

/** Every tenant with work in its outbox gets a drain (recovery for a drain missed in a crash). */
async function sweepJob(_job: Job, deps: JobDeps): Promise<string> {
  let tenants = 0;
  for (const tenant of await deps.store.tenants()) {
    if ((await deps.store.outbox(tenant, 1)).length > 0) {
      await deps.queues.drain(tenant);
      tenants++;
    }
  }
  return `drained ${tenants}`;
}

export interface Workers {
  workers: Worker[];
  /** Finishes the jobs in hand and stops; `force` stops at once (as a crash would: the jobs stall). */
  close(force?: boolean): Promise<void>;
}

export interface WorkerOptions {
  settings: QueueSettings;
  /** Deliveries sent at once by one process. */
  concurrency?: number;
  /** Sync every team's scheduler at start, and run the outbox sweep. */
  schedulers?: boolean;
  /** How long a job's lock lasts without renewal (a dead worker's jobs go back after it), in ms. */
  lockDuration?: number;
  /** How often stalled jobs are looked for, in ms. */
  stalledInterval?: number;
}

/**
 * Runs the workers of every queue in this process. Any number of processes may run them on one Redis:
 * BullMQ hands each job to one worker, a stalled job (its worker died) goes back to another.
 */
export async function startWorkers(deps: JobDeps, options: WorkerOptions): Promise<Workers> {
  const connection = options.settings.connection;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  const prefix = queuePrefix(options.settings.keyPrefix);
  const timing = {
    ...(options.lockDuration ? { lockDuration: options.lockDuration } : {}),
    ...(options.stalledInterval ? { stalledInterval: options.stalledInterval } : {}),
  };
  const run = (queue: string) => async (job: Job, token?: string) => {
    const process = PROCESSORS[job.name];
    if (!process) throw new Error(`no processor for job ${job.name} in ${queue}`);
    const started = performance.now();
    let outcome = "completed";
    try {
      return await process(job, deps, token);
    } catch (error) {
      outcome = (error as Error).name === "DelayedError" ? "delayed" : "failed";
      throw error;
    } finally {
      deps.metrics.jobDuration.observe((performance.now() - started) / 1000, { queue, outcome });
    }
  };
  const workers = [
    new Worker(QUEUE.rounds, run(QUEUE.rounds), { connection, prefix, concurrency: 4, ...timing }),
    new Worker(QUEUE.outbox, run(QUEUE.outbox), { connection, prefix, concurrency: 4, ...timing }),
    new Worker(QUEUE.deliveries, run(QUEUE.deliveries), {
      connection,
      prefix,
      concurrency: options.concurrency ?? 16,
      ...timing,
    }),
  ];
  for (const worker of workers) {
    worker.on("failed", (job, error) => {
      if (!job) return;
      deps.logger.warn("job failed", { queue: worker.name, job: job.name, id: job.id, error: error.message });
    });
    worker.on("error", (error) =>
      deps.logger.warn("queue worker problem", { queue: worker.name, error: error.message }),
    );
  }
  if (options.schedulers !== false) {
    // In the background: a Redis that is down at start must not stop the process; try until it answers.
    const reconcile = async (attempt: number): Promise<void> => {
      try {
        const count = await reconcileSchedulers(deps.queues, deps.store);
        await deps.queues.rounds.upsertJobScheduler(
          "sweep",
          { every: SWEEP_MS },
          { name: "sweep", data: {} },
        );
        deps.logger.info("job schedulers in place", { teams: count });
      } catch (error) {
        if (closed) return;
        deps.logger.warn("could not sync the job schedulers yet; trying again", {
          error: (error as Error).message,
        });
        retry = setTimeout(() => void reconcile(attempt + 1), Math.min(30_000, 1000 * 2 ** attempt));
      }
    };
    void reconcile(0);
  }
  return {
    workers,
    async close(force = false) {
      closed = true;
      clearTimeout(retry);
      await Promise.all(workers.map((w) => w.close(force)));
    },
  };
}
