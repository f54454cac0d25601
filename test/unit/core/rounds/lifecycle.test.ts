import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderReply } from "../../../../src/adapters/playground/render.js";
import { renderMessage } from "../../../../src/adapters/slack/render/blocks.js";
import {
  levelChangeSummary,
  nudgeReply,
  roundClosedReply,
} from "../../../../src/core/conversation/notices.js";
import type { Team } from "../../../../src/core/conversation/ports.js";
import { closeRound, openRound } from "../../../../src/core/rounds/lifecycle.js";
import {
  answerAll,
  button,
  channelDirectory,
  command,
  engineHarness,
  type Harness,
  TENANT,
  visible,
} from "../../../support/engine.js";
import { cleanPrefix, connect, testPrefix } from "../../../support/redis.js";

const prefix = testPrefix("lifecycle");
let redis: Redis;
let h: Harness;
const TEAM = "C-LIFE";
const MEMBERS = ["U-1", "U-2", "U-3"];
const CHANNEL = { channel: TEAM };

beforeAll(async () => {
  redis = connect();
  h = await engineHarness(redis, prefix);
  h.clock.set("2026-10-01T09:00:00Z");
  await h.send(command("U-1", CHANNEL, "setup"), { directory: channelDirectory({ [TEAM]: MEMBERS }) });
});
afterAll(async () => {
  await cleanPrefix(redis, prefix);
  await redis.quit();
});

const team = async (): Promise<Team> => (await h.store.getTeam(TENANT, TEAM))!;

/** Every member answers the open round through the engine: per member, a list of levels cycled over the questions. */
async function everyoneAnswers(levels: Record<string, number[]>): Promise<void> {
  for (const user of MEMBERS) {
    const replies = await h.send(command(user, { dm: true }, "assess"));
    const first = replies.find((r) => r.progress)!;
    const done = await answerAll(h, user, first, levels[user]!);
    expect(visible(done)).toContain("Done: your");
  }
}

describe("a round's lifecycle through the core, with no chat event", () => {
  it("opens a round once; reading the team opens and closes nothing", async () => {
    const opened = await openRound(h.engine.deps, await team(), "schedule");
    expect(opened.status).toBe("opened");
    if (opened.status !== "opened") return;
    expect(opened.round).toMatchObject({
      id: "2026-Q4",
      openedAt: "2026-10-01T09:00:00.000Z",
      deadline: "2026-10-15T09:00:00.000Z",
      members: MEMBERS,
      openedBy: "schedule",
    });
    const again = await openRound(h.engine.deps, await team(), "schedule");
    expect(again).toMatchObject({ status: "already-open", round: { id: "2026-Q4" } });
    await h.send(command("U-2", CHANNEL, "status"));
    expect((await h.store.getRound(TENANT, TEAM, "2026-Q4"))?.closedAt).toBeUndefined();
  });

  it("closes with a frozen result, then a higher second round closes with a level-change comparison", async () => {
    // Round 1: everyone answers level 2 throughout.
    await everyoneAnswers({ "U-1": [2], "U-2": [2], "U-3": [2] });
    h.clock.set("2026-10-10T12:00:00Z");
    const first = await closeRound(h.engine.deps, await team(), "lead");
    expect(first.status).toBe("closed");
    if (first.status !== "closed") return;
    expect(first.round.result).toMatchObject({ respondents: 3, visible: true, level: 2, score: 2 });
    expect(first.comparison.direction).toBe("first");

    // Round 2, opened by a lead in the same quarter: its own id and label.
    h.clock.set("2026-11-02T09:00:00Z");
    const second = await openRound(h.engine.deps, await team(), "lead");
    expect(second).toMatchObject({ status: "opened", round: { id: "2026-Q4-2" } });
    await everyoneAnswers({ "U-1": [4], "U-2": [4, 3], "U-3": [4] });
    h.clock.set("2026-11-05T09:00:00Z");
    const closed = await closeRound(h.engine.deps, await team(), "all-completed");
    expect(closed.status).toBe("closed");
    if (closed.status !== "closed") return;
    const c = closed.comparison;
    expect(c).toMatchObject({
      round: { id: "2026-Q4-2", label: "2026-Q4 (round 2)" },
      previous: { id: "2026-Q4", result: { level: 2 } },
      current: { level: 4 },
      levelChanged: true,
      bandChanged: true,
      direction: "up",
      participation: { respondents: 3, members: 3 },
    });
    expect(c.moved.length).toBeGreaterThan(0);
    for (const m of c.moved) expect(m.delta).toBeGreaterThan(0);

    const summary = levelChangeSummary(h.engine.deps, await team(), c);
    expect(summary.to).toEqual({ kind: "channel", channel: TEAM });
    const all = visible(summary);
    expect(all).toMatch(/\*\*Level 2 → level 4\*\*/);
    expect(summary.text).toContain("level 2 → level 4");
    expect(summary.text).toMatch(/score 2\.0 → \d\.\d/);
    for (const m of c.moved) expect(all).toContain(m.name);
    expect(all).toContain("Next steps for level 4 → 5");
    expect(all).toContain("Source: Technology & Operations dimension maturity guide, level 4 → 5 roadmap");

    // The same summary through two renderers: Block Kit and the playground's HTML.
    const blockKit = JSON.stringify(renderMessage(summary));
    expect(blockKit).toContain("Level 2 → level 4");
    for (const m of c.moved) expect(blockKit).toContain(m.name);
    const html = JSON.stringify(renderReply(summary, `channel:${TEAM}`));
    expect(html).toContain("<strong>Level 2 → level 4</strong>");
    for (const m of c.moved) expect(html).toContain(m.name);

    // Closing again changes nothing and says so.
    const before = await h.store.getRound(TENANT, TEAM, "2026-Q4-2");
    h.clock.set("2026-12-01T09:00:00Z");
    const twice = await closeRound(h.engine.deps, await team(), "lead", "2026-Q4-2");
    expect(twice.status).toBe("already-closed");
    expect(await h.store.getRound(TENANT, TEAM, "2026-Q4-2")).toEqual(before);
    expect(await closeRound(h.engine.deps, await team(), "lead")).toEqual({ status: "no-round" });
    // Each close left exactly one outbox entry for the jobs.
    const closes = (await h.store.outbox(TENANT, 1000)).filter((e) => e.type === "round-closed");
    expect(closes.map((e) => e.round)).toEqual(["2026-Q4", "2026-Q4-2"]);
  });

  it("posts a progress note, not a level-change summary, when nothing moved", async () => {
    h.clock.set("2027-01-04T09:00:00Z");
    const opened = await openRound(h.engine.deps, await team(), "schedule");
    expect(opened).toMatchObject({ status: "opened", round: { id: "2027-Q1" } });
    await everyoneAnswers({ "U-1": [4], "U-2": [4, 3], "U-3": [4] });
    const closed = await closeRound(h.engine.deps, await team(), "deadline");
    if (closed.status !== "closed") throw new Error(closed.status);
    expect(closed.comparison).toMatchObject({ direction: "same", levelChanged: false, bandChanged: false });
    const note = roundClosedReply(
      h.engine.deps,
      { kind: "channel", platform: "playground", tenant: TENANT, channelId: TEAM },
      await team(),
      closed.comparison,
    );
    expect(note.text).toMatch(/^2027-Q1 closed: #c-life is still level 4/);
  });

  it("builds a nudge with a Start button whose Slack action_id begins with assess", async () => {
    const round = (await h.store.getRound(TENANT, TEAM, "2027-Q1"))!;
    const nudge = nudgeReply(await team(), round, "U-2");
    expect(nudge.to).toEqual({ kind: "dm", user: "U-2" });
    const start = button(nudge, "Start my assessment");
    expect(start.id.startsWith("assess")).toBe(true);
    expect(start.value).toEqual({ action: "assess", mode: "full", t: TEAM });
    const slack = renderMessage(nudge);
    expect(JSON.stringify(slack.blocks)).toMatch(/"action_id":"assess[^"]*"/);
  });
});
