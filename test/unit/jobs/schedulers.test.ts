import { Worker } from "bullmq";
import { Redis } from "ioredis";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  isoInZone,
  jobsStatus,
  reconcileSchedulers,
  removeScheduler,
  syncScheduler,
} from "../../../jobs/schedulers.js";
import type { Team } from "../../../src/core/conversation/ports.js";
import { REDIS_URL } from "../../support/redis.js";
import { type JobsHarness, jobsHarness } from "./harness.js";

/**
 * The team schedulers and the operator's status, called directly against a real Redis on a key prefix
 * of its own (no workers run: what is checked is what BullMQ and the store hold).
 */

describe("isoInZone", () => {
  it("writes a time with its zone's offset, east and west of UTC, in winter and summer", () => {
    expect(isoInZone(new Date("2027-01-01T08:00:00Z"), "Europe/Berlin")).toBe("2027-01-01T09:00:00+01:00");
    expect(isoInZone(new Date("2027-07-01T07:00:00Z"), "Europe/Berlin")).toBe("2027-07-01T09:00:00+02:00");
    expect(isoInZone(new Date("2027-07-01T13:00:00Z"), "America/New_York")).toBe("2027-07-01T09:00:00-04:00");
    expect(isoInZone(new Date("2027-01-15T01:00:00Z"), "America/Los_Angeles")).toBe(
      "2027-01-14T17:00:00-08:00",
    );
  });

  it("keeps the minutes of half-hour offsets on either side of UTC", () => {
    expect(isoInZone(new Date("2027-01-01T03:30:00Z"), "Asia/Kolkata")).toBe("2027-01-01T09:00:00+05:30");
    expect(isoInZone(new Date("2027-01-01T12:30:00Z"), "America/St_Johns")).toBe("2027-01-01T09:00:00-03:30");
    expect(isoInZone(new Date("2027-01-01T03:15:00Z"), "Asia/Kathmandu")).toBe("2027-01-01T09:00:00+05:45");
  });

  it("writes UTC as +00:00, midnight as 00 and every field with two digits", () => {
    expect(isoInZone(new Date("2027-03-05T00:05:07Z"), "UTC")).toBe("2027-03-05T00:05:07+00:00");
    expect(isoInZone(new Date("2027-12-31T23:59:59Z"), "UTC")).toBe("2027-12-31T23:59:59+00:00");
    // Milliseconds do not shift the offset.
    expect(isoInZone(new Date("2027-03-05T08:00:00.999Z"), "Europe/Berlin")).toBe(
      "2027-03-05T09:00:00+01:00",
    );
  });
});

const TENANT = "T-sched";
let h: JobsHarness;
beforeEach(async () => {
  h = await jobsHarness("schedulers");
});
afterEach(async () => {
  await h?.close();
});

function team(id: string, extra: Partial<Team> = {}): Team {
  return {
    id,
    tenant: TENANT,
    platform: "slack",
    timezone: "UTC",
    leads: ["U-LEAD"],
    members: ["U-LEAD", "U-2"],
    createdAt: "2026-11-01T10:00:00.000Z",
    createdBy: "U-LEAD",
    ...extra,
  };
}

const monthlyBerlin: Partial<Team> = {
  timezone: "Europe/Berlin",
  schedule: { cadence: "monthly", hour: 10, minute: 30, windowDays: 7, reminderDays: [2] },
};

async function schedulers() {
  return (await h.queues.rounds.getJobSchedulers(0, -1))
    .map((s) => ({ id: s.key ?? s.id, pattern: s.pattern, tz: s.tz }))
    .sort((a, b) => String(a.id).localeCompare(String(b.id)));
}

/** The store's next opening per team, as ISO times. */
async function nextOpenings(tenant = TENANT) {
  const due = await h.store.teamsDue(tenant, new Date("2100-01-01T00:00:00Z"));
  return Object.fromEntries(due.map((d) => [d.teamId, d.at.toISOString()]));
}

describe("syncScheduler", () => {
  it("adds the team's scheduler, in its zone, firing an open-round job, and stores the next opening", async () => {
    const t = team("C-ONE", monthlyBerlin);
    await h.store.createTeam(t);
    await syncScheduler(h.queues, h.store, t, new Date("2026-11-20T10:00:00Z"));

    expect(await schedulers()).toEqual([
      { id: "open|T-sched|C-ONE", pattern: "30 10 1-3 * *", tz: "Europe/Berlin" },
    ]);
    const scheduler = await h.queues.rounds.getJobScheduler("open|T-sched|C-ONE");
    expect(scheduler?.template?.data).toEqual({ tenant: "T-sched", teamId: "C-ONE", by: "schedule" });
    // Its first firing waits as a delayed job named for the processor.
    const delayed = await h.queues.rounds.getJobs(["delayed"]);
    expect(delayed.map((j) => [j.name, j.data])).toEqual([
      ["open-round", { tenant: "T-sched", teamId: "C-ONE", by: "schedule" }],
    ]);
    // 1 December 2026, 10:30 in Berlin (CET).
    expect(await nextOpenings()).toEqual({ "C-ONE": "2026-12-01T09:30:00.000Z" });
  });

  it("replaces a changed schedule rather than adding a second scheduler", async () => {
    const t = team("C-ONE");
    await h.store.createTeam(t);
    await syncScheduler(h.queues, h.store, t, new Date("2026-11-20T10:00:00Z"));
    expect(await schedulers()).toEqual([
      { id: "open|T-sched|C-ONE", pattern: "0 9 1-3 1,4,7,10 *", tz: "UTC" },
    ]);
    expect(await nextOpenings()).toEqual({ "C-ONE": "2027-01-01T09:00:00.000Z" });

    const changed = { ...t, ...monthlyBerlin };
    await syncScheduler(h.queues, h.store, changed, new Date("2026-11-20T10:00:00Z"));
    expect(await schedulers()).toEqual([
      { id: "open|T-sched|C-ONE", pattern: "30 10 1-3 * *", tz: "Europe/Berlin" },
    ]);
    expect(await nextOpenings()).toEqual({ "C-ONE": "2026-12-01T09:30:00.000Z" });
  });
});

describe("removeScheduler", () => {
  it("removes that team's scheduler only", async () => {
    for (const id of ["C-ONE", "C-TWO"]) await syncScheduler(h.queues, h.store, team(id), new Date());
    await removeScheduler(h.queues, TENANT, "C-ONE");
    expect((await schedulers()).map((s) => s.id)).toEqual(["open|T-sched|C-TWO"]);
  });
});

describe("reconcileSchedulers", () => {
  it("gives every stored team of every tenant its scheduler and counts them, skipping a vanished team", async () => {
    await h.store.createTeam(team("C-ONE"));
    await h.store.createTeam(team("C-TWO", monthlyBerlin));
    await h.store.createTeam(team("C-ELSE", { tenant: "T-other" }));
    // A team id listed without its record (deleted halfway): nothing to schedule.
    await h.redis.sadd(`${h.prefix}:{T-other}:teams`, "C-GONE");

    expect(await reconcileSchedulers(h.queues, h.store)).toBe(3);
    expect(await schedulers()).toEqual([
      { id: "open|T-other|C-ELSE", pattern: "0 9 1-3 1,4,7,10 *", tz: "UTC" },
      { id: "open|T-sched|C-ONE", pattern: "0 9 1-3 1,4,7,10 *", tz: "UTC" },
      { id: "open|T-sched|C-TWO", pattern: "30 10 1-3 * *", tz: "Europe/Berlin" },
    ]);
  });

  it("counts nothing when there are no teams", async () => {
    expect(await reconcileSchedulers(h.queues, h.store)).toBe(0);
    expect(await schedulers()).toEqual([]);
  });
});

describe("jobsStatus", () => {
  it("lists the teams with a scheduler, their next opening in their zone, queue depths and dead letters", async () => {
    const now = new Date("2026-11-20T10:00:00Z");
    const berlin = team("C-BER", monthlyBerlin);
    await h.store.createTeam(berlin);
    await h.store.createTeam(team("C-NONE")); // stored, but no scheduler: not listed
    const utc = team("C-UTC");
    await h.store.createTeam(utc);
    await syncScheduler(h.queues, h.store, utc, now);
    await h.store.createTeam(team("C-NY", { tenant: "T-other", timezone: "America/New_York" }));
    await syncScheduler(h.queues, h.store, berlin, now);
    await syncScheduler(h.queues, h.store, (await h.store.getTeam("T-other", "C-NY"))!, now);
    for (const [tenant, id] of [
      [TENANT, "L1"],
      [TENANT, "L2"],
      ["T-other", "L3"],
    ] as const)
      await h.store.addDeadLetter(tenant, {
        id,
        kind: "nudge",
        to: "a direct message to U-2",
        reason: "gone",
        failedAt: "2026-11-20T10:00:00.000Z",
        payload: "{}",
      });

    // One job in each state: waiting (rounds), active (outbox), delayed and failed (deliveries).
    await h.queues.rounds.add("digest", { tenant: TENANT, reason: "test" }, { jobId: "waiting-one" });
    await h.queues.outbox.add("drain", { tenant: TENANT }, { jobId: "active-one" });
    await h.queues.deliveries.add("deliver", {}, { jobId: "delayed-one", delay: 3_600_000 });
    await h.queues.deliveries.add("deliver", {}, { jobId: "failed-one", attempts: 1 });
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const take = async (queue: "outbox" | "deliveries") => {
      const worker = new Worker(queue, null, {
        connection,
        prefix: `${h.prefix}:{jobs}`,
        autorun: false,
      });
      const job = await worker.getNextJob("token");
      return { worker, job: job! };
    };
    const outbox = await take("outbox");
    const deliveries = await take("deliveries");
    expect(deliveries.job.id).toBe("failed-one");
    await deliveries.job.moveToFailed(new Error("refused"), "token", false);

    try {
      const status = await jobsStatus(h.queues, h.store, now);
      expect(status).toEqual({
        schedulers: [
          {
            tenant: "T-other",
            team: "C-NY",
            timezone: "America/New_York",
            next: "2027-01-01T09:00:00-05:00",
          },
          { tenant: "T-sched", team: "C-BER", timezone: "Europe/Berlin", next: "2026-12-01T10:30:00+01:00" },
          { tenant: "T-sched", team: "C-UTC", timezone: "UTC", next: "2027-01-01T09:00:00+00:00" },
        ],
        queues: {
          // The three schedulers' first firings wait as delayed jobs.
          rounds: { waiting: 1, active: 0, delayed: 3, failed: 0 },
          outbox: { waiting: 0, active: 1, delayed: 0, failed: 0 },
          deliveries: { waiting: 0, active: 0, delayed: 1, failed: 1 },
        },
        deadLetters: 3,
      });
    } finally {
      await outbox.worker.close(true);
      await deliveries.worker.close(true);
      connection.disconnect();
    }
  });
});
