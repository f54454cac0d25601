import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { enqueueEffects } from "../../../jobs/effects.js";
import type { Effect } from "../../../src/core/conversation/context.js";
import type { Team } from "../../../src/core/conversation/ports.js";
import { runInRequest } from "../../../src/observability/context.js";
import { type JobsHarness, jobsHarness } from "./harness.js";

/**
 * What the web side leaves in the queues for each of the engine's effects (no workers run): job names,
 * ids, data, and that the same effect twice adds nothing.
 */

const TENANT = "T-fx";
let h: JobsHarness;
beforeEach(async () => {
  h = await jobsHarness("effects");
});
afterEach(async () => {
  await h?.close();
});

// 2026-11-20T10:00:25.500Z: 179516882 ten-second steps, 29919480 minutes since the epoch.
const NOW = new Date("2026-11-20T10:00:25.500Z");

async function jobs(queue: "rounds" | "outbox" | "deliveries") {
  const found = await h.queues[queue].getJobs(["waiting", "delayed", "prioritized"]);
  return found
    .map((j) => ({ id: j.id, name: j.name, data: j.data }))
    .sort((a, b) => String(a.id).localeCompare(String(b.id)));
}

const opened = (by: "schedule" | "lead" | "member", teamId = "C-1"): Effect => ({
  type: "round-opened",
  tenant: TENANT,
  teamId,
  round: "2026-Q4",
  by,
});

describe("enqueueEffects", () => {
  it("a lead's round start nudges; a member's assess plans the round's work without nudging", async () => {
    await enqueueEffects(h.queues, h.store, [opened("lead"), opened("lead")], NOW);
    await enqueueEffects(h.queues, h.store, [opened("member", "C-2")], NOW);
    expect(await jobs("rounds")).toEqual([
      {
        id: "nudge-round|T-fx|C-1|2026-Q4",
        name: "nudge-round",
        data: { tenant: TENANT, teamId: "C-1", round: "2026-Q4", immediate: true, nudge: true },
      },
      {
        id: "round-work|T-fx|C-2|2026-Q4",
        name: "nudge-round",
        data: { tenant: TENANT, teamId: "C-2", round: "2026-Q4", immediate: true, nudge: false },
      },
    ]);
    expect(await jobs("outbox")).toEqual([]);
  });

  it("a lead's nudge is one job per ten seconds; a reminder one per minute; a digest one per minute", async () => {
    const nudge: Effect = { type: "nudge-requested", tenant: TENANT, teamId: "C-1", round: "2026-Q4" };
    const remind: Effect = { type: "remind-requested", tenant: TENANT, teamId: "C-1", round: "2026-Q4" };
    const digest: Effect = { type: "digest-requested", tenant: TENANT };
    await enqueueEffects(h.queues, h.store, [nudge, remind, digest], NOW);
    // Again four seconds later (the same ten seconds, the same minute): nothing more.
    await enqueueEffects(h.queues, h.store, [nudge, remind, digest], new Date(NOW.getTime() + 4000));
    expect(await jobs("rounds")).toEqual([
      { id: "digest-now|T-fx|29919480", name: "digest", data: { tenant: TENANT, reason: "digest now" } },
      {
        id: "nudge-round|T-fx|C-1|2026-Q4|179516882",
        name: "nudge-round",
        data: { tenant: TENANT, teamId: "C-1", round: "2026-Q4", immediate: true },
      },
      {
        id: "remind|T-fx|C-1|2026-Q4|lead-29919480",
        name: "remind",
        data: {
          tenant: TENANT,
          teamId: "C-1",
          round: "2026-Q4",
          immediate: true,
          slot: "lead-1795168825500",
        },
      },
    ]);
  });

  it("a completed assessment or a closed round drains the tenant's outbox once", async () => {
    const effects: Effect[] = [
      { type: "assessment-completed", tenant: TENANT, teamId: "C-1", round: "2026-Q4", userId: "U-1" },
      { type: "assessment-completed", tenant: TENANT, teamId: "C-1", round: "2026-Q4", userId: "U-2" },
      { type: "round-closed", tenant: "T-two", teamId: "C-9", round: "2026-Q4" } as unknown as Effect,
      { type: "assessment-started", tenant: "T-three", teamId: "C-1", round: "2026-Q4", userId: "U-3" },
    ];
    await enqueueEffects(h.queues, h.store, effects, NOW);
    expect(await jobs("outbox")).toEqual([
      { id: "drain|T-fx", name: "drain", data: { tenant: TENANT } },
      { id: "drain|T-two", name: "drain", data: { tenant: "T-two" } },
    ]);
    expect(await jobs("rounds")).toEqual([]);
  });

  it("a dead letter's retry sends its stored delivery again, as a new job", async () => {
    const payload = { kind: "nudge", label: "a direct message to U-1", reply: "{}" };
    const letter = {
      id: "nudge|T-fx|C-1|2026-Q4|U-1",
      kind: "nudge",
      to: "a direct message to U-1",
      reason: "gone",
      failedAt: "2026-11-20T09:00:00.000Z",
      payload: JSON.stringify(payload),
    };
    await enqueueEffects(h.queues, h.store, [{ type: "dead-letter-retry", tenant: TENANT, letter }], NOW);
    expect(await jobs("deliveries")).toEqual([
      { id: "retry|T-fx|nudge%7CT-fx%7CC-1%7C2026-Q4%7CU-1|1795168825500", name: "deliver", data: payload },
    ]);
  });

  it("a new team or a changed schedule syncs the team's scheduler; other changes do not", async () => {
    const team: Team = {
      id: "C-1",
      tenant: TENANT,
      platform: "slack",
      timezone: "Europe/Berlin",
      leads: ["U-1"],
      members: ["U-1"],
      createdAt: "2026-11-01T10:00:00.000Z",
      createdBy: "U-1",
    };
    await h.store.createTeam(team);
    await h.store.createTeam({ ...team, id: "C-2" });
    await h.store.createTeam({ ...team, id: "C-3" });
    await enqueueEffects(
      h.queues,
      h.store,
      [
        { type: "team-registered", tenant: TENANT, teamId: "C-1" },
        { type: "team-changed", tenant: TENANT, teamId: "C-2", what: "schedule" },
        { type: "team-changed", tenant: TENANT, teamId: "C-3", what: "leads" },
        { type: "team-registered", tenant: TENANT, teamId: "C-GONE" },
      ],
      NOW,
    );
    const schedulers = (await h.queues.rounds.getJobSchedulers(0, -1))
      .map((s) => [s.key ?? s.id, s.tz])
      .sort();
    expect(schedulers).toEqual([
      ["open|T-fx|C-1", "Europe/Berlin"],
      ["open|T-fx|C-2", "Europe/Berlin"],
    ]);
    const due = await h.store.teamsDue(TENANT, new Date("2100-01-01T00:00:00Z"));
    // The next opening after NOW, in Berlin: 1 January 2027, 09:00 CET.
    expect(due.map((d) => [d.teamId, d.at.toISOString()])).toEqual([
      ["C-1", "2027-01-01T08:00:00.000Z"],
      ["C-2", "2027-01-01T08:00:00.000Z"],
    ]);
  });

  it("carries the request's id into the job, so the worker logs under it", async () => {
    await runInRequest({ requestId: "req-42" }, () =>
      enqueueEffects(h.queues, h.store, [opened("lead"), { type: "digest-requested", tenant: TENANT }], NOW),
    );
    const found = await jobs("rounds");
    expect(found).toHaveLength(2);
    expect(found.map((j) => j.data.requestId)).toEqual(["req-42", "req-42"]);
  });
});
