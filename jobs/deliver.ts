import { DelayedError, type Job, UnrecoverableError } from "bullmq";
import { NotifyError } from "../src/core/notify.js";
import { decodeReply } from "./codec.js";
import type { JobDeps } from "./context.js";
import { type DeliverData, deliverData } from "./queues.js";

/** A rate limit is waited out this many times before the message counts as failed. */
const MAX_LIMITED = 20;
/** Slack's pace for one conversation: about one message a second. */
const PACE_MS = 1000;

/** Reserves the next send slot of a conversation; returns how long to wait (0: go now). */
const PACE = `
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
local gap = tonumber(ARGV[1])
if now - last < gap then return gap - (now - last) end
redis.call('SET', KEYS[1], now, 'PX', gap * 2)
return 0`;

/**
 * Sends one message through the Notifier, once: a message already sent (a retry after a crash) is not
 * sent again; a nudge or reminder for a member who completed or opted out meanwhile is dropped; the
 * conversation's pace is kept; a rate limit waits for its Retry-After; a permanent failure, or the last
 * retry, lands in the workspace's dead-letter list.
 */
export async function deliver(job: Job, deps: JobDeps, token?: string): Promise<string> {
  const data = deliverData.parse(job.data);
  const { store } = deps;
  const redis = store.redis;
  const sentKey = `${store.keys.prefix}:{${encodeURIComponent(data.target.tenant)}}:sent:${job.id}`;
  if (await redis.exists(sentKey)) return "already sent";
  if (data.unlessDone && (await dropped(deps, data))) return "dropped";

  const to = data.target.to.kind === "dm" ? data.target.to.user : data.target.to.channel;
  const paceKey = `${store.keys.prefix}:{${encodeURIComponent(data.target.tenant)}}:pace:${encodeURIComponent(to)}`;
  const wait = Number(await redis.eval(PACE, 1, paceKey, String(PACE_MS)));
  if (wait > 0) {
    await job.moveToDelayed(Date.now() + wait, token);
    throw new DelayedError();
  }
  try {
    await deps.notifier.send(data.target, decodeReply(data.reply));
  } catch (error) {
    if (!(error instanceof NotifyError)) {
      deps.logger.error("delivery failed with an unexpected error", { kind: data.kind, id: job.id, error });
    }
    const failure = error instanceof NotifyError ? error : new NotifyError("temporary", "internal_error");
    if (failure.failure === "rate_limited" && (data.limited ?? 0) < MAX_LIMITED) {
      await job.updateData({ ...data, limited: (data.limited ?? 0) + 1 });
      await job.moveToDelayed(Date.now() + (failure.retryAfterMs ?? 1000), token);
      throw new DelayedError();
    }
    const last = failure.failure === "permanent" || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    deps.metrics.messagesFailed.inc({ kind: data.kind });
    if (last) {
      await store.addDeadLetter(data.target.tenant, {
        id: String(job.id),
        kind: data.kind,
        to: data.label,
        reason: failure.reason,
        failedAt: deps.clock.now().toISOString(),
        payload: JSON.stringify(data),
      });
      deps.logger.warn("message failed every retry; kept as a dead letter", {
        tenant: data.target.tenant,
        kind: data.kind,
        reason: failure.reason,
      });
      throw new UnrecoverableError(`${data.kind} to ${data.label}: ${failure.reason}`);
    }
    throw new Error(`${data.kind} to ${data.label}: ${failure.reason}`);
  }
  await redis.set(sentKey, "1", "EX", 400 * 86_400);
  deps.metrics.messagesSent.inc({ kind: data.kind });
  if (data.unlessDone && data.kind !== "summary") {
    const { teamId, round, userId } = data.unlessDone;
    await store.countNotice(
      data.target.tenant,
      teamId,
      round,
      userId,
      data.kind === "nudge" ? "nudge" : "reminder",
    );
  }
  return "sent";
}

async function dropped(deps: JobDeps, data: DeliverData): Promise<boolean> {
  const { teamId, round, userId } = data.unlessDone!;
  const tenant = data.target.tenant;
  const [session, prefs] = await Promise.all([
    deps.store.getSession(tenant, teamId, round, userId),
    deps.store.getPrefs(tenant, userId),
  ]);
  if (session?.status === "completed" || prefs.optedOut) return true;
  if (
    data.kind === "reminder" &&
    prefs.snoozedUntil &&
    Date.parse(prefs.snoozedUntil) > deps.clock.now().getTime()
  ) {
    return true;
  }
  const open = await deps.store.openRoundOf(tenant, teamId);
  return open?.id !== round;
}
