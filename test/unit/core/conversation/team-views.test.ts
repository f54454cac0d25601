import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { QuestionBank } from "../../../../src/core/assessment/bank.js";
import type { Audience, ViewDeps } from "../../../../src/core/conversation/audience.js";
import type { FrozenResult, Round, Session, Store, Team } from "../../../../src/core/conversation/ports.js";
import {
  answerReply,
  hiddenNote,
  resultBlocks,
  roadmapItems,
  roadmapReply,
  standing,
  statusReply,
  type TeamState,
  teamState,
  trendPoints,
} from "../../../../src/core/conversation/team-views.js";
import type { Answer } from "../../../../src/core/knowledge/answer.js";
import type { Reply } from "../../../../src/core/reply.js";
import { TestClock } from "../../../support/clock.js";
import {
  answerAll,
  button,
  buttons,
  channelDirectory,
  click,
  command,
  engineHarness,
  type Harness,
  TENANT,
  visible,
} from "../../../support/engine.js";
import { realKnowledge } from "../../../support/knowledge.js";
import { cleanPrefix, connect, testPrefix } from "../../../support/redis.js";

/** The team's views drawn from given rounds and sessions, and as members see them through the engine. */

const team: Team = {
  id: "C-ML",
  tenant: TENANT,
  platform: "playground",
  name: "c-ml",
  timezone: "UTC",
  leads: ["U-a"],
  members: ["U-a", "U-b", "U-c", "U-d"],
  createdAt: "2026-01-05T10:00:00.000Z",
  createdBy: "U-a",
};
const member: Audience = { kind: "member", platform: "playground", tenant: TENANT, userId: "U-b" };
const channel: Audience = { kind: "channel", platform: "playground", tenant: TENANT, channelId: "C-ML" };

/** Model lifecycle 1 and MLOps 2 weakest, the rest 3. */
const COMPONENTS = [
  { id: "ai-ml-capability", score: 3, level: 3 },
  { id: "mlops-maturity", score: 2, level: 2 },
  { id: "model-lifecycle", score: 1, level: 1 },
  { id: "production-operations", score: 3, level: 3 },
  { id: "technical-standards", score: 3, level: 3 },
];

function round(id: string, result?: Partial<FrozenResult>, closed = true): Round {
  return {
    id,
    teamId: "C-ML",
    cadence: "quarterly",
    openedAt: "2026-01-05T10:00:00.000Z",
    deadline: "2026-12-20T10:00:00.000Z",
    openedBy: "member",
    members: team.members,
    ...(closed ? { closedAt: "2026-12-20T10:00:00.000Z", closedBy: "deadline" as const } : {}),
    ...(result
      ? {
          result: {
            respondents: 3,
            members: 4,
            visible: true,
            components: COMPONENTS,
            disagreements: [],
            ...result,
          },
        }
      : {}),
  };
}

function session(userId: string, answers: Record<string, number | null>, status: Session["status"]): Session {
  return {
    tenant: TENANT,
    teamId: "C-ML",
    round: "2026-Q4",
    userId,
    mode: "full",
    keys: Object.keys(answers),
    answers,
    cursor: status === "completed" ? Object.keys(answers).length : 1,
    status,
    startedAt: "2026-11-20T10:00:00.000Z",
    version: 1,
  };
}

let bank: QuestionBank;
let knowledge: ViewDeps["knowledge"];
let keys: string[];

function deps(
  o: { open?: Round; rounds?: Round[]; sessions?: Session[] } = {},
): ViewDeps & { reads: number } {
  const d = {
    reads: 0,
    knowledge,
    bank,
    clock: new TestClock(),
    store: {
      openRoundOf: async () => o.open,
      roundsOf: async () => o.rounds ?? [],
      roundTally: async () => undefined,
      sessionsOf: async () => o.sessions ?? [],
      getSession: async (_t: string, _team: string, _r: string, user: string) => {
        d.reads++;
        return o.sessions?.find((s) => s.userId === user);
      },
    } as unknown as Store,
  };
  return d;
}

const allAt = (level: number, first = level): Record<string, number> =>
  Object.fromEntries(keys.map((k, i) => [k, i === 0 ? first : level]));

beforeEach(async () => {
  const real = await realKnowledge();
  bank = new QuestionBank(real.kb);
  knowledge = real.engine;
  keys = bank.keys("full");
});

describe("teamState", () => {
  it("a team without rounds has no level, band or weakest components", async () => {
    expect(await teamState(deps(), team)).toEqual({ history: [], weakest: [] });
  });

  it("stands at the latest shown closed round; hidden and unclosed rounds do not count", async () => {
    const rounds = [
      round("2026-Q1", { level: 2, score: 2.2, band: "weak" }),
      round("2026-Q2", { level: 3, score: 3.1, band: "developing" }),
      round("2026-Q3", { level: 4, score: 4.0, band: "strong", visible: false, respondents: 2 }),
      round("2026-Q4", { level: 5, score: 5, band: "strong" }, false),
      round("2025-Q4", undefined, true),
    ];
    const state = await teamState(deps({ rounds }), team);
    expect(state.history.map((r) => [r.id, r.result?.visible])).toEqual([
      ["2026-Q1", true],
      ["2026-Q2", true],
      ["2026-Q3", false],
    ]);
    expect(state.level).toBe(3);
    expect(state.band).toBe("developing");
    expect(state.weakest).toEqual(["model-lifecycle", "mlops-maturity"]);
    expect(state.round).toBeUndefined();
  });

  it("a closed round hidden at closing shows once a lead opens the results", async () => {
    const rounds = [round("2026-Q3", { level: 2, score: 2.0, band: "weak", visible: false, respondents: 2 })];
    expect((await teamState(deps({ rounds }), team)).level).toBeUndefined();
    const open = await teamState(deps({ rounds }), { ...team, resultsOpen: true });
    expect(open.level).toBe(2);
    expect(open.band).toBe("weak");
  });
});

describe("standing", () => {
  const open = () => round("2026-Q4", undefined, false);
  const completed = () => session("U-b", allAt(3, 1), "completed");

  it("the team's level when it has one", async () => {
    const state: TeamState = { history: [], level: 2, weakest: ["model-lifecycle"], round: open() };
    expect(await standing(deps(), team, state, "U-b", completed())).toEqual({
      level: 2,
      weakest: ["model-lifecycle"],
      own: false,
    });
  });

  it("else the member's own completed answers, read when not given", async () => {
    const state: TeamState = { history: [], weakest: [], round: open() };
    const own = await standing(deps(), team, state, "U-b", completed());
    expect(own.own).toBe(true);
    expect(own.level).toBe(2);
    expect(own.weakest.length).toBeGreaterThan(0);
    expect(own.weakest.every((w) => typeof w === "string" && w.length > 0)).toBe(true);
    const d = deps({ sessions: [completed()] });
    expect(await standing(d, team, state, "U-b")).toEqual(own);
    expect(d.reads).toBe(1);
    const given = deps({ sessions: [completed()] });
    expect(await standing(given, team, state, "U-b", null)).toEqual({ weakest: [], own: false });
    expect(given.reads).toBe(0);
  });

  it("nothing without a member, an open round or a completed session", async () => {
    const state: TeamState = { history: [], weakest: [], round: open() };
    const d = deps({ sessions: [completed()] });
    expect(await standing(d, team, state, undefined)).toEqual({ weakest: [], own: false });
    expect(await standing(d, team, { history: [], weakest: [] }, "U-b")).toEqual({ weakest: [], own: false });
    const busy = session("U-b", allAt(3), "in-progress");
    expect(await standing(deps(), team, state, "U-b", busy)).toEqual({ weakest: [], own: false });
    expect(await standing(deps(), team, state, "U-b")).toEqual({ weakest: [], own: false });
  });
});

describe("pure views", () => {
  it("level 5 has no roadmap step", () => {
    expect(roadmapItems({ knowledge }, 5, ["model-lifecycle"])).toEqual([]);
  });

  it("says how many questions are left out, never those nobody answered", () => {
    const result = { score: 3, level: 3, band: "developing" as const, components: [], weakest: [] };
    const context = (questions: { key: string; respondents: number; median?: number }[]) =>
      resultBlocks(
        deps(),
        result,
        { respondents: 3, members: 4, questions: questions.map((q) => ({ ...q, disagreement: false })) },
        [],
      )
        .filter((b) => b.type === "context")
        .map((b) => (b as { text: string }).text);
    expect(
      context([
        { key: "a", respondents: 0 },
        { key: "b", respondents: 3, median: 3 },
      ]),
    ).toHaveLength(1);
    expect(
      context([
        { key: "a", respondents: 0 },
        { key: "b", respondents: 2 },
      ])[0],
    ).toBe("One question is left out: fewer than 3 members answered it, and their answers stay private.");
    expect(
      context([
        { key: "a", respondents: 1 },
        { key: "b", respondents: 2 },
      ])[0],
    ).toBe("2 questions are left out: fewer than 3 members answered them, and their answers stay private.");
  });

  it("explains participation only for one member, two members, and a team still answering", () => {
    expect(hiddenNote(member, { ...team, members: ["U-a"] }, 0)).toBe(
      "With 1 member, a team result would let members work out each other's answers, so the channel sees participation only. A lead can switch to open results with `results open` (members are told).",
    );
    expect(hiddenNote(member, { ...team, members: ["U-a", "U-b"] }, 1)).toBe(
      "With 2 members, a team result would let members work out each other's answers, so the channel sees participation only. A lead can switch to open results with `results open` (members are told).",
    );
    expect(hiddenNote(member, team, 1)).toBe(
      "The team result appears once 3 members have completed it (2 more), so that no one's answers can be singled out.",
    );
  });

  it("trend points are the shown closed rounds with a score and a level, then the open round's shown result", () => {
    const history = [
      round("2026-Q1", { level: 2, score: 2.2, band: "weak" }),
      round("2026-Q2", { level: 3, score: 3.1, band: "developing", visible: false }),
      round("2026-Q3", { level: 3, band: "developing" }),
      round("2026-Q4", { score: 3.3, band: "developing" }),
      round("2027-Q1", undefined),
      round("2027-Q2", { level: 4, score: 3.6, band: "strong" }),
    ];
    expect(trendPoints({ history, weakest: [] })).toEqual([
      { round: "2026-Q1", score: 2.2, level: 2 },
      { round: "2027-Q2", score: 3.6, level: 4 },
    ]);
    const open = round("2027-Q3", undefined, false);
    expect(trendPoints({ history: [], weakest: [], round: open })).toEqual([]);
  });

  it("a knowledge answer shows at most four follow-ups, their questions cut at 300 characters", () => {
    const long = "q".repeat(400);
    const answer: Answer = {
      answer: "The answer.",
      sources: [],
      intent: "fact",
      confidence: 1,
      followUps: [
        { label: "One", question: long },
        { label: "Two", question: "two?", part: 2 },
        { label: "Three", question: "three?" },
        { label: "Four", question: "four?" },
        { label: "Five", question: "five?" },
      ],
    };
    const r = answerReply(answer, "Before. ");
    expect(r.text).toBe("Before. The answer.");
    expect(buttons(r)).toEqual([
      { id: "ask-0", label: "One", value: { action: "ask", q: "q".repeat(300) } },
      { id: "ask-1", label: "Two", value: { action: "ask", q: "two?", more: 2 } },
      { id: "ask-2", label: "Three", value: { action: "ask", q: "three?" } },
      { id: "ask-3", label: "Four", value: { action: "ask", q: "four?" } },
    ]);
  });
});

describe("status and roadmap from closed rounds", () => {
  it("with no round open, shows the last closed round's result", async () => {
    const rounds = [round("2026-Q3", { level: 3, score: 3.1, band: "developing" })];
    const [r] = await statusReply(deps({ rounds }), channel, team);
    expect(r!.text).toBe("#c-ml: level 3, score 3.1 (developing), 2026-Q3");
    const text = visible(r!);
    expect(text).toContain("#c-ml · no round open\nResult of **2026-Q3** (closed):\nLevel: 3 · ");
    expect(text).toContain("Score: 3.1");
    expect(text).toContain(
      "No round is open. `assess` starts this quarter's round; a lead can also run `round start`.",
    );
    expect(text).not.toContain("Trend");
    expect(buttons(r!).map((b) => b.id)).toEqual(["start-assess", "roadmap"]);
  });

  it("the latest of several closed rounds, with the trend", async () => {
    const rounds = [
      round("2026-Q1", { level: 2, score: 2.2, band: "weak" }),
      round("2026-Q2", { level: 2, score: 2.6, band: "developing" }),
      round("2026-Q3", { level: 3, score: 3.1, band: "developing" }),
    ];
    const [r] = await statusReply(deps({ rounds }), member, team);
    expect(r!.text).toBe("#c-ml: level 3, score 3.1 (developing), 2026-Q3");
    expect(visible(r!)).toContain("**Trend:** 2026-Q1 2.2 (L2) → 2026-Q2 2.6 (L2) → 2026-Q3 3.1 (L3)");
    expect(visible(r!)).toContain("You have no assessment open.");
  });

  it("a hidden last round shows no result", async () => {
    const rounds = [
      round("2026-Q3", { level: 3, score: 3.1, band: "developing", visible: false, respondents: 2 }),
    ];
    const [r] = await statusReply(deps({ rounds }), channel, team);
    expect(r!.text).toBe("#c-ml: no round is open.");
    expect(visible(r!)).not.toMatch(/Result of|Level:/);
    expect(buttons(r!).map((b) => b.id)).toEqual(["start-assess"]);
  });

  it("the roadmap puts at most six steps of the two weakest components first", async () => {
    const rounds = [round("2026-Q3", { level: 2, score: 2.5, band: "developing" })];
    const [r] = await roadmapReply(deps({ rounds }), channel, team, undefined);
    const focus = roadmapItems({ knowledge }, 2, ["model-lifecycle", "mlops-maturity"])
      .filter((i) => i.focus)
      .map((i) => i.item);
    expect(focus.length).toBeGreaterThan(6);
    const expected = `**Start with Model lifecycle management and MLOps maturity** (your weakest):\n${focus
      .slice(0, 6)
      .map((i) => `- ${i}`)
      .join("\n")}\n\n`;
    expect(visible(r!).startsWith(expected)).toBe(true);
    expect(visible(r!)).toContain("**Level 2 → 3**");
  });

  it("a level asked for has no focus on weak components", async () => {
    const rounds = [round("2026-Q3", { level: 2, score: 2.5, band: "developing" })];
    const [r] = await roadmapReply(deps({ rounds }), member, team, 3);
    expect(visible(r!)).not.toContain("Start with");
    expect(visible(r!)).toContain("**Level 3 → 4**");
  });
});

describe("through the engine", () => {
  let redis: Redis;
  let prefix: string;
  let h: Harness;
  const directory = channelDirectory({ "C-SOLO": ["U-s"], "C-ML": ["U-a", "U-b", "U-c", "U-d"] });
  const DM = { dm: true } as const;
  const only = (replies: Reply[]) => {
    expect(replies).toHaveLength(1);
    return visible(replies[0]!);
  };

  beforeAll(() => {
    redis = connect();
  });
  beforeEach(async () => {
    prefix = testPrefix("team-views");
    h = await engineHarness(redis, prefix);
  });
  afterEach(async () => {
    await cleanPrefix(redis, prefix);
  });
  afterAll(async () => {
    await redis.quit();
  });

  it("a member sees where their own assessment stands", async () => {
    await h.send(command("U-s", { channel: "C-SOLO" }, "setup"), { directory });
    expect(only(await h.send(command("U-s", DM, "status")))).toContain("You have no assessment open.");
    const [q1] = await h.send(command("U-s", DM, "assess"));
    const started = only(await h.send(command("U-s", DM, "status")));
    expect(started).toContain("0 of 1 member completed the 2026-Q4 assessment (answers close ");
    expect(started).toContain("Your assessment is in progress: question 1 of 8.");
    expect(started).not.toContain("Your own result");
    await h.send(click("U-s", button(q1!, "Level 2")));
    expect(only(await h.send(command("U-s", DM, "status")))).toContain(
      "Your assessment is in progress: question 2 of 8.",
    );
  });

  it("a member who has not started is told so while a round is open", async () => {
    await h.send(command("U-a", { channel: "C-ML" }, "setup"), { directory });
    await h.send(command("U-a", DM, "assess"));
    const text = only(await h.send(command("U-b", DM, "status")));
    expect(text).toContain("0 of 4 members completed the 2026-Q4 assessment");
    expect(text).toContain("You haven't answered this round yet.");
  });

  it("a member's roadmap uses their own level until the team's shows; the channel's does not", async () => {
    await h.send(command("U-a", { channel: "C-ML" }, "setup"), { directory });
    const [q1] = await h.send(command("U-b", DM, "assess"));
    await answerAll(h, "U-b", q1!, [4]);
    expect(only(await h.send(command("U-b", DM, "roadmap")))).toContain("**Level 4 → 5**");
    expect(only(await h.send(command("U-b", { channel: "C-ML" }, "roadmap")))).toMatch(
      /^Your team has no level yet: take the assessment, or ask for a level, e.g\. `roadmap 2`\./,
    );
  });
});
