import type { Job } from "bullmq";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decodeReply } from "../../../jobs/codec.js";
import { closeRoundJob, deliverLater, nudgeRoundJob, openRoundJob, remindJob } from "../../../jobs/rounds.js";
import type { Round, Session, Team } from "../../../src/core/conversation/ports.js";
import { visible } from "../../support/engine.js";
import { type JobsHarness, jobsHarness } from "./harness.js";

/**
 * The round jobs' processors called directly (no workers): which delivery and round jobs they leave in
 * the queues, with which ids, delays and messages, and what they return for the job's log.
 */

const TENANT = "T-rounds";
const TEAM = "C-R";
let h: JobsHarness;
beforeEach(async () => {
  h = await jobsHarness("rounds");
  h.clock.set("2026-11-20T10:00:00Z"); // a Friday, 10:00 UTC: working hours in UTC, evening in Tokyo
});
afterEach(async () => {
  await h?.close();
});

const job = (data: Record<string, unknown>) => ({ data }) as unknown as Job;

/** Monthly, 7 days to answer, reminded on day 3 (day 7 is the deadline itself: no reminder then). */
const MONTHLY = { cadence: "monthly", hour: 9, minute: 0, windowDays: 7, reminderDays: [3, 7] } as const;

async function makeTeam(extra: Partial<Team> = {}): Promise<Team> {
  const team: Team = {
    id: TEAM,
    tenant: TENANT,
    platform: "slack",
    name: "Platform",
    timezone: "UTC",
    leads: ["U-1"],
    members: ["U-1", "U-2", "U-3"],
    createdAt: "2026-11-01T10:00:00.000Z",
    createdBy: "U-1",
    schedule: { ...MONTHLY, reminderDays: [...MONTHLY.reminderDays] },
    ...extra,
  };
  await h.store.createTeam(team);
  return (await h.store.getTeam(TENANT, TEAM))!;
}

async function makeRound(team: Team, extra: Partial<Round> = {}): Promise<Round> {
  const round: Round = {
    id: "2026-11",
    teamId: team.id,
    cadence: "monthly",
    openedAt: "2026-11-20T10:00:00.000Z",
    deadline: "2026-11-27T10:00:00.000Z",
    openedBy: "lead",
    members: [...team.members],
    ...extra,
  };
  expect(await h.store.insertRound(TENANT, round)).toBe("opened");
  return round;
}

async function session(userId: string, status: Session["status"], round = "2026-11"): Promise<void> {
  const completed = status === "completed";
  const saved = await h.store.saveSession(
    {
      tenant: TENANT,
      teamId: TEAM,
      round,
      userId,
      mode: "quick",
      keys: ["a", "b"],
      answers: completed ? { a: 2, b: 3 } : { a: 2 },
      cursor: completed ? 2 : 1,
      status,
      startedAt: "2026-11-20T10:00:00.000Z",
      ...(completed ? { completedAt: "2026-11-20T10:05:00.000Z" } : {}),
      version: 1,
    },
    0,
  );
  expect(saved).toBe(true);
}

/** The delivery jobs: id, delay, who, kind and the message's visible text. */
async function deliveries() {
  const jobs = await h.queues.deliveries.getJobs(["waiting", "delayed"]);
  return jobs
    .map((j) => ({
      id: j.id,
      delay: j.opts.delay ?? 0,
      kind: j.data.kind,
      to: j.data.target.to,
      label: j.data.label,
      unlessDone: j.data.unlessDone,
      text: visible(decodeReply(j.data.reply)),
    }))
    .sort((a, b) => String(a.id).localeCompare(String(b.id)));
}

async function roundJobs() {
  const jobs = await h.queues.rounds.getJobs(["waiting", "delayed"]);
  return jobs
    .map((j) => ({ id: j.id, name: j.name, delay: j.opts.delay ?? 0, data: j.data }))
    .sort((a, b) => String(a.id).localeCompare(String(b.id)));
}

async function drains() {
  return (await h.queues.outbox.getJobs(["waiting", "delayed"])).map((j) => j.id);
}

describe("openRoundJob", () => {
  it("does nothing for a team that is gone", async () => {
    expect(await openRoundJob(job({ tenant: TENANT, teamId: "C-GONE", by: "schedule" }), h.deps)).toBe(
      "no such team",
    );
    expect(await deliveries()).toEqual([]);
  });

  it("opens no round before the opening time, but stores the next opening", async () => {
    h.clock.set("2026-12-01T08:30:00Z"); // the round opens at 09:00
    await makeTeam();
    expect(await openRoundJob(job({ tenant: TENANT, teamId: TEAM, by: "schedule" }), h.deps)).toBe(
      "not the opening day",
    );
    expect(await h.store.openRoundOf(TENANT, TEAM)).toBeUndefined();
    const due = await h.store.teamsDue(TENANT, new Date("2100-01-01T00:00:00Z"));
    expect(due.map((d) => [d.teamId, d.at.toISOString()])).toEqual([[TEAM, "2026-12-01T09:00:00.000Z"]]);
    expect(await deliveries()).toEqual([]);
  });

  it("on the opening day: opens the round, nudges each member in their working hours, plans its work", async () => {
    h.clock.set("2026-12-01T09:00:00Z"); // Tuesday 09:00 UTC; 18:00 in Tokyo, after work
    await makeTeam();
    await h.store.setPrefs(TENANT, "U-3", { timezone: "Asia/Tokyo" });
    expect(await openRoundJob(job({ tenant: TENANT, teamId: TEAM, by: "schedule" }), h.deps)).toBe(
      "opened: 2026-12",
    );
    const open = await h.store.openRoundOf(TENANT, TEAM);
    expect(open).toMatchObject({ id: "2026-12", openedBy: "schedule", deadline: "2026-12-08T09:00:00.000Z" });

    const sent = await deliveries();
    expect(sent.map((d) => [d.id, d.delay])).toEqual([
      ["nudge|T-rounds|C-R|2026-12|U-1", 0],
      ["nudge|T-rounds|C-R|2026-12|U-2", 0],
      // Wednesday 09:00 in Tokyo is 00:00 UTC: 15 hours on.
      ["nudge|T-rounds|C-R|2026-12|U-3", 15 * 3_600_000],
    ]);
    expect(sent[1]).toMatchObject({
      kind: "nudge",
      to: { kind: "dm", user: "U-2" },
      label: "a direct message to U-2",
      unlessDone: { teamId: TEAM, round: "2026-12", userId: "U-2" },
    });
    expect(sent[1]!.text).toContain("#Platform's **2026-12** maturity check-in is open");
    expect(sent[1]!.text).toContain("Answers close Tue 8 Dec 2026, 09:00 (UTC)");

    expect(await roundJobs()).toEqual([
      {
        id: "close|T-rounds|C-R|2026-12",
        name: "close-round",
        delay: 7 * 86_400_000,
        data: { tenant: TENANT, teamId: TEAM, round: "2026-12" },
      },
      {
        id: "remind|T-rounds|C-R|2026-12|day-3",
        name: "remind",
        delay: 3 * 86_400_000,
        data: { tenant: TENANT, teamId: TEAM, round: "2026-12", immediate: false, slot: "day-3" },
      },
    ]);
    // Nothing closed: no drain.
    expect(await drains()).toEqual([]);
  });

  it("by an operator: opens off the opening day and nudges everyone at once", async () => {
    await makeTeam();
    await h.store.setPrefs(TENANT, "U-3", { timezone: "Asia/Tokyo" });
    expect(await openRoundJob(job({ tenant: TENANT, teamId: TEAM, by: "operator" }), h.deps)).toBe(
      "opened: 2026-11",
    );
    expect(await h.store.openRoundOf(TENANT, TEAM)).toMatchObject({ id: "2026-11", openedBy: "lead" });
    expect((await deliveries()).map((d) => [d.id, d.delay])).toEqual([
      ["nudge|T-rounds|C-R|2026-11|U-1", 0],
      ["nudge|T-rounds|C-R|2026-11|U-2", 0],
      ["nudge|T-rounds|C-R|2026-11|U-3", 0],
    ]);
  });

  it("closes last period's round when the schedule opens the next, and drains its summary", async () => {
    const team = await makeTeam();
    await makeRound(team, { deadline: "2026-12-20T10:00:00.000Z" });
    h.clock.set("2026-12-01T09:00:00Z");
    expect(await openRoundJob(job({ tenant: TENANT, teamId: TEAM, by: "schedule" }), h.deps)).toBe(
      "opened: 2026-12",
    );
    expect(await h.store.getRound(TENANT, TEAM, "2026-11")).toMatchObject({ closedBy: "next-round" });
    expect(await drains()).toEqual(["drain|T-rounds"]);
  });

  it("reports a round already open, and a period's round already done, without nudging again", async () => {
    h.clock.set("2026-12-01T09:00:00Z");
    const team = await makeTeam();
    await makeRound(team, {
      id: "2026-12",
      openedAt: "2026-12-01T09:00:00.000Z",
      deadline: "2026-12-08T09:00:00.000Z",
    });
    expect(await openRoundJob(job({ tenant: TENANT, teamId: TEAM, by: "schedule" }), h.deps)).toBe(
      "already-open: 2026-12",
    );
    await h.queues.deliveries.obliterate({ force: true });
    await h.store.finishRound(TENANT, {
      ...(await h.store.getRound(TENANT, TEAM, "2026-12"))!,
      closedAt: "2026-12-01T09:30:00.000Z",
      closedBy: "lead",
    });
    expect(await openRoundJob(job({ tenant: TENANT, teamId: TEAM, by: "schedule" }), h.deps)).toBe(
      "already done: 2026-12",
    );
    expect(await deliveries()).toEqual([]);
  });
});

describe("nudgeRoundJob", () => {
  it("does nothing for a round that is not the open one", async () => {
    const team = await makeTeam();
    await makeRound(team);
    const data = { tenant: TENANT, teamId: TEAM, round: "2026-10", immediate: true };
    expect(await nudgeRoundJob(job(data), h.deps)).toBe("round not open");
    expect(await nudgeRoundJob(job({ ...data, teamId: "C-GONE", round: "2026-11" }), h.deps)).toBe(
      "round not open",
    );
    expect(await deliveries()).toEqual([]);
    expect(await roundJobs()).toEqual([]);
  });

  it("for a round a member opened: plans its reminders and close, nudges nobody", async () => {
    const team = await makeTeam();
    await makeRound(team, { openedBy: "member" });
    const data = { tenant: TENANT, teamId: TEAM, round: "2026-11", immediate: true, nudge: false };
    expect(await nudgeRoundJob(job(data), h.deps)).toBe("scheduled its deadline");
    expect(await deliveries()).toEqual([]);
    expect((await roundJobs()).map((j) => [j.id, j.delay])).toEqual([
      ["close|T-rounds|C-R|2026-11", 7 * 86_400_000],
      ["remind|T-rounds|C-R|2026-11|day-3", 3 * 86_400_000],
    ]);
  });

  it("nudges the members still to answer, skipping who completed, opted out or left the team", async () => {
    const team = await makeTeam({ members: ["U-1", "U-2", "U-3", "U-4", "U-5"] });
    await makeRound(team);
    await session("U-1", "completed");
    await session("U-2", "in-progress");
    await h.store.setPrefs(TENANT, "U-3", { optedOut: true });
    await h.store.setPrefs(TENANT, "U-4", { timezone: "Asia/Tokyo" });
    await h.store.changeMembers(TENANT, TEAM, [], ["U-5"]);
    const data = { tenant: TENANT, teamId: TEAM, round: "2026-11", immediate: false };
    // U-2, U-3 and U-4 have not completed; U-3 opted out of nudges.
    expect(await nudgeRoundJob(job(data), h.deps)).toBe("nudged 3");
    expect((await deliveries()).map((d) => [d.id, d.delay])).toEqual([
      ["nudge|T-rounds|C-R|2026-11|U-2", 0],
      // Monday 09:00 in Tokyo: 2026-11-23T00:00Z.
      ["nudge|T-rounds|C-R|2026-11|U-4", 2 * 86_400_000 + 14 * 3_600_000],
    ]);
  });

  it("nudges at once when a lead asks", async () => {
    const team = await makeTeam();
    await makeRound(team);
    await h.store.setPrefs(TENANT, "U-2", { timezone: "Asia/Tokyo" });
    const data = { tenant: TENANT, teamId: TEAM, round: "2026-11", immediate: true };
    expect(await nudgeRoundJob(job(data), h.deps)).toBe("nudged 3");
    expect((await deliveries()).map((d) => d.delay)).toEqual([0, 0, 0]);
  });

  it("plans a reminder day only when it falls before the deadline", async () => {
    const team = await makeTeam({ schedule: { ...MONTHLY, windowDays: 10, reminderDays: [3, 7, 10] } });
    await makeRound(team, { deadline: "2026-11-30T10:00:00.000Z" });
    const data = { tenant: TENANT, teamId: TEAM, round: "2026-11", immediate: true, nudge: false };
    await nudgeRoundJob(job(data), h.deps);
    expect((await roundJobs()).map((j) => [j.id, j.delay])).toEqual([
      ["close|T-rounds|C-R|2026-11", 10 * 86_400_000],
      ["remind|T-rounds|C-R|2026-11|day-3", 3 * 86_400_000],
      ["remind|T-rounds|C-R|2026-11|day-7", 7 * 86_400_000],
    ]);
  });
});

describe("remindJob", () => {
  const remind = (extra: Record<string, unknown> = {}) =>
    job({ tenant: TENANT, teamId: TEAM, round: "2026-11", immediate: false, slot: "day-3", ...extra });

  it("does nothing for a round that is not open", async () => {
    const team = await makeTeam();
    await makeRound(team);
    expect(await remindJob(remind({ round: "2026-10" }), h.deps)).toBe("round not open");
    expect(await remindJob(remind({ teamId: "C-GONE" }), h.deps)).toBe("round not open");
    expect(await deliveries()).toEqual([]);
  });

  it("reminds who has not completed, at most twice, never the snoozed or opted out", async () => {
    const team = await makeTeam({ members: ["U-1", "U-2", "U-3", "U-4", "U-5", "U-6", "U-7"] });
    await makeRound(team);
    await session("U-1", "completed");
    await session("U-2", "in-progress");
    await h.store.setPrefs(TENANT, "U-3", { optedOut: true });
    await h.store.setPrefs(TENANT, "U-4", { snoozedUntil: "2026-11-21T10:00:00.000Z" });
    await h.store.setPrefs(TENANT, "U-5", {
      snoozedUntil: "2026-11-20T09:59:00.000Z",
      timezone: "Asia/Tokyo",
    });
    const reminded = (userId: string) =>
      h.store.deliveries.after(TENANT, {
        id: `r-${userId}-${Math.random()}`,
        platform: "slack",
        notice: { teamId: TEAM, round: "2026-11", userId, kind: "reminder" },
      });
    await reminded("U-6");
    await reminded("U-6");
    await reminded("U-7");

    expect(await remindJob(remind(), h.deps)).toBe("reminded 3");
    const sent = await deliveries();
    expect(sent.map((d) => [d.id, d.delay])).toEqual([
      ["reminder|T-rounds|C-R|2026-11|U-2|day-3", 0],
      // The snooze is over; Monday 09:00 in Tokyo.
      ["reminder|T-rounds|C-R|2026-11|U-5|day-3", 2 * 86_400_000 + 14 * 3_600_000],
      // Reminded once before: once more.
      ["reminder|T-rounds|C-R|2026-11|U-7|day-3", 0],
    ]);
    expect(sent[0]).toMatchObject({
      kind: "reminder",
      to: { kind: "dm", user: "U-2" },
      label: "a direct message to U-2",
      unlessDone: { teamId: TEAM, round: "2026-11", userId: "U-2" },
    });
    // Half done: told to pick up; not started: told it is still open.
    expect(sent[0]!.text).toContain(
      "Your #Platform **2026-11** assessment is half done: pick up where you left off. Answers close Fri 27 Nov 2026, 10:00 (UTC).",
    );
    expect(sent[0]!.text).toContain("Resume");
    expect(sent[2]!.text).toContain("Reminder: #Platform's **2026-11** check-in is still open");
    expect(sent[2]!.text).toContain("Start my assessment");
  });

  it("reminds a member whose snooze ends this very moment", async () => {
    const team = await makeTeam({ members: ["U-1", "U-2"] });
    await makeRound(team);
    await h.store.setPrefs(TENANT, "U-1", { snoozedUntil: "2026-11-20T10:00:00.000Z" });
    await h.store.setPrefs(TENANT, "U-2", { snoozedUntil: "2026-11-20T10:00:00.001Z" });
    expect(await remindJob(remind(), h.deps)).toBe("reminded 1");
    expect((await deliveries()).map((d) => d.id)).toEqual(["reminder|T-rounds|C-R|2026-11|U-1|day-3"]);
  });

  it("reminds at once when a lead asks", async () => {
    const team = await makeTeam();
    await makeRound(team);
    await h.store.setPrefs(TENANT, "U-2", { timezone: "Asia/Tokyo" });
    expect(await remindJob(remind({ immediate: true, slot: "lead-1" }), h.deps)).toBe("reminded 3");
    expect((await deliveries()).map((d) => [d.id, d.delay])).toEqual([
      ["reminder|T-rounds|C-R|2026-11|U-1|lead-1", 0],
      ["reminder|T-rounds|C-R|2026-11|U-2|lead-1", 0],
      ["reminder|T-rounds|C-R|2026-11|U-3|lead-1", 0],
    ]);
  });
});

describe("closeRoundJob", () => {
  it("closes the round at its deadline once, and drains its summary", async () => {
    const team = await makeTeam();
    await makeRound(team);
    const data = { tenant: TENANT, teamId: TEAM, round: "2026-11" };
    expect(await closeRoundJob(job(data), h.deps)).toBe("closed");
    expect(await h.store.getRound(TENANT, TEAM, "2026-11")).toMatchObject({ closedBy: "deadline" });
    expect(await drains()).toEqual(["drain|T-rounds"]);
    expect(await closeRoundJob(job(data), h.deps)).toBe("already-closed");
  });

  it("does nothing for a team that is gone", async () => {
    expect(await closeRoundJob(job({ tenant: TENANT, teamId: "C-GONE", round: "2026-11" }), h.deps)).toBe(
      "no such team",
    );
    expect(await drains()).toEqual([]);
  });
});

describe("deliverLater", () => {
  it("adds one delivery job by its id, delayed as asked", async () => {
    const data = {
      kind: "digest" as const,
      target: {
        platform: "slack" as const,
        tenant: TENANT,
        to: { kind: "channel" as const, channel: "C-D" },
      },
      reply: JSON.stringify({ text: "x", blocks: [] }),
      label: "the digest channel",
    };
    await deliverLater(h.deps, "digest|T-rounds|w1", data, 5000);
    await deliverLater(h.deps, "digest|T-rounds|w1", data, 5000);
    await deliverLater(h.deps, "digest|T-rounds|w2", data);
    const jobs = await h.queues.deliveries.getJobs(["waiting", "delayed"]);
    expect(jobs.map((j) => [j.id, j.name, j.opts.delay ?? 0]).sort()).toEqual([
      ["digest|T-rounds|w1", "deliver", 5000],
      ["digest|T-rounds|w2", "deliver", 0],
    ]);
  });
});
