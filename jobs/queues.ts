import { type ConnectionOptions, type JobsOptions, Queue } from "bullmq";
import { z } from "zod";

/**
 * Queue names, typed payloads and job ids. A job id names the work (a member's nudge in a round, a
 * round's summary), so a second worker, a repeated scheduler firing or a double click adds nothing.
 */
export const QUEUE = { rounds: "rounds", outbox: "outbox", deliveries: "deliveries" } as const;
export type QueueName = (typeof QUEUE)[keyof typeof QUEUE];

/** Every queue key carries one hash tag, so each BullMQ script stays on one Redis Cluster slot. */
export function queuePrefix(keyPrefix: string): string {
  return `${keyPrefix}:{jobs}`;
}

const id = z.string().min(1).max(255);
const platform = z.enum(["slack", "teams", "playground"]);

export const openRoundData = z.object({ tenant: id, teamId: id, by: z.enum(["schedule", "operator"]) });
export const nudgeRoundData = z.object({
  tenant: id,
  teamId: id,
  round: id,
  immediate: z.boolean(),
  /** False for a round a member's `assess` opened: its reminders and deadline, but no nudges. */
  nudge: z.boolean().default(true),
});
export const remindData = z.object({
  tenant: id,
  teamId: id,
  round: id,
  immediate: z.boolean(),
  /** The reminder day it stands for (3, 7), or a lead's request. */
  slot: z.string().max(40),
});
export const closeRoundData = z.object({ tenant: id, teamId: id, round: id });
export const drainData = z.object({ tenant: id });
export const digestData = z.object({ tenant: id, reason: z.string().max(80) });

export const deliveryKind = z.enum(["nudge", "reminder", "summary", "digest"]);
export type DeliveryKind = z.infer<typeof deliveryKind>;

export const deliverData = z.object({
  kind: deliveryKind,
  target: z.object({
    platform,
    tenant: id,
    to: z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("dm"), user: id }),
      z.object({ kind: z.literal("channel"), channel: id }),
    ]),
  }),
  /** The reply, encoded (images as base64). */
  reply: z.string().max(4_000_000),
  /** Who it is for, in words, for the dead-letter list. */
  label: z.string().max(300),
  /** A nudge or reminder is dropped at send time when the member has completed the round or opted out. */
  unlessDone: z.object({ teamId: id, round: id, userId: id }).optional(),
  /** How often the platform asked us to wait already. */
  limited: z.number().int().min(0).optional(),
});
export type DeliverData = z.infer<typeof deliverData>;

export type JobName =
  | "open-round"
  | "nudge-round"
  | "remind"
  | "close-round"
  | "digest"
  | "sweep"
  | "drain"
  | "deliver";

/** A job id from its parts; BullMQ ids may not contain ":", so every part is URI-encoded. */
export function jobId(kind: string, ...parts: string[]): string {
  return [kind, ...parts.map((p) => encodeURIComponent(p))].join("|");
}

export function schedulerId(tenant: string, teamId: string): string {
  return jobId("open", tenant, teamId);
}

export interface QueueSettings {
  keyPrefix: string;
  connection: ConnectionOptions;
  /** First retry delay of a failed delivery; doubles each attempt, with jitter. */
  backoffMs?: number;
  attempts?: number;
  /** Told about connection problems (Redis away); the queue reconnects by itself. */
  onError?: (error: Error) => void;
}

const DAY_S = 86_400;

/** Completed and failed jobs are kept long enough for their ids to keep the work from being done twice. */
export function defaultJobOptions(settings: QueueSettings): JobsOptions {
  return {
    attempts: settings.attempts ?? 6,
    backoff: { type: "exponential", delay: settings.backoffMs ?? 2000, jitter: 0.5 },
    removeOnComplete: { age: 400 * DAY_S },
    removeOnFail: { age: 400 * DAY_S },
  };
}

export class Queues {
  readonly rounds: Queue;
  readonly outbox: Queue;
  readonly deliveries: Queue;

  constructor(readonly settings: QueueSettings) {
    const common = {
      connection: settings.connection,
      prefix: queuePrefix(settings.keyPrefix),
      defaultJobOptions: defaultJobOptions(settings),
    };
    this.rounds = new Queue(QUEUE.rounds, common);
    this.outbox = new Queue(QUEUE.outbox, common);
    this.deliveries = new Queue(QUEUE.deliveries, common);
    for (const queue of this.all()) queue.on("error", (error) => settings.onError?.(error));
  }

  all(): Queue[] {
    return [this.rounds, this.outbox, this.deliveries];
  }

  /** Drains a tenant's outbox soon; one drain per tenant waits at a time. */
  async drain(tenant: string, delayMs = 0): Promise<void> {
    await this.outbox.add(
      "drain",
      { tenant },
      {
        jobId: jobId("drain", tenant),
        removeOnComplete: true,
        removeOnFail: true,
        delay: delayMs,
      },
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.all().map((q) => q.close()));
  }
}
