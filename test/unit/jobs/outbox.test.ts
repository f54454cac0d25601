import type { Job } from "bullmq";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decodeReply } from "../../../jobs/codec.js";
import { drainJob } from "../../../jobs/outbox.js";
import type { Round, Team } from "../../../src/core/conversation/ports.js";
import { closeRound } from "../../../src/core/rounds/lifecycle.js";
import { visible } from "../../support/engine.js";
import { type JobsHarness, jobsHarness } from "./harness.js";

/** The outbox drain called directly: what follows a completed assessment or a closed round. */

const TENANT = "T-out";
const TEAM = "C-O";
let h: JobsHarness;
beforeEach(async () => {
  h = await jobsHarness("outbox");
  h.clock.set("2026-11-20T10:00:00Z");
});
afterEach(async () => {
  await h?.close();
});

const drain = () => drainJob({ data: { tenant: TENANT } } as unknown as Job, h.deps);

async function setup(members = ["U-1", "U-2"]): Promise<Team> {
  await h.store.createTeam({
    id: TEAM,
    tenant: TENANT,
    platform: "slack",
    name: "Data",
    timezone: "UTC",
    leads: ["U-1"],
    members,
    createdAt: "2026-11-01T10:00:00.000Z",
    createdBy: "U-1",
  });
  const round: Round = {
    id: "2026-Q4",
    teamId: TEAM,
    cadence: "quarterly",
    openedAt: "2026-11-20T09:00:00.000Z",
    deadline: "2026-12-04T09:00:00.000Z",
    openedBy: "lead",
    members,
  };
  await h.store.insertRound(TENANT, round);
  return (await h.store.getTeam(TENANT, TEAM))!;
}

async function complete(userId: string): Promise<void> {
  const keys = h.deps.bank.keys("quick");
  expect(keys.length).toBeGreaterThan(0);
  await h.store.saveSession(
    {
      tenant: TENANT,
      teamId: TEAM,
      round: "2026-Q4",
      userId,
      mode: "quick",
      keys,
      answers: Object.fromEntries(keys.map((k) => [k, 3])),
      cursor: keys.length,
      status: "completed",
      startedAt: "2026-11-20T09:30:00.000Z",
      completedAt: "2026-11-20T09:40:00.000Z",
      version: 1,
    },
    0,
  );
}

async function summaries() {
  return (await h.queues.deliveries.getJobs(["waiting", "delayed"])).map((j) => ({
    id: j.id,
    kind: j.data.kind,
    to: j.data.target.to,
    label: j.data.label,
    text: visible(decodeReply(j.data.reply)),
  }));
}

describe("drainJob", () => {
  it("does not close the round while a member has yet to complete, and empties the outbox", async () => {
    await setup();
    await complete("U-1");
    expect(await h.store.outbox(TENANT)).toHaveLength(1);
    expect(await drain()).toBe("handled 1");
    expect(await h.store.openRoundOf(TENANT, TEAM)).toMatchObject({ id: "2026-Q4" });
    expect(await h.store.outbox(TENANT)).toEqual([]);
    expect(await drain()).toBe("handled 0");
  });

  it("closes the round when the last member completes, then posts its summary to the channel", async () => {
    await setup();
    await complete("U-1");
    await complete("U-2");
    // Both completions, then the round-closed entry the closing wrote.
    expect(await drain()).toBe("handled 3");
    expect(await h.store.getRound(TENANT, TEAM, "2026-Q4")).toMatchObject({ closedBy: "all-completed" });
    const sent = await summaries();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      id: "summary|T-out|C-O|2026-Q4",
      kind: "summary",
      to: { kind: "channel", channel: TEAM },
      label: "#Data",
    });
    expect(sent[0]!.text).toContain("2026-Q4");
    // No digest channel: no digest.
    expect(await h.queues.rounds.getJobs(["waiting", "delayed"])).toEqual([]);
  });

  it("closes when every member still in the team has completed", async () => {
    await setup(["U-1", "U-2"]);
    await h.store.changeMembers(TENANT, TEAM, [], ["U-2"]);
    await complete("U-1");
    expect(await drain()).toBe("handled 2");
    expect(await h.store.getRound(TENANT, TEAM, "2026-Q4")).toMatchObject({ closedBy: "all-completed" });
  });

  it("after a lead's close, a completion changes nothing; the summary is posted once", async () => {
    const team = await setup();
    await closeRound(h.deps, team, "lead");
    await complete("U-1");
    expect(await drain()).toBe("handled 2");
    expect(await h.store.getRound(TENANT, TEAM, "2026-Q4")).toMatchObject({ closedBy: "lead" });
    expect((await summaries()).map((s) => s.id)).toEqual(["summary|T-out|C-O|2026-Q4"]);
  });

  it("with a digest channel, plans one digest per period an hour after the round closes", async () => {
    const team = await setup();
    await h.store.setSettings(TENANT, { digestChannel: "C-DIGEST", digestPlatform: "slack" });
    await closeRound(h.deps, team, "lead");
    expect(await drain()).toBe("handled 1");
    const digests = await h.queues.rounds.getJobs(["waiting", "delayed"]);
    expect(digests.map((j) => [j.id, j.name, j.data, j.opts.delay])).toEqual([
      ["digest|T-out|2026-Q4", "digest", { tenant: TENANT, reason: "round 2026-Q4" }, 3_600_000],
    ]);
  });

  it("skips entries of a team that is gone", async () => {
    await h.store.createTeam({
      id: "C-KEEP",
      tenant: TENANT,
      platform: "slack",
      timezone: "UTC",
      leads: ["U-1"],
      members: ["U-1"],
      createdAt: "2026-11-01T10:00:00.000Z",
      createdBy: "U-1",
    });
    await h.redis.rpush(
      `${h.prefix}:{${TENANT}}:outbox`,
      JSON.stringify({
        type: "round-closed",
        teamId: "C-GONE",
        round: "2026-Q4",
        at: "2026-11-20T10:00:00.000Z",
      }),
    );
    expect(await drain()).toBe("handled 1");
    expect(await summaries()).toEqual([]);
  });
});
