import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Audience, ViewDeps } from "../../../../src/core/conversation/audience.js";
import {
  type DigestTeam,
  digestReply,
  levelChangeSummary,
  progressNote,
  reminderReply,
  roundClosedReply,
} from "../../../../src/core/conversation/notices.js";
import type { FrozenResult, Round, Team } from "../../../../src/core/conversation/ports.js";
import { roadmapItems, roadmapSource } from "../../../../src/core/conversation/team-views.js";
import type { Block } from "../../../../src/core/reply.js";
import { type Comparison, thaw } from "../../../../src/core/rounds/lifecycle.js";
import { engineHarness, type Harness, TENANT, visible } from "../../../support/engine.js";
import { cleanPrefix, connect, testPrefix } from "../../../support/redis.js";

/** What the bot posts first: reminders, round summaries and the workspace digest, drawn from hand-made data. */

let prefix: string;
let redis: Redis;
let h: Harness;
let deps: ViewDeps;

beforeAll(() => {
  redis = connect();
});
beforeEach(async () => {
  prefix = testPrefix("notices");
  h = await engineHarness(redis, prefix);
  deps = h.engine.deps;
});
afterEach(async () => {
  await cleanPrefix(redis, prefix);
});
afterAll(async () => {
  await redis.quit();
});

const channel: Audience = { kind: "channel", platform: "playground", tenant: TENANT, channelId: "C-ML" };

function team(id: string, name: string, members = ["U-a", "U-b", "U-c", "U-d"]): Team {
  return {
    id,
    tenant: TENANT,
    platform: "playground",
    name,
    timezone: "UTC",
    leads: ["U-a"],
    members,
    createdAt: "2026-10-01T00:00:00.000Z",
    createdBy: "U-a",
  };
}
const ML = team("C-ML", "ml-platform");

const round: Round = {
  id: "2026-Q4",
  teamId: "C-ML",
  cadence: "quarterly",
  openedAt: "2026-11-20T10:00:00.000Z",
  deadline: "2026-12-04T10:00:00.000Z",
  openedBy: "lead",
  members: ML.members,
};

const components = (scores: number[]) =>
  [
    "ai-ml-capability",
    "mlops-maturity",
    "model-lifecycle",
    "production-operations",
    "technical-standards",
  ].map((id, i) => ({ id, score: scores[i], level: Math.round(scores[i]!) }));

function frozen(level: number, score: number, band: FrozenResult["band"], scores: number[]): FrozenResult {
  return {
    respondents: 3,
    members: 4,
    visible: true,
    score,
    level,
    band,
    components: components(scores),
    disagreements: [],
  };
}

function comparison(over: Partial<Comparison>): Comparison {
  return {
    teamId: "C-ML",
    round: { id: "2026-Q4", label: "2026-Q4" },
    previous: { id: "2026-Q3", label: "2026-Q3", result: frozen(2, 2.4, "weak", [2, 2, 3, 3, 2]) },
    current: frozen(3, 3.1, "developing", [3, 3, 3, 3.5, 3]),
    comparable: true,
    levelChanged: true,
    bandChanged: true,
    direction: "up",
    moved: [],
    disagreements: [],
    participation: { respondents: 3, members: 4 },
    ...over,
  };
}

const texts = (blocks: Block[]) =>
  blocks.map((b) => ("text" in b && typeof b.text === "string" ? b.text : b.type)).join("\n");

describe("reminders", () => {
  it("reminds a member who has not started, with a Start button and the ways to opt out", () => {
    const r = reminderReply(ML, round, "U-b", false);
    expect(r.to).toEqual({ kind: "dm", user: "U-b" });
    expect(r.text).toBe("Reminder: #ml-platform's 2026-Q4 check-in closes Fri 4 Dec 2026, 10:00 (UTC)");
    expect(r.key).toBe("remind:C-ML:2026-Q4");
    expect(r.blocks).toEqual([
      {
        type: "markdown",
        text: "Reminder: #ml-platform's **2026-Q4** check-in is still open, and your view counts. About 5 minutes; answers close Fri 4 Dec 2026, 10:00 (UTC).",
      },
      {
        type: "actions",
        buttons: [
          {
            id: "assess-start",
            label: "Start my assessment",
            value: { action: "assess", mode: "full", t: "C-ML" },
            style: "primary",
          },
        ],
      },
      { type: "context", text: "Reply `snooze` to skip reminders for a week, or `stop nudges` to opt out." },
    ]);
  });

  it("tells a member half way through to resume", () => {
    const r = reminderReply(ML, round, "U-c", true);
    expect(r.to).toEqual({ kind: "dm", user: "U-c" });
    expect(r.blocks[0]).toEqual({
      type: "markdown",
      text: "Your #ml-platform **2026-Q4** assessment is half done: pick up where you left off. Answers close Fri 4 Dec 2026, 10:00 (UTC).",
    });
    expect(r.blocks[1]).toMatchObject({
      type: "actions",
      buttons: [{ id: "assess-start", label: "Resume" }],
    });
  });
});

describe("round summaries", () => {
  it("a level moving up shows the change, the moved components with signs, and next steps with their source", () => {
    const c = comparison({
      moved: [
        { id: "mlops-maturity", name: "MLOps maturity", before: 2, after: 3, delta: 1 },
        { id: "model-lifecycle", name: "Model lifecycle management", before: 3.5, after: 3, delta: -0.5 },
      ],
    });
    const r = roundClosedReply(deps, channel, ML, c);
    expect(r.to).toEqual({ kind: "channel", channel: "C-ML" });
    expect(r.key).toBe("summary:C-ML:2026-Q4");
    expect(r.text).toBe(
      "#ml-platform moved up: level 2 → level 3 (score 2.4 → 3.1, weak → developing) in 2026-Q4.",
    );
    expect(r.blocks[0]).toEqual({ type: "heading", text: "#ml-platform · 2026-Q4 result" });
    expect(r.blocks[2]).toEqual({
      type: "table",
      columns: ["Component", "2026-Q3", "2026-Q4", "Change"],
      rows: [
        ["MLOps maturity", "2.0", "3.0", "+1.0"],
        ["Model lifecycle management", "3.5", "3.0", "-0.5"],
      ],
    });
    const weakest = thaw(c.current)!.weakest.map((w) => w.id);
    expect(weakest.length).toBeGreaterThan(0);
    const steps = roadmapItems(deps, 3, weakest).slice(0, 3);
    expect(steps).toHaveLength(3);
    expect(r.blocks.slice(3)).toEqual([
      {
        type: "markdown",
        text: `**Next steps for level 3 → 4:**\n${steps.map((s) => `- ${s.item}`).join("\n")}`,
      },
      { type: "context", text: `Source: ${roadmapSource(deps, 3)}` },
    ]);
    expect(roadmapSource(deps, 3)).toMatch(/level 3 → 4 roadmap$/);
  });

  it("says moved down, or changed band when only the band moved", () => {
    const down = levelChangeSummary(
      deps,
      ML,
      comparison({
        previous: {
          id: "2026-Q3",
          label: "2026-Q3",
          result: frozen(3, 3.1, "developing", [3, 3, 3, 3.5, 3]),
        },
        current: frozen(2, 2.4, "weak", [2, 2, 3, 3, 2]),
        direction: "down",
      }),
    );
    expect(down.text).toBe(
      "#ml-platform moved down: level 3 → level 2 (score 3.1 → 2.4, developing → weak) in 2026-Q4.",
    );
    // No component moved: no table.
    expect(down.blocks.map((b) => b.type)).not.toContain("table");
    const band = levelChangeSummary(
      deps,
      ML,
      comparison({
        previous: { id: "2026-Q3", label: "2026-Q3", result: frozen(3, 2.9, "weak", [3, 3, 3, 3, 2.5]) },
        current: frozen(3, 3.1, "developing", [3, 3, 3, 3.5, 3]),
        direction: "same",
        levelChanged: false,
      }),
    );
    expect(band.text).toBe(
      "#ml-platform changed band: level 3 → level 3 (score 2.9 → 3.1, weak → developing) in 2026-Q4.",
    );
  });

  it("level 5 is the top of the scale", () => {
    const r = levelChangeSummary(
      deps,
      ML,
      comparison({ current: frozen(5, 4.6, "strong", [5, 5, 4.5, 4.5, 4.5]) }),
    );
    expect(r.blocks.at(-1)).toEqual({
      type: "markdown",
      text: "**Next steps:** level 5 is the top of the scale; keep the practice sharp.",
    });
    expect(texts(r.blocks)).not.toContain("Source:");
  });

  it("shows no next steps when the guides have no roadmap for the level", () => {
    const knowledge = Object.assign(Object.create(deps.knowledge), { roadmapFrom: () => undefined });
    const r = levelChangeSummary({ ...deps, knowledge }, ML, comparison({}));
    expect(r.blocks.map((b) => b.type)).toEqual(["heading", "markdown"]);
  });

  it("a hidden result closes with participation only", () => {
    const hidden: FrozenResult = {
      respondents: 2,
      members: 4,
      visible: false,
      components: [],
      disagreements: [],
    };
    const c = comparison({
      current: hidden,
      previous: undefined,
      comparable: false,
      levelChanged: false,
      bandChanged: false,
      direction: "hidden",
      participation: { respondents: 2, members: 4 },
    });
    const r = roundClosedReply(deps, channel, ML, c);
    expect(r.to).toEqual({ kind: "channel", channel: "C-ML" });
    expect(r.key).toBe("summary:C-ML:2026-Q4");
    expect(r.text).toBe("2026-Q4 closed: 2 of 4 members completed the assessment.");
    expect(r.blocks).toEqual([
      { type: "heading", text: "#ml-platform · 2026-Q4 closed" },
      {
        type: "markdown",
        text: "2026-Q4 closed: 2 of 4 members completed the assessment. The team result appears once 3 members have completed it (1 more), so that no one's answers can be singled out.",
      },
    ]);
  });

  it("a steady level notes what moved", () => {
    const c = comparison({
      previous: {
        id: "2026-Q3",
        label: "2026-Q3",
        result: frozen(3, 3.0, "developing", [3, 3, 3.5, 3, 2.5]),
      },
      levelChanged: false,
      bandChanged: false,
      direction: "same",
      moved: [
        { id: "technical-standards", name: "Technical standards", before: 2.5, after: 3, delta: 0.5 },
        { id: "model-lifecycle", name: "Model lifecycle management", before: 3.5, after: 3, delta: -0.5 },
      ],
    });
    const r = progressNote(deps, channel, ML, c);
    expect(r.text).toBe("2026-Q4 closed: #ml-platform is still level 3 (score 3.0 → 3.1), developing.");
    expect(r.blocks).toContainEqual({
      type: "markdown",
      text: "**Moved:** Technical standards +0.5, Model lifecycle management -0.5",
    });
    const moved = r.blocks.findIndex((b) => "text" in b && b.text.startsWith("**Moved:**"));
    expect(r.blocks[moved + 1]).toMatchObject({
      type: "markdown",
      text: expect.stringMatching(/^\*\*Next steps for level 3 → 4:\*\*\n- /),
    });

    const still = progressNote(deps, channel, ML, { ...c, moved: [] });
    expect(texts(still.blocks)).not.toContain("**Moved:**");
  });
});

describe("digest", () => {
  const point = (r: string, level: number, score: number, band = "developing") => ({
    round: r,
    level,
    score,
    band,
  });
  /** Five teams: one up, one down, one steady, one with a first result, one without a result. */
  const digestTeams = (): DigestTeam[] => [
    {
      team: team("C-UP", "rising"),
      trend: [point("2026-Q2", 1, 1.8, "weak"), point("2026-Q3", 2, 2.2, "weak"), point("2026-Q4", 3, 3.0)],
      respondents: 3,
      members: 4,
    },
    {
      team: team("C-DOWN", "falling"),
      trend: [point("2026-Q3", 3, 3.2), point("2026-Q4", 2, 2.6)],
      respondents: 4,
      members: 5,
    },
    {
      team: team("C-SAME", "steady"),
      trend: [point("2026-Q3", 3, 3.2), point("2026-Q4", 3, 3.4)],
      respondents: 3,
      members: 3,
    },
    {
      team: team("C-NEW", "newcomer"),
      trend: [point("2026-Q4", 4, 4.1, "strong")],
      respondents: 3,
      members: 6,
    },
    { team: team("C-QUIET", "quiet"), trend: [], respondents: 1, members: 7 },
  ];

  it("shows every team's level, arrow, score, band, trend and participation, and who moved", () => {
    const teams = digestTeams();
    const r = digestReply(channel, "C-DIGEST", {
      title: "MLOps maturity · 2026-Q4",
      teams,
      distribution: [0, 1, 2, 1, 0],
    });
    expect(r.to).toEqual({ kind: "channel", channel: "C-DIGEST" });
    expect(r.key).toBe("digest:C-DIGEST");
    expect(r.text).toBe("MLOps maturity · 2026-Q4: 5 teams");
    expect(r.blocks[0]).toEqual({ type: "heading", text: "MLOps maturity · 2026-Q4" });
    expect(r.blocks[1]).toEqual({
      type: "table",
      columns: ["Team", "Level", "Score", "Band", "Trend", "Answered"],
      rows: [
        ["#rising", "3 ↑", "3.0", "developing", "1.8 → 2.2 → 3.0", "3/4"],
        ["#falling", "2 ↓", "2.6", "developing", "3.2 → 2.6", "4/5"],
        ["#steady", "3", "3.4", "developing", "3.2 → 3.4", "3/3"],
        ["#newcomer", "4", "4.1", "strong", "4.1", "3/6"],
        ["#quiet", "–", "–", "–", "–", "1/7"],
      ],
    });
    expect(r.blocks[2]).toEqual({
      type: "markdown",
      text: "**Moved up:** #rising\n**Moved down:** #falling",
    });
    expect(r.blocks[3]).toEqual({
      type: "markdown",
      text: "**Our teams by level:** L1 0% · L2 25% · L3 50% · L4 25% · L5 0%\n**Market (estimate):** L1 35% · L2 28% · L3 22% · L4 12% · L5 3%, from the research guide's market distribution of its stages 0-4.",
    });
    expect(r.blocks[4]).toEqual({
      type: "context",
      text: "Teams with fewer than 3 answers show no result. Change where this goes with `digest here` in another channel.",
    });
    expect(r.blocks).toHaveLength(5);
  });

  it("says when no team changed level, counts one team, and adds the chart", () => {
    const teams = digestTeams();
    const chart = { data: new Uint8Array([137, 80, 78, 71]), alt: "Teams per level" };
    const r = digestReply(channel, "C-DIGEST", {
      title: "Digest",
      teams: [teams[2]!],
      distribution: [0, 0, 1, 0, 0],
      chart,
    });
    expect(r.text).toBe("Digest: 1 team");
    expect(r.blocks[2]).toEqual({ type: "markdown", text: "No team changed level since the last round." });
    expect(r.blocks[4]).toEqual({
      type: "image",
      data: chart.data,
      mime: "image/png",
      alt: "Teams per level",
      title: "Digest",
    });
    const down = digestReply(channel, "C-DIGEST", {
      title: "Digest",
      teams: [teams[1]!],
      distribution: [0, 1, 0, 0, 0],
    });
    expect(down.blocks[2]).toEqual({ type: "markdown", text: "**Moved down:** #falling" });
    expect(visible(down)).toContain("L2 100%");
  });
});
