import { DelayedError, type Job, UnrecoverableError } from "bullmq";
import { NotifyError, type Sent } from "../src/core/notify.js";
import type { DeliveryMember } from "../src/store/deliveries.js";
import { decodeReply } from "./codec.js";
import type { JobDeps } from "./context.js";
import { type DeliverData, deliverData } from "./queues.js";

/** A rate limit is waited out this many times before the message counts as failed. */
const MAX_LIMITED = 20;
/** Slack's pace for one conversation: about one message a second. */
const PACE_MS = 1000;

/**
 * Sends one message through the Notifier, once: a message already sent (a retry after a crash) is not
 * sent again; a nudge or reminder for a member who completed or opted out meanwhile is dropped; the
 * conversation's pace is kept; a rate limit waits for its Retry-After; a permanent failure, or the last
 * retry, lands in the workspace's dead-letter list. A direct message goes to the member's DM channel as
 * last seen, kept in Redis for every process. Its Redis work takes one round trip before the send and one
 * after it (two more only when the member's records may drop the message).
 */
export async function deliver(job: Job, deps: JobDeps, token?: string): Promise<string> {
  const data = deliverData.parse(job.data);
  const { store } = deps;
  const { tenant, to } = data.target;
  const id = String(job.id);
  const state = await store.deliveries.before(tenant, {
    id,
    platform: data.target.platform,
    to,
    paceMs: PACE_MS,
    ...(data.unlessDone ? { unlessDone: data.unlessDone } : {}),
  });
  if (state.sent) return "already sent";
  let wait = state.wait;
  if (state.member) {
    if (dropped(deps, data, state.member)) return "dropped";
    wait = await store.deliveries.pace(tenant, to.kind === "dm" ? to.user : to.channel, PACE_MS);
  }
  if (wait) {
    await job.moveToDelayed(Date.now() + wait, token);
    throw new DelayedError();
  }
  const target =
    to.kind === "dm" && state.dmChannel
      ? { ...data.target, to: { ...to, channel: state.dmChannel } }
      : data.target;
  let sent: Sent;
  try {
    sent = await deps.notifier.send(target, decodeReply(data.reply));
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
      await store.addDeadLetter(tenant, {
        id,
        kind: data.kind,
        to: data.label,
        reason: failure.reason,
        failedAt: deps.clock.now().toISOString(),
        payload: JSON.stringify(data),
      });
      deps.logger.warn("message failed every retry; kept as a dead letter", {
        tenant,
        kind: data.kind,
        reason: failure.reason,
      });
      throw new UnrecoverableError(`${data.kind} to ${data.label}: ${failure.reason}`);
    }
    throw new Error(`${data.kind} to ${data.label}: ${failure.reason}`);
  }
  const notice = data.unlessDone && data.kind !== "summary" ? data.unlessDone : undefined;
  await store.deliveries.after(tenant, {
    id,
    platform: data.target.platform,
    ...(to.kind === "dm" && sent.channel && sent.channel !== state.dmChannel
      ? { dm: { user: to.user, channel: sent.channel } }
      : {}),
    ...(notice ? { notice: { ...notice, kind: data.kind === "nudge" ? "nudge" : "reminder" } } : {}),
  });
  deps.metrics.messagesSent.inc({ kind: data.kind });
  return "sent";
}

/** Whether the member's records drop a nudge or reminder: completed, opted out, snoozed, round over. */
function dropped(deps: JobDeps, data: DeliverData, member: DeliveryMember): boolean {
  const { session, prefs, openRound } = member;
  if (session?.status === "completed" || prefs.optedOut) return true;
  if (
    data.kind === "reminder" &&
    prefs.snoozedUntil &&
    Date.parse(prefs.snoozedUntil) > deps.clock.now().getTime()
  ) {
    return true;
  }
  return openRound !== data.unlessDone?.round;
}
