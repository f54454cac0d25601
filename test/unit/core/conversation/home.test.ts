import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type HomeViewer, homeBlocks } from "../../../../src/core/conversation/home.js";
import type { Round, Team } from "../../../../src/core/conversation/ports.js";
import type { Block, Button, Reply } from "../../../../src/core/reply.js";
import {
  answerAll,
  button,
  channelDirectory,
  click,
  command,
  engineHarness,
  type Harness,
  TENANT,
} from "../../../support/engine.js";
import { cleanPrefix, connect, testPrefix } from "../../../support/redis.js";

/** A member's App Home: per team its level, trend, this round's progress, next steps and buttons. */

let prefix: string;
let redis: Redis;
let h: Harness;
const directory = channelDirectory({
  "C-ML": ["U-a", "U-b", "U-c", "U-d"],
  "C-SOLO": ["U-s"],
});
const ML = { channel: "C-ML" };
const DM = { dm: true } as const;

beforeAll(() => {
  redis = connect();
});
beforeEach(async () => {
  prefix = testPrefix("home");
  h = await engineHarness(redis, prefix);
});
afterEach(async () => {
  await cleanPrefix(redis, prefix);
});
afterAll(async () => {
  await redis.quit();
});

const viewer = (userId: string): HomeViewer => ({
  kind: "member",
  platform: "playground",
  tenant: TENANT,
  userId,
});
const home = (userId: string) => homeBlocks(h.engine.deps, viewer(userId));

function field(blocks: Block[], label: string): string[] {
  return blocks.flatMap((b) =>
    b.type === "fields" ? b.fields.filter((f) => f.label === label).map((f) => f.value) : [],
  );
}
function buttonsOf(blocks: Block[]): Button[] {
  return blocks.flatMap((b) => (b.type === "actions" ? b.buttons : []));
}
function textsOf(blocks: Block[]): string[] {
  return blocks.flatMap((b) => ("text" in b && typeof b.text === "string" ? [b.text] : []));
}

/** Starts a quick assessment in a DM; returns the first question. */
async function firstQuestion(user: string): Promise<Reply> {
  const first = (await h.send(command(user, DM, "assess", "quick"))).find((r) => r.progress);
  if (!first) throw new Error(`no question for ${user}`);
  return first;
}

function team(id: string, members: string[]): Team {
  return {
    id,
    tenant: TENANT,
    platform: "playground",
    name: id.toLowerCase(),
    timezone: "UTC",
    leads: [members[0]!],
    members,
    createdAt: "2026-01-01T00:00:00.000Z",
    createdBy: members[0]!,
  };
}

/** Stores a closed round with a shown result of this score and level. */
async function closedRound(
  teamId: string,
  id: string,
  month: string,
  score: number,
  level: number,
): Promise<void> {
  const round: Round = {
    id,
    teamId,
    cadence: "quarterly",
    openedAt: `2026-${month}-01T09:00:00.000Z`,
    deadline: `2026-${month}-15T09:00:00.000Z`,
    openedBy: "schedule",
    members: ["U-v", "U-w", "U-x"],
  };
  expect(await h.store.insertRound(TENANT, round)).toBe("opened");
  await h.store.finishRound(TENANT, {
    ...round,
    closedAt: round.deadline,
    closedBy: "deadline",
    result: {
      respondents: 3,
      members: 3,
      visible: true,
      score,
      level,
      band: "developing",
      components: [],
      disagreements: [],
    },
  });
}

describe("home page", () => {
  it("shows each member where they are in this round, with the matching button", async () => {
    await h.send(command("U-a", ML, "setup"), { directory });
    await h.send(command("U-a", ML, "round", "start"));
    // U-a completed (level 3), U-c is at question 2 of 3, U-b has not started.
    await answerAll(h, "U-a", await firstQuestion("U-a"), [3]);
    await h.send(click("U-c", button(await firstQuestion("U-c"), "Level 2")));

    const notStarted = await home("U-b");
    expect(field(notStarted, "This round")).toEqual(["1 of 4 members completed; you haven't started"]);
    expect(field(notStarted, "Level")).toEqual(["not known yet"]);
    expect(buttonsOf(notStarted)).toEqual([
      {
        id: "home-assess-0",
        label: "Start my assessment",
        value: { action: "assess", mode: "full", t: "C-ML" },
        style: "primary",
      },
      { id: "home-status-0", label: "Team status", value: { action: "status", t: "C-ML" } },
    ]);
    expect(textsOf(notStarted)).toContain(
      "Next steps appear once the team has a level: take the assessment.",
    );

    const resuming = await home("U-c");
    expect(field(resuming, "This round")).toEqual(["1 of 4 members completed; you're at question 2 of 3"]);
    expect(buttonsOf(resuming)[0]).toEqual({
      id: "home-resume-0",
      label: "Resume (question 2 of 3)",
      value: { action: "assess", mode: "quick", t: "C-ML" },
      style: "primary",
    });

    const done = await home("U-a");
    expect(field(done, "This round")).toEqual(["1 of 4 members completed; you're done"]);
    expect(buttonsOf(done).map((b) => b.label)).toEqual(["Answer again", "Team status", "Full roadmap"]);
    const steps = textsOf(done).find((t) => t.startsWith("**Next steps**"));
    expect(steps).toMatch(
      /^\*\*Next steps\*\* \(level 3 → 4, from your own answers, until the team result shows\):\n- /,
    );
    expect(steps?.split("\n")).toHaveLength(4);
  });

  it("says member for a team of one", async () => {
    await h.send(command("U-s", { channel: "C-SOLO" }, "setup"), { directory });
    await h.send(command("U-s", { channel: "C-SOLO" }, "round", "start"));
    expect(field(await home("U-s"), "This round")).toEqual(["0 of 1 member completed; you haven't started"]);
  });

  it("a team at level 5 is at the top of the scale, with its first result as the trend", async () => {
    await h.send(command("U-a", ML, "setup"), { directory });
    for (const user of ["U-a", "U-b", "U-c"]) await answerAll(h, user, await firstQuestion(user), [5]);
    const blocks = await home("U-d");
    expect(field(blocks, "Level")[0]).toMatch(/^5 · /);
    expect(field(blocks, "Trend")).toEqual(["5.0 (first result)"]);
    expect(blocks).toContainEqual({
      type: "markdown",
      text: "**Next steps:** level 5 is the top of the scale; keep the practice sharp.",
    });
    expect(textsOf(blocks).some((t) => t.startsWith("**Next steps** ("))).toBe(false);
  });

  it("shows the last three results of the trend and whether they went up, down or held steady", async () => {
    const cases: [string, number, string][] = [
      ["C-UP", 3.4, "up: 2026-Q2 2.0 → 2026-Q3 3.0 → 2026-Q4 3.4"],
      ["C-DOWN", 2.5, "down: 2026-Q2 2.0 → 2026-Q3 3.0 → 2026-Q4 2.5"],
      ["C-FLAT", 3.04, "steady: 2026-Q2 2.0 → 2026-Q3 3.0 → 2026-Q4 3.0"],
    ];
    for (const [id, last] of cases) {
      await h.store.createTeam(team(id, ["U-v", "U-w", "U-x"]));
      await closedRound(id, "2026-Q1", "01", 1.5, 1);
      await closedRound(id, "2026-Q2", "04", 2.0, 2);
      await closedRound(id, "2026-Q3", "07", 3.0, 3);
      await closedRound(id, "2026-Q4", "10", last, 3);
    }
    const trends = field(await home("U-v"), "Trend");
    expect(trends.length).toBe(3);
    expect(trends.sort()).toEqual(cases.map(([, , trend]) => trend).sort());
  });

  it("shows no next steps when the guides have no roadmap for the team's level", async () => {
    await h.store.createTeam(team("C-KNOWN", ["U-v", "U-w", "U-x"]));
    await closedRound("C-KNOWN", "2026-Q3", "07", 3.0, 3);
    const deps = h.engine.deps;
    const knowledge = Object.assign(Object.create(deps.knowledge), { roadmapFrom: () => undefined });
    const blocks = await homeBlocks({ ...deps, knowledge }, viewer("U-v"));
    expect(field(blocks, "Level")[0]).toMatch(/^3 · /);
    expect(textsOf(blocks).filter((t) => t.includes("Next steps"))).toEqual([]);
    expect(buttonsOf(blocks).map((b) => b.label)).toEqual([
      "Start my assessment",
      "Team status",
      "Full roadmap",
    ]);
  });

  it("shows the first 8 of more teams and says how to see the others", async () => {
    const ids = Array.from({ length: 9 }, (_, i) => `C-T${i + 1}`);
    for (const id of ids.slice(0, 8)) await h.store.createTeam(team(id, ["U-m"]));
    const eight = await home("U-m");
    expect(eight.filter((b) => b.type === "divider")).toHaveLength(8);
    expect(textsOf(eight).some((t) => t.startsWith("You're in"))).toBe(false);

    await h.store.createTeam(team(ids[8]!, ["U-m"]));
    const nine = await home("U-m");
    expect(nine.filter((b) => b.type === "divider")).toHaveLength(8);
    expect(buttonsOf(nine).map((b) => b.id)).not.toContain("home-status-8");
    expect(nine.slice(-2)).toEqual([
      {
        type: "context",
        text: "You're in 9 teams; the first 8 are shown. `status` in a team's channel shows any of them.",
      },
      {
        type: "context",
        text: "Only you see this page. Your own answers stay private; teams see combined results only.",
      },
    ]);
  });
});
