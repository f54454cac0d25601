import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pngSize } from "../../../jobs/chart.js";
import { digestFor } from "../../../jobs/digest.js";
import { enqueueEffects } from "../../../jobs/effects.js";
import { jobId } from "../../../jobs/queues.js";
import { observeQueues } from "../../../jobs/worker.js";
import type { ChatEventInput } from "../../../src/core/conversation/events.js";
import type { Team } from "../../../src/core/conversation/ports.js";
import { NotifyError } from "../../../src/core/notify.js";
import { runInRequest } from "../../../src/observability/context.js";
import { answerAll, channelDirectory, command, TENANT, visible } from "../../support/engine.js";
import { type JobsHarness, jobsHarness } from "./harness.js";

/**
 * The jobs against a real Redis with two sets of BullMQ workers (two "processes") and a recording
 * Notifier: what members and channels would receive, and how often.
 */

let h: JobsHarness;
const TEAM = "C-JOBS";
const MEMBERS = ["U-1", "U-2", "U-3", "U-4"];
const CHANNEL = { channel: TEAM };
const DM = { dm: true } as const;
const directory = channelDirectory({ [TEAM]: MEMBERS });

beforeAll(async () => {
  h = await jobsHarness("jobs");
  h.clock.set("2026-11-20T10:00:00Z"); // a Friday, within working hours in UTC
  await h.worker();
  await h.worker();
  const { effects } = await h.engine.handle(command("U-1", CHANNEL, "setup"), { directory });
  await enqueueEffects(h.queues, h.store, effects, h.clock.now());
}, 30_000);
afterAll(async () => {
  await h?.close();
});

const team = async (): Promise<Team> => (await h.store.getTeam(TENANT, TEAM))!;

/** A command through the engine, its effects through the queues, as the web role does. */
async function say(user: string, where: typeof CHANNEL | typeof DM, name: string, args = "") {
  const outcome = await h.engine.handle(command(user, where, name, args), { directory });
  await enqueueEffects(h.queues, h.store, outcome.effects, h.clock.now());
  return outcome.replies;
}

async function complete(user: string, level: number) {
  const first = (await h.send(command(user, DM, "assess"))).find((r) => r.progress)!;
  const done = await answerAll(h, user, first, [level]);
  return done;
}

describe("a team's scheduler", () => {
  it("is created at setup, once, in the team's time zone", async () => {
    const schedulers = await h.queues.rounds.getJobSchedulers(0, -1);
    const mine = schedulers.filter((s) => (s.key ?? s.id) === jobId("open", TENANT, TEAM));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ pattern: "0 9 1-3 1,4,7,10 *", tz: "UTC" });
    // Changing the schedule replaces it rather than adding a second one.
    await say("U-1", CHANNEL, "schedule", "quarterly at 10:30 tz Europe/Berlin");
    await h.settle();
    const after = (await h.queues.rounds.getJobSchedulers(0, -1)).filter(
      (s) => (s.key ?? s.id) === jobId("open", TENANT, TEAM),
    );
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ pattern: "30 10 1-3 1,4,7,10 *", tz: "Europe/Berlin" });
    const next = new Date(after[0]!.next!);
    // BullMQ's next firing: 1 January 2027, 10:30 in Berlin (CET, UTC+1).
    expect(next.toISOString()).toBe("2027-01-01T09:30:00.000Z");
    await say("U-1", CHANNEL, "schedule", "quarterly at 09:00 tz UTC");
  });

  it("refuses schedule changes, round start, remind and close to members who are not leads", async () => {
    for (const [name, args] of [
      ["schedule", "monthly"],
      ["round", "start"],
      ["remind", ""],
      ["close", ""],
      ["digest", "now"],
      ["failures", ""],
    ] as const) {
      const [r] = await say("U-2", CHANNEL, name, args);
      expect(visible(r!)).toMatch(/lead/);
      expect(r!.private).toBe(true);
    }
    expect((await team()).schedule?.cadence ?? "quarterly").toBe("quarterly");
    expect(await h.store.openRoundOf(TENANT, TEAM)).toBeUndefined();
  });
});

describe("nudges", () => {
  it("reach each member once, whatever fires twice: the scheduler, round start, two workers", async () => {
    // The scheduler fires on the opening day (twice), the lead clicks round start twice.
    h.clock.set("2026-10-01T09:00:00Z");
    const open = { tenant: TENANT, teamId: TEAM, by: "schedule" };
    await h.queues.rounds.add("open-round", open, { jobId: "fire-1" });
    await h.queues.rounds.add("open-round", open, { jobId: "fire-2" });
    await h.settle();
    await Promise.all([say("U-1", CHANNEL, "round", "start"), say("U-1", CHANNEL, "round", "start")]);
    await h.settle();
    for (const m of MEMBERS) {
      const nudges = h.notifier.to(m).filter((s) => s.reply.key?.startsWith("nudge:"));
      expect(nudges, m).toHaveLength(1);
      expect(visible(nudges[0]!.reply)).toContain("2026-Q4");
    }
    expect((await h.store.openRoundOf(TENANT, TEAM))?.id).toBe("2026-Q4");
  });

  it("reminds only members who have not completed, not snoozed and not opted out, at most twice", async () => {
    h.clock.set("2026-10-05T10:00:00Z");
    await complete("U-2", 3);
    await say("U-3", DM, "snooze");
    await say("U-4", DM, "stop", "nudges");
    // The reminder the round scheduled for its third day, brought forward to now.
    const remind = async (slot: string) => {
      const job = await h.queues.rounds.getJob(jobId("remind", TENANT, TEAM, "2026-Q4", slot));
      expect(job, slot).toBeDefined();
      await job!.promote();
    };
    await remind("day-3");
    await h.settle();
    const reminders = (m: string) => h.notifier.to(m).filter((s) => s.reply.key?.startsWith("remind:"));
    expect(reminders("U-1")).toHaveLength(1);
    expect(reminders("U-2")).toHaveLength(0); // completed
    expect(reminders("U-3")).toHaveLength(0); // snoozed
    expect(reminders("U-4")).toHaveLength(0); // opted out
    await remind("day-7");
    await h.settle();
    expect(reminders("U-1")).toHaveLength(2);
    const [lead] = await say("U-1", CHANNEL, "remind");
    expect(visible(lead!)).toContain("Reminding the 3 members");
    await h.settle();
    expect(reminders("U-1")).toHaveLength(2); // never a third
    await say("U-4", DM, "start", "nudges");
  });
});

describe("closing", () => {
  it("closes with one progress note when the level is the first; a lead's close again posts nothing", async () => {
    for (const m of ["U-1", "U-3", "U-4"]) await complete(m, 2);
    await h.settle();
    // Every member completed: the round closed by itself and one note went to the channel.
    expect((await h.store.getRound(TENANT, TEAM, "2026-Q4"))?.closedBy).toBe("all-completed");
    const [close] = await say("U-1", CHANNEL, "close");
    expect(visible(close!)).toMatch(/no open round|already closed/);
    await h.settle();
    const posts = h.notifier.inChannel(TEAM);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.reply.text).toMatch(/^2026-Q4 closed: #c-jobs is level 2/);
  });

  it("a second round answered higher closes with one level-change summary naming what moved", async () => {
    h.clock.set("2026-11-02T10:00:00Z");
    await say("U-1", CHANNEL, "round", "start");
    await h.settle();
    for (const m of MEMBERS.slice(0, 3)) await complete(m, 4);
    const [closed] = await say("U-1", CHANNEL, "close");
    expect(visible(closed!)).toContain("Closed **2026-Q4 (round 2)**");
    await h.settle();
    const posts = h.notifier.inChannel(TEAM);
    expect(posts).toHaveLength(2);
    const summary = posts[1]!.reply;
    expect(summary.text).toContain("level 2 → level 4");
    const text = visible(summary);
    expect(text).toContain("**Level 2 → level 4**");
    expect(text).toMatch(/Experimentation|Model lifecycle|Production|Standards|Team/);
    expect(text).toContain("Next steps for level 4 → 5");
  });
});

describe("the digest", () => {
  it("lists every team with its trend and renders a PNG chart without a browser", async () => {
    const digest = await digestFor(h.deps, TENANT, "MLOps maturity digest");
    expect(digest.teams).toHaveLength(1);
    expect(digest.teams[0]!.trend.map((t) => t.level)).toEqual([2, 4]);
    expect(digest.distribution).toEqual([0, 0, 0, 1, 0]);
    const png = digest.chart.data;
    expect(Buffer.from(png.slice(0, 8))).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
    expect(pngSize(png)).toEqual({ width: 900, height: 480 });
    expect(png.byteLength).toBeGreaterThan(5_000);

    const [here] = await say("U-1", CHANNEL, "digest", "here");
    expect(visible(here!)).toContain("This channel now gets");
    await say("U-1", CHANNEL, "digest", "now");
    await h.settle();
    const digests = () => h.notifier.inChannel(TEAM).filter((s) => s.reply.key?.startsWith("digest:"));
    // The chart follows the message a moment later.
    await h.until("the digest and its chart", () => digests().length === 2);
    const [message, chart] = digests();
    expect(visible(message!.reply)).toContain("#c-jobs");
    expect(visible(message!.reply)).toMatch(/Market \(estimate\)/);
    const image = chart!.reply.blocks[0]!;
    expect(image.type).toBe("image");
  });
});

describe("delivery failures", () => {
  it("retries a passing failure, then lands a permanent one in the dead letters, shown with a retry button", async () => {
    let failures = 0;
    h.notifier.fail = (target) => {
      if (target.to.kind !== "dm" || target.to.user !== "U-1") return undefined;
      failures++;
      return failures <= 1
        ? new NotifyError("temporary", "http_500")
        : new NotifyError("permanent", "account_inactive");
    };
    h.clock.set("2026-11-10T10:00:00Z");
    await say("U-1", CHANNEL, "round", "start");
    await h.until("a dead letter", async () => (await h.store.deadLetters(TENANT)).length > 0);
    h.notifier.fail = undefined;
    expect(failures).toBe(2);
    const letters = await h.store.deadLetters(TENANT);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ kind: "nudge", reason: "account_inactive" });
    const [list] = await say("U-1", CHANNEL, "failures");
    expect(visible(list!)).toContain("account_inactive");
    const retry = list!.blocks.flatMap((b) => (b.type === "actions" ? b.buttons : []))[0]!;
    const outcome = await h.engine.handle({
      ...command("U-1", CHANNEL, "x"),
      type: "action",
      actionId: retry.id,
      value: retry.value,
    } as ChatEventInput);
    await enqueueEffects(h.queues, h.store, outcome.effects, h.clock.now());
    await h.settle();
    expect(await h.store.deadLetters(TENANT)).toHaveLength(0);
    await observeQueues(h.deps);
    const metrics = await h.deps.metrics.render();
    expect(metrics).toMatch(/maturity_bot_dead_letters 0\n/);
    expect(metrics).toMatch(/maturity_bot_queue_jobs\{queue="deliveries",state="failed"\} [1-9]/);
    expect(metrics).toMatch(/maturity_bot_messages_sent_total\{kind="nudge"\} [1-9]/);
    await h.until("the retried nudge", () =>
      h.notifier.to("U-1").some((s) => s.reply.key === "nudge:C-JOBS:2026-Q4-3"),
    );
    expect(h.notifier.to("U-1").some((s) => s.reply.key === "nudge:C-JOBS:2026-Q4-3")).toBe(true);
  });
});

describe("tracing", () => {
  it("carries the request id of the web request into the jobs it enqueues", async () => {
    const at = new Date("2026-12-01T10:00:00Z");
    await runInRequest({ requestId: "req-42" }, () =>
      enqueueEffects(h.queues, h.store, [{ type: "digest-requested", tenant: "T-trace" }], at),
    );
    const job = await h.queues.rounds.getJob(
      jobId("digest-now", "T-trace", String(Math.floor(at.getTime() / 60_000))),
    );
    expect(job?.data).toMatchObject({ tenant: "T-trace", reason: "digest now", requestId: "req-42" });
  });
});
