import type { Job } from "bullmq";
import { nextWorkingTime } from "../src/core/assessment/schedule.js";
import type { ViewDeps } from "../src/core/conversation/audience.js";
import type { Notifier } from "../src/core/notify.js";
import type { Logger } from "../src/observability/logger.js";
import type { Metrics } from "../src/observability/metrics.js";
import type { RedisStore } from "../src/store/redis-store.js";
import type { Queues } from "./queues.js";

/** What every processor gets: the core's views and store, the notifiers, the queues. */
export interface JobDeps extends ViewDeps {
  store: RedisStore;
  notifier: Notifier;
  queues: Queues;
  logger: Logger;
  metrics: Metrics;
}

/** A processor: plain async work on a job's data. */
export type Processor = (job: Job, deps: JobDeps, token?: string) => Promise<unknown>;

/** Milliseconds until the next working hour in a zone (0 within working hours). */
export function delayToWorkingHours(deps: Pick<JobDeps, "clock">, zone: string): number {
  const now = deps.clock.now();
  return Math.max(0, nextWorkingTime(now, zone).getTime() - now.getTime());
}

export function msUntil(deps: JobDeps, iso: string): number {
  return Math.max(0, Date.parse(iso) - deps.clock.now().getTime());
}
