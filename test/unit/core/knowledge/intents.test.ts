import { describe, expect, it } from "vitest";
import {
  detectIntent,
  detectScale,
  type Intent,
  normaliseQuestion,
} from "../../../../src/core/knowledge/intents.js";

describe("normaliseQuestion", () => {
  const cases: [string, string][] = [
    ["One  Two", "1 2"],
    ["Zero → five", "0 to 5"],
    ["a–b — c", "a-b - c"],
    ["It’s `x`", "it's 'x'"],
    ["a=>b", "a to b"],
    ["a->b", "a to b"],
    ["  hi  there  ", "hi there"],
    ["oneself", "oneself"],
    ["ONE", "1"],
  ];
  for (const [question, expected] of cases) {
    it(`${JSON.stringify(question)} -> ${JSON.stringify(expected)}`, () => {
      expect(normaliseQuestion(question)).toBe(expected);
    });
  }
});

describe("detectScale", () => {
  const cases: [string, string | undefined][] = [
    ["four-level model", "case-study-0-3"],
    ["four level model", "case-study-0-3"],
    ["fourxlevel model", undefined],
    ["the abc model", "case-study-0-3"],
    ["on the 0-3 scale", "case-study-0-3"],
    ["research stages", "research-0-4"],
    ["enterprise matrix", "enterprise-0-4"],
    ["technology & ops", "tech-ops-1-5"],
    ["the 1-5 one", "tech-ops-1-5"],
    ["primary scale", "tech-ops-1-5"],
    ["hello", undefined],
  ];
  for (const [question, expected] of cases) {
    it(`${question} -> ${expected}`, () => {
      expect(detectScale(question)).toBe(expected);
    });
  }
});

describe("detectIntent", () => {
  const cases: [string, Intent][] = [
    [
      "more tech-ops-roadmap-1-to-2#first-month 2",
      { kind: "more", pageId: "tech-ops-roadmap-1-to-2", anchor: "first-month", part: 2 },
    ],
    ["MORE abc#Été-1 12", { kind: "more", pageId: "abc", anchor: "été-1", part: 12 }],
    ["more abc#x 1234", { kind: "search" }],
    ["xmore abc#x 2", { kind: "search" }],
    ["more abc#x 2 please", { kind: "search" }],
    ["more abc#x1 3", { kind: "more", pageId: "abc", anchor: "x1", part: 3 }],
    [
      "how do we go from level 2 to 3",
      { kind: "roadmap", from: 2, wantsDuration: false, wantsChecklist: false, relative: false },
    ],
    [
      "from 1 to 3?",
      { kind: "roadmap", from: 1, wantsDuration: false, wantsChecklist: false, relative: false },
    ],
    [
      "level 3-4 how long",
      { kind: "roadmap", from: 3, wantsDuration: true, wantsChecklist: false, relative: false },
    ],
    ["level 2-4 how long", { kind: "search" }],
    ["move from level 4 to 2", { kind: "search" }],
    ["from level 3 to 3", { kind: "search" }],
    ["level 2 and level 2 roadmap", { kind: "search" }],
    [
      "level 3 or level 1 roadmap",
      { kind: "roadmap", from: 1, wantsDuration: false, wantsChecklist: false, relative: false },
    ],
    [
      "level3 or level1 roadmap",
      { kind: "roadmap", from: 1, wantsDuration: false, wantsChecklist: false, relative: false },
    ],
    ["level 3 or level 1 or level 5 roadmap", { kind: "search" }],
    [
      "we're level 1 until we hit level 2",
      { kind: "roadmap", from: 1, wantsDuration: true, wantsChecklist: false, relative: false },
    ],
    [
      "how long to go from l3 → l4",
      { kind: "roadmap", from: 3, wantsDuration: true, wantsChecklist: false, relative: false },
    ],
    [
      "checklist for level 2 to 3",
      { kind: "roadmap", from: 2, wantsDuration: false, wantsChecklist: true, relative: false },
    ],
    [
      "first months from level 2 to 3",
      { kind: "roadmap", from: 2, wantsDuration: false, wantsChecklist: true, relative: false },
    ],
    [
      "first couple of months from level 1 to 2",
      { kind: "roadmap", from: 1, wantsDuration: false, wantsChecklist: true, relative: false },
    ],
    [
      "first 2 months: level 1 to 2",
      { kind: "roadmap", from: 1, wantsDuration: false, wantsChecklist: true, relative: false },
    ],
    [
      "what to do in month 3 from level 1 to 2",
      { kind: "roadmap", from: 1, wantsDuration: false, wantsChecklist: true, relative: false },
    ],
    [
      "first month moving level 1 to 2",
      { kind: "roadmap", from: 1, wantsDuration: false, wantsChecklist: true, relative: false },
    ],
    [
      "todo level 1 to 2",
      { kind: "roadmap", from: 1, wantsDuration: false, wantsChecklist: true, relative: false },
    ],
    [
      "to-do list level 1 to 2",
      { kind: "roadmap", from: 1, wantsDuration: false, wantsChecklist: true, relative: false },
    ],
    [
      "what are the tasks for level 1 to 2",
      { kind: "roadmap", from: 1, wantsDuration: false, wantsChecklist: true, relative: false },
    ],
    [
      "items for level 1-2",
      { kind: "roadmap", from: 1, wantsDuration: false, wantsChecklist: true, relative: false },
    ],
    [
      "concretely level 1 to 2",
      { kind: "roadmap", from: 1, wantsDuration: false, wantsChecklist: true, relative: false },
    ],
    [
      "how do we get to level 3",
      { kind: "roadmap", from: 2, wantsDuration: false, wantsChecklist: false, relative: false },
    ],
    [
      "get up to l 4",
      { kind: "roadmap", from: 3, wantsDuration: false, wantsChecklist: false, relative: false },
    ],
    [
      "how do we get to l4",
      { kind: "roadmap", from: 3, wantsDuration: false, wantsChecklist: false, relative: false },
    ],
    ["how do we reach level 5", { kind: "search" }],
    ["skip straight to level 4", { kind: "search" }],
    ["can we jump directly to level 3", { kind: "search" }],
    [
      "climb to lvl 3",
      { kind: "roadmap", from: 2, wantsDuration: false, wantsChecklist: false, relative: false },
    ],
    ["enterprise: get to level 3", { kind: "search" }],
    ["get to level 1", { kind: "search" }],
    [
      "we are at level 2, what next",
      { kind: "roadmap", from: 2, wantsDuration: false, wantsChecklist: false, relative: false },
    ],
    [
      "at level 2 what next",
      { kind: "roadmap", from: 2, wantsDuration: false, wantsChecklist: false, relative: false },
    ],
    [
      "level 2 roadmap",
      { kind: "roadmap", from: 2, wantsDuration: false, wantsChecklist: false, relative: false },
    ],
    [
      "level2 roadmap",
      { kind: "roadmap", from: 2, wantsDuration: false, wantsChecklist: false, relative: false },
    ],
    [
      "we're 3, what to improve",
      { kind: "roadmap", from: 3, wantsDuration: false, wantsChecklist: false, relative: false },
    ],
    [
      "level 2, what to prioritise",
      { kind: "roadmap", from: 2, wantsDuration: false, wantsChecklist: false, relative: false },
    ],
    [
      "level 2, what to prioritize",
      { kind: "roadmap", from: 2, wantsDuration: false, wantsChecklist: false, relative: false },
    ],
    ["level 2, what to prioritxe", { kind: "level-definition", level: 2 }],
    ["we are level 2", { kind: "search" }],
    ["enterprise level 2 roadmap", { kind: "search" }],
    ["research level 2 roadmap", { kind: "search" }],
    ["case study level 2 roadmap", { kind: "search" }],
    [
      "at level 2 and level 3 what next",
      { kind: "roadmap", from: 2, wantsDuration: false, wantsChecklist: false, relative: false },
    ],
    ["what next steps", { kind: "roadmap", wantsDuration: false, wantsChecklist: false, relative: true }],
    ["next step", { kind: "roadmap", wantsDuration: false, wantsChecklist: false, relative: true }],
    ["what next", { kind: "roadmap", wantsDuration: false, wantsChecklist: false, relative: true }],
    ["what's next", { kind: "roadmap", wantsDuration: false, wantsChecklist: false, relative: true }],
    ["what is next", { kind: "roadmap", wantsDuration: false, wantsChecklist: false, relative: true }],
    [
      "what should we do next",
      { kind: "roadmap", wantsDuration: false, wantsChecklist: false, relative: true },
    ],
    ["what can i do next", { kind: "roadmap", wantsDuration: false, wantsChecklist: false, relative: true }],
    ["what to do next", { kind: "roadmap", wantsDuration: false, wantsChecklist: false, relative: true }],
    [
      "where do we go from here",
      { kind: "roadmap", wantsDuration: false, wantsChecklist: false, relative: true },
    ],
    ["how can we improve", { kind: "roadmap", wantsDuration: false, wantsChecklist: false, relative: true }],
    ["how do we level up", { kind: "roadmap", wantsDuration: false, wantsChecklist: false, relative: true }],
    ["our roadmap", { kind: "roadmap", wantsDuration: false, wantsChecklist: false, relative: true }],
    [
      "we need to focus on next",
      { kind: "roadmap", wantsDuration: false, wantsChecklist: false, relative: true },
    ],
    ["which level are we", { kind: "level-match" }],
    ["which stage is this", { kind: "level-match", scale: "research-0-4" }],
    ["what maturity level fits us", { kind: "level-match" }],
    ["what maturity fits us", { kind: "level-match" }],
    ["what level matches us", { kind: "level-match" }],
    ["where does our team stand", { kind: "level-match" }],
    ["where do we sit", { kind: "level-match" }],
    ["where does my team fit", { kind: "level-match" }],
    ["are we level 3", { kind: "level-definition", level: 3 }],
    ["are we lvl3", { kind: "level-definition", level: 3 }],
    ["are we at level 2", { kind: "level-definition", level: 2 }],
    ["are we at lvl 4", { kind: "level-definition", level: 4 }],
    ["what level is that", { kind: "level-match" }],
    ["what level are teams", { kind: "level-match" }],
    ["how mature are we", { kind: "level-match" }],
    ["is that level 0", { kind: "level-definition", level: 0 }],
    ["is this level 4", { kind: "level-definition", level: 4 }],
    ["we are level 2 is that level 2", { kind: "level-definition", level: 2 }],
    ["is that level 0 on the research stages", { kind: "level-definition", level: 0, scale: "research-0-4" }],
    ["is it level 2", { kind: "search" }],
    ["are we level 3 in tech ops", { kind: "alignment" }],
    ["what is level 3", { kind: "level-definition", level: 3 }],
    ["somewhat level 3", { kind: "search" }],
    ["what does level 2 mean", { kind: "level-definition", level: 2 }],
    ["level 3", { kind: "level-definition", level: 3 }],
    ["level 3?", { kind: "level-definition", level: 3 }],
    ["level 3 ?", { kind: "level-definition", level: 3 }],
    ["the level 3", { kind: "level-definition", level: 3 }],
    ["level3", { kind: "level-definition", level: 3 }],
    ["lvl 2", { kind: "level-definition", level: 2 }],
    ["so level 3", { kind: "search" }],
    ["level 3 xyz", { kind: "search" }],
    ["level 3 in the tech ops", { kind: "level-definition", level: 3, scale: "tech-ops-1-5" }],
    ["level 3 in tech ops", { kind: "alignment" }],
    ["level 2 for enterprise", { kind: "level-definition", level: 2, scale: "enterprise-0-4" }],
    ["stage 2", { kind: "level-definition", level: 2, scale: "research-0-4" }],
    ["stage 2 of research", { kind: "level-definition", level: 2, scale: "research-0-4" }],
    ["tier 4 describe", { kind: "level-definition", level: 4 }],
    ["explain level #3", { kind: "level-definition", level: 3 }],
    ["level#3 explain", { kind: "level-definition", level: 3 }],
    ["level # 3 explain", { kind: "level-definition", level: 3 }],
    ["level  3 explain", { kind: "level-definition", level: 3 }],
    ["what is level3", { kind: "level-definition", level: 3 }],
    ["define level 1", { kind: "level-definition", level: 1 }],
    ["what does level 1 look like", { kind: "level-definition", level: 1 }],
    ["characterise level 5", { kind: "level-definition", level: 5 }],
    ["tell me about level 4", { kind: "level-definition", level: 4 }],
    ["how long does level 3 take", { kind: "search" }],
    ["level 4 in enterprise", { kind: "level-definition", level: 4, scale: "enterprise-0-4" }],
    ["how does level 2 correspond to stage 1", { kind: "alignment" }],
    ["compare the scales", { kind: "alignment" }],
    ["hello", { kind: "search" }],
    ["level 6", { kind: "search" }],
    ["level 2 to 3 in tech ops", { kind: "alignment" }],
  ];
  for (const [question, expected] of cases) {
    it(JSON.stringify(question), () => {
      expect(detectIntent(question)).toEqual(expected);
    });
  }
});
