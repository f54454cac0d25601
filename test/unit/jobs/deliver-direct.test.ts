import { type Job, UnrecoverableError } from "bullmq";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { encodeReply } from "../../../jobs/codec.js";
import { deliver } from "../../../jobs/deliver.js";
import type { DeliverData } from "../../../jobs/queues.js";
import { NotifyError } from "../../../src/core/notify.js";
import { reply } from "../../../src/core/reply.js";
import { type JobsHarness, jobsHarness } from "./harness.js";

/**
 * One delivery's decisions, with the processor called directly (no worker, no delay): sent once, dropped
 * for a member who is done, and a failure's dead letter.
 */

const TENANT = "T-dd";
let h: JobsHarness;
beforeEach(async () => {
  h = await jobsHarness("deliver-direct");
  h.clock.set("2026-11-20T10:00:00Z");
  await h.store.insertRound(TENANT, {
    id: "2026-Q4",
    teamId: "C-1",
    cadence: "quarterly",
    openedAt: "2026-11-20T09:00:00.000Z",
    deadline: "2026-12-04T09:00:00.000Z",
    openedBy: "lead",
    members: ["U-1"],
  });
});
afterEach(async () => {
  await h?.close();
});

function notice(user: string, kind: "nudge" | "reminder" = "nudge", round = "2026-Q4"): DeliverData {
  return {
    kind,
    target: { platform: "slack", tenant: TENANT, to: { kind: "dm", user } },
    reply: encodeReply(reply(`Hello ${user}`)),
    label: `a direct message to ${user}`,
    unlessDone: { teamId: "C-1", round, userId: user },
  };
}

const job = (id: string, data: DeliverData, attemptsMade = 0, attempts = 3) =>
  ({ id, data, opts: { attempts }, attemptsMade }) as unknown as Job;

describe("deliver", () => {
  it("sends a nudge once, counts it for the member, and reports a repeat as already sent", async () => {
    const data = notice("U-1");
    expect(await deliver(job("n1", data), h.deps)).toBe("sent");
    expect(await deliver(job("n1", data), h.deps)).toBe("already sent");
    expect(h.notifier.sent.map((s) => s.reply.text)).toEqual(["Hello U-1"]);
    expect(await h.store.deliveries.noticesOf(TENANT, "C-1", "2026-Q4", "nudge")).toEqual({ "U-1": 1 });
    expect(await h.store.deliveries.noticesOf(TENANT, "C-1", "2026-Q4", "reminder")).toEqual({});
    expect(await h.deps.metrics.render()).toContain('maturity_bot_messages_sent_total{kind="nudge"} 1');
  });

  it("counts a reminder as a reminder", async () => {
    expect(await deliver(job("r1", notice("U-2", "reminder")), h.deps)).toBe("sent");
    expect(await h.store.deliveries.noticesOf(TENANT, "C-1", "2026-Q4", "reminder")).toEqual({ "U-2": 1 });
  });

  it("sends a channel message without a member's checks and counts no notice", async () => {
    const data: DeliverData = {
      kind: "summary",
      target: { platform: "slack", tenant: TENANT, to: { kind: "channel", channel: "C-1" } },
      reply: encodeReply(reply("Summary")),
      label: "#team",
      unlessDone: { teamId: "C-1", round: "2026-Q4", userId: "U-9" },
    };
    expect(await deliver(job("s1", data), h.deps)).toBe("sent");
    expect(h.notifier.inChannel("C-1").map((s) => s.reply.text)).toEqual(["Summary"]);
    expect(await h.store.deliveries.noticesOf(TENANT, "C-1", "2026-Q4", "reminder")).toEqual({});
    expect(await h.store.deliveries.noticesOf(TENANT, "C-1", "2026-Q4", "nudge")).toEqual({});
  });

  it("drops a notice for a member who opted out, a round no longer open, or a snoozed reminder", async () => {
    await h.store.setPrefs(TENANT, "U-3", { optedOut: true });
    await h.store.setPrefs(TENANT, "U-4", { snoozedUntil: "2026-11-21T10:00:00.000Z" });
    await h.store.setPrefs(TENANT, "U-6", { snoozedUntil: "2026-11-20T09:00:00.000Z" });
    expect(await deliver(job("d3", notice("U-3")), h.deps)).toBe("dropped");
    expect(await deliver(job("d4", notice("U-4", "reminder")), h.deps)).toBe("dropped");
    expect(await deliver(job("d5", notice("U-5", "nudge", "2026-Q3")), h.deps)).toBe("dropped");
    // A snooze stops reminders, not the round's nudge; an expired snooze stops nothing.
    expect(await deliver(job("n4", notice("U-4")), h.deps)).toBe("sent");
    expect(await deliver(job("r6", notice("U-6", "reminder")), h.deps)).toBe("sent");
    expect(h.notifier.sent.map((s) => s.reply.text)).toEqual(["Hello U-4", "Hello U-6"]);
  });

  it("a permanent failure lands in the dead letters at once, with what to retry", async () => {
    h.notifier.fail = () => new NotifyError("permanent", "channel_not_found");
    const data = notice("U-7");
    const error = await deliver(job("p1", data), h.deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnrecoverableError);
    expect((error as Error).message).toBe("nudge to a direct message to U-7: channel_not_found");
    expect(await h.store.deadLetters(TENANT)).toEqual([
      {
        id: "p1",
        kind: "nudge",
        to: "a direct message to U-7",
        reason: "channel_not_found",
        failedAt: "2026-11-20T10:00:00.000Z",
        payload: JSON.stringify(data),
      },
    ]);
    expect(await h.deps.metrics.render()).toContain('maturity_bot_messages_failed_total{kind="nudge"} 1');
  });

  it("a passing failure is retried, and kept as a dead letter on the last attempt only", async () => {
    h.notifier.fail = () => new Error("socket hang up");
    const first = await deliver(job("t1", notice("U-8"), 1, 3), h.deps).catch((e: unknown) => e);
    expect(first).not.toBeInstanceOf(UnrecoverableError);
    expect((first as Error).message).toBe("nudge to a direct message to U-8: internal_error");
    expect(await h.store.deadLetters(TENANT)).toEqual([]);
    // Another member's (each conversation gets one message a second), on its third and last attempt.
    const last = await deliver(job("t2", notice("U-10"), 2, 3), h.deps).catch((e: unknown) => e);
    expect(last).toBeInstanceOf(UnrecoverableError);
    expect((await h.store.deadLetters(TENANT)).map((l) => [l.id, l.reason])).toEqual([
      ["t2", "internal_error"],
    ]);
  });
});
